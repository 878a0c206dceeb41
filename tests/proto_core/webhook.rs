//! Webhooks: the signature header, the HMAC check (vectors computed with Node's
//! `crypto.createHmac`, see each constant), freshness, Python's compact JSON, and the two
//! payload shapes.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use eka_voice::proto::*;

const BODY: &str = r#"{"event":"v2rx.completed","data":{"session_id":"s1"}}"#;
// node -e 'console.log(require("crypto").createHmac("sha256", KEY).update("1700000000." + BODY).digest("hex"))'
const SIG_TEST_KEY: &str = "1139619b270d283e0332a7882d9a2a0a02f71b86315c67e33ab1c97a2c99a5ef";
const SIG_OLD_KEY: &str = "0855f1fca022921859a0e3ee04b36c430b7471ace41c5210d051369257f115ef";

fn code(r: Result<Signature, Error>) -> ErrorCode {
    r.unwrap_err().code
}

#[test]
fn the_header_parses_in_its_documented_form_and_variants() {
    let s = Signature::parse(&format!("t=1700000000,v1={SIG_TEST_KEY}")).unwrap();
    assert_eq!(s.timestamp, 1_700_000_000);
    assert_eq!(s.v1.len(), 1);
    // Spaces, upper-case hex, several v1 (key rotation), unknown schemes ignored.
    let upper = SIG_OLD_KEY.to_uppercase();
    let s = Signature::parse(&format!(
        " t = 1700000000 , v0=zz, v1={upper},v1={SIG_TEST_KEY} "
    ))
    .unwrap();
    assert_eq!(s.v1.len(), 2);
    assert_eq!(s.v1[0][0], 0x08);
}

#[test]
fn a_malformed_header_is_invalid_argument_and_never_echoed() {
    let hex = SIG_TEST_KEY;
    for h in [
        String::new(),
        "t=1700000000".into(),
        format!("v1={hex}"),
        format!("t=17000000x0,v1={hex}"),
        format!("t=,v1={hex}"),
        format!("t=1234567890123,v1={hex}"),
        format!("t=1,t=2,v1={hex}"),
        format!("t=1,v1={}", &hex[1..]),
        format!("t=1,v1={hex}0"),
        format!("t=1,v1={}g", &hex[1..]),
        format!("t=1,v1{hex}"),
        format!("t=1{}", format!(",v1={hex}").repeat(MAX_SIGNATURES + 1)),
    ] {
        let e = Signature::parse(&h).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument, "{h}");
        assert!(
            !e.message.contains(&hex[..16]),
            "the header is not echoed: {}",
            e.message
        );
    }
    assert_eq!(
        code(Signature::parse("t=1,v1=")),
        ErrorCode::InvalidArgument
    );
}

#[test]
fn the_hmac_matches_node_and_nothing_else() {
    let s = Signature::parse(&format!("t=1700000000,v1={SIG_TEST_KEY}")).unwrap();
    assert!(s.matches(b"whsec_test_key", BODY.as_bytes()));
    assert!(
        !s.matches(b"whsec_test_kez", BODY.as_bytes()),
        "another key"
    );
    assert!(
        !s.matches(b"whsec_test_key", BODY.replace("s1", "s2").as_bytes()),
        "a tampered body"
    );
    let later = Signature::parse(&format!("t=1700000001,v1={SIG_TEST_KEY}")).unwrap();
    assert!(
        !later.matches(b"whsec_test_key", BODY.as_bytes()),
        "the timestamp is signed too"
    );
    // Key rotation: the old key's signature beside the new one; either key verifies.
    let both =
        Signature::parse(&format!("t=1700000000,v1={SIG_OLD_KEY},v1={SIG_TEST_KEY}")).unwrap();
    assert!(both.matches(b"whsec_test_key", BODY.as_bytes()));
    assert!(both.matches(b"old_key", BODY.as_bytes()));
    assert!(!both.matches(b"", BODY.as_bytes()));
}

#[test]
fn freshness_is_symmetric_around_now() {
    let now = 1_700_000_000;
    for t in [now, now - 180, now + 180] {
        assert!(check_freshness(t, now, DEFAULT_TOLERANCE_S).is_ok(), "{t}");
    }
    let old = check_freshness(now - 181, now, DEFAULT_TOLERANCE_S).unwrap_err();
    assert_eq!(old.code, ErrorCode::StaleSignature);
    assert!(old.message.contains("181 s ago"), "{}", old.message);
    let future = check_freshness(now + 3600, now, 180).unwrap_err();
    assert!(
        future.message.contains("3600 s in the future"),
        "{}",
        future.message
    );
    assert!(check_freshness(0, u64::MAX, 180).is_err());
    assert_eq!(invalid_signature().code.as_str(), "invalid_signature");
}

#[test]
fn the_python_form_is_derived_from_the_raw_text_and_keeps_its_meaning() {
    assert_eq!(
        python_canonical(BODY).unwrap(),
        BODY,
        "compact ASCII stays as it is"
    );
    // White space between tokens goes; strings are written as ensure_ascii writes them.
    let pretty = "{\n  \"a\": \"é\",\n  \"b\": [1.0, 2, {\"1\": true}]\n}";
    assert_eq!(
        python_canonical(pretty).unwrap(),
        r#"{"a":"\u00e9","b":[1.0,2,{"1":true}]}"#,
        "1.0 and integer-like keys as they were"
    );
    assert_eq!(python_canonical(r#""ग""#).unwrap(), r#""\u0917""#);
    assert_eq!(
        python_canonical(r#""𝄞""#).unwrap(),
        r#""\ud834\udd1e""#,
        "astral: two UTF-16 units"
    );
    assert_eq!(
        python_canonical("\"\u{7f}\"").unwrap(),
        "\"\u{7f}\"",
        "DEL is ASCII"
    );
    assert_eq!(
        python_canonical(r#""\/\u0041\u000a\u001f""#).unwrap(),
        r#""/A\n\u001f""#
    );
    assert_eq!(
        python_canonical(r#""a b""#).unwrap(),
        r#""a b""#,
        "space inside a string stays"
    );
    // What differs in meaning from a Python dump stays different (so it never matches).
    for raw in [
        r#"{"session_id":"EVIL","session_id":"s1"}"#,
        r#"{"a":-0}"#,
        r#"{"a":0E5}"#,
        "\u{feff}{\"a\":1}",
    ] {
        assert_eq!(python_canonical(raw).unwrap(), raw.replace(' ', ""));
    }
    // Not well-formed where it matters: no form at all.
    for bad in [r#""\x""#, r#""\u12""#, r#""open"#, r#""\uZZZZ""#] {
        assert_eq!(python_canonical(bad), None, "{bad}");
    }
    // Nesting costs nothing: one pass.
    let deep = "[".repeat(200_000) + &"]".repeat(200_000);
    assert_eq!(python_canonical(&deep).unwrap().len(), 400_000);
}

fn reader(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&[&str]) -> Option<String> {
    move |path: &[&str]| {
        let key = path.join(".");
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_string())
    }
}

#[test]
fn both_payload_shapes_give_one_event() {
    let first = reader(&[
        ("event_id", "v2rx.completed"),
        ("payload.event", "v2rx.completed"),
        ("payload.transaction_id", "ses_1"),
        ("payload.event_time", "2026-06-06T14:21:07Z"),
    ]);
    let e = normalize_event(&first).unwrap();
    assert_eq!(
        e,
        WebhookEvent {
            event: "v2rx.completed".into(),
            session_id: "ses_1".into(),
            status: None,
            event_time: Some("2026-06-06T14:21:07Z".into()),
        }
    );
    // The first shape without payload.event names the event by event_id.
    let e = normalize_event(&reader(&[
        ("event_id", "v2rx.completed"),
        ("payload.transaction_id", "ses_2"),
    ]))
    .unwrap();
    assert_eq!(
        (e.event.as_str(), e.session_id.as_str()),
        ("v2rx.completed", "ses_2")
    );
    let second = reader(&[
        ("event", "v2rx.completed"),
        ("data.transaction_id", "txn_9"),
        ("data.session_id", "ses_3"),
        ("data.status", "completed"),
        ("timestamp", "2026-06-06T14:22:00Z"),
    ]);
    let e = normalize_event(&second).unwrap();
    assert_eq!(e.session_id, "ses_3", "session_id before transaction_id");
    assert_eq!(e.status.as_deref(), Some("completed"));
    assert_eq!(e.event_time.as_deref(), Some("2026-06-06T14:22:00Z"));
    let e = normalize_event(&reader(&[("event", "x"), ("data.transaction_id", "ses_4")])).unwrap();
    assert_eq!(e.session_id, "ses_4");
}

#[test]
fn a_payload_of_neither_shape_is_invalid_response() {
    for pairs in [
        &[][..],
        &[("event", "v2rx.completed")][..],
        &[("data.session_id", "s")][..],
        &[("event", "v2rx.completed"), ("data.session_id", "")][..],
    ] {
        let pairs: &'static [(&'static str, &'static str)] =
            Box::leak(pairs.to_vec().into_boxed_slice());
        let e = normalize_event(&reader(pairs)).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidResponse, "{pairs:?}");
    }
}

#[test]
fn the_receivers_answer_follows_the_table() {
    assert_eq!(webhook_answer(None), 204);
    for c in [
        ErrorCode::InvalidSignature,
        ErrorCode::StaleSignature,
        ErrorCode::InvalidArgument,
    ] {
        assert_eq!(webhook_answer(Some(c)), 401, "{c:?}");
    }
    assert_eq!(webhook_answer(Some(ErrorCode::InvalidResponse)), 202);
    assert_eq!(
        webhook_answer(Some(ErrorCode::Network)),
        503,
        "the dedupe store: retry later"
    );
    assert_eq!(webhook_answer(Some(ErrorCode::ServerError)), 500);
    // Every code has a name that reads back.
    for c in ErrorCode::ALL {
        assert_eq!(ErrorCode::parse(c.as_str()), Some(c));
    }
}

#[test]
fn seen_sessions_remember_the_last_ones_only() {
    let mut seen = SeenSessions::new(3);
    assert!(seen.is_empty());
    assert!(
        seen.first("a") && !seen.first("a"),
        "a delivery repeated is not new"
    );
    for id in ["b", "c", "d"] {
        assert!(seen.first(id));
    }
    assert_eq!(seen.len(), 3);
    assert!(!seen.first("d") && !seen.first("b"));
    assert!(seen.first("a"), "the oldest was forgotten");
    assert!(SeenSessions::new(0).first("x"), "a capacity of 0 keeps one");
}

#[test]
fn a_session_id_that_would_be_cut_is_refused() {
    let long = "s".repeat(MAX_FIELD_CHARS + 1);
    let e = normalize_event(&|p: &[&str]| match p {
        ["event"] => Some("v2rx.completed".into()),
        ["data", "session_id"] => Some(long.clone()),
        _ => None,
    })
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidResponse);
    assert!(e.message.contains("not cut"), "{}", e.message);
}

#[test]
fn a_delivery_is_verified_in_the_cores_order() {
    let header = format!("t=1700000000,v1={SIG_TEST_KEY}");
    let key = b"whsec_test_key";
    let verify = |body: &str, now| {
        verify_delivery(body.as_bytes(), Some(body.into()), &header, key, 180, now)
    };
    // The raw bytes verify: they are the signed text.
    assert_eq!(verify(BODY, 1_700_000_000).unwrap().as_deref(), Some(BODY));
    // Sent pretty: the signed (compact) form is derived from the raw text, and handed back.
    let pretty = BODY.replace(',', ", ").replace(':', ": ");
    assert_eq!(
        verify(&pretty, 1_700_000_100).unwrap().as_deref(),
        Some(BODY)
    );
    // A body that differs in meaning: invalid, whatever the time.
    let tampered = BODY.replace("s1", "s2");
    assert_eq!(
        verify(&tampered, 1_700_000_000).unwrap_err().code,
        ErrorCode::InvalidSignature
    );
    // A valid signature past the tolerance: stale (checked after the signature).
    assert_eq!(
        verify(BODY, 1_700_000_181).unwrap_err().code,
        ErrorCode::StaleSignature
    );
    assert_eq!(
        verify(&tampered, 1_700_009_999).unwrap_err().code,
        ErrorCode::InvalidSignature
    );
}

//! Property tests of the sans-IO core (proptest): whatever the input, nothing panics, a
//! session id never escapes its path segment (checked with a real WHATWG URL parser), the
//! answer table and `Retry-After` keep their invariants, and the machines always settle
//! within their deadline on a virtual clock.
//!
//! `npm test` runs a short pass (proptest's 256 cases per property, unless
//! `PROPTEST_CASES` says otherwise); `npm run fuzz` runs the long one
//! (`PROPTEST_CASES=1000000`, release build).
#![cfg(not(target_arch = "wasm32"))]

use eka_voice::proto::*;
use proptest::prelude::*;

/// Any text, biased towards the characters URL parsers and HTTP headers care about.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        "[./%?#@:\\[\\]a-zA-Z0-9 \\\\-]{0,24}",
        "(%2[eE]|\\.|%2[fF]|/|%5[cC]|\\\\){1,6}",
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::GetSession),
        Just(Op::CreateSession),
        Just(Op::UploadAudio),
        Just(Op::PresignedUpload),
        Just(Op::EndSession),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        prop::sample::select(vec![
            0u16, 100, 200, 201, 202, 204, 206, 301, 302, 307, 308, 400, 401, 403, 404, 408, 409,
            410, 413, 422, 429, 500, 502, 503, 504, 599,
        ]),
        any::<u16>(),
    ]
}

fn facts() -> impl Strategy<Value = Option<BodyFacts>> {
    let word = prop_oneof![
        prop::sample::select(vec![
            "initialized",
            "processing",
            "created",
            "completed",
            "partial",
            "failed",
            "expired",
            "",
            "COMPLETED",
        ])
        .prop_map(String::from),
        ".{0,12}",
    ];
    prop::option::of(
        (
            prop::option::of(word),
            prop::option::of("[a-z_]{0,10}"),
            prop::option::of("ses_[a-z0-9]{0,8}"),
        )
            .prop_map(|(status, api_code, session_id)| BodyFacts {
                object: true,
                status,
                api_code,
                session_id,
                message: None,
            }),
    )
}

proptest! {
    /// Every accepted session id is exactly one path segment of the URL, as a WHATWG parser
    /// reads it back; `.` and `..` (which parsers resolve away) are refused.
    #[test]
    fn a_session_id_never_escapes_its_segment(id in text(), template in text(), suffix in prop::sample::select(vec!["", "/end", "/audio"])) {
        let base = BaseUrl::parse("https://api.eka.care/proxy").unwrap();
        let built = if suffix.is_empty() {
            session_url(&base, &id, Filter::Template(&template))
        } else {
            match suffix {
                "/end" => end_url(&base, &id),
                _ => default_upload_url(&base, &id),
            }
        };
        match built {
            Err(e) => {
                prop_assert_eq!(e.code, ErrorCode::InvalidArgument);
                prop_assert!(id.trim().is_empty() || id == "." || id == "..");
            }
            Ok(u) => {
                let parsed = ::url::Url::parse(&u).unwrap();
                prop_assert_eq!(parsed.host_str(), Some("api.eka.care"));
                let segments: Vec<_> = parsed.path_segments().unwrap().collect();
                let mut want = vec!["proxy", "voice", "v1", "sessions"];
                let decoded = percent_decode(segments.get(4).copied().unwrap_or(""));
                prop_assert_eq!(&segments[..4], &want[..], "{}", u);
                prop_assert_eq!(decoded, id.clone(), "{}", u);
                if let Some(tail) = suffix.strip_prefix('/') {
                    want.push(tail);
                }
                prop_assert_eq!(segments.len(), want.len() + 1, "{}", u);
                if suffix.is_empty() {
                    let pairs: Vec<_> = parsed.query_pairs().collect();
                    prop_assert_eq!(pairs.len(), 1);
                    prop_assert_eq!(pairs[0].0.as_ref(), "template_id");
                    prop_assert_eq!(pairs[0].1.as_ref(), template.as_str());
                }
            }
        }
    }

    /// Every operation of the table: each path parameter is exactly its own segment of the
    /// URL as a WHATWG parser reads it back, the rest of the path is the row's.
    #[test]
    fn every_operations_parameters_stay_in_their_segments(a in text(), b in text(), which in 0usize..OPS.len()) {
        let row = &OPS[which];
        prop_assume!(!row.path.is_empty());
        let base = BaseUrl::parse("https://api.eka.care/gw").unwrap();
        let params = [a.as_str(), b.as_str()];
        let n = row.params();
        match op_url(&base, row.op, &params[..n]) {
            Err(e) => {
                prop_assert_eq!(e.code, ErrorCode::InvalidArgument);
                prop_assert!(params[..n].iter().any(|p| p.trim().is_empty() || *p == "." || *p == ".."));
            }
            Ok(u) => {
                let parsed = ::url::Url::parse(&u).unwrap();
                prop_assert_eq!(parsed.host_str(), Some("api.eka.care"));
                let got: Vec<String> = parsed.path_segments().unwrap().map(percent_decode).collect();
                let want: Vec<String> = std::iter::once("gw".to_string())
                    .chain(row.path.split('/').skip(1).scan(0, |i, seg| {
                        Some(if seg.starts_with('{') { *i += 1; params[*i - 1].to_string() } else { seg.to_string() })
                    }))
                    .collect();
                prop_assert_eq!(got, want, "{}", u);
            }
        }
    }

    /// The base-URL policy: never a panic; what it accepts is https (or loopback http),
    /// has no query, fragment or credentials (an `@` in the path is no credential), and
    /// parses back to itself.
    #[test]
    fn the_base_url_policy_holds(s in text(), scheme in prop::sample::select(vec!["", "https://", "http://", "HTTP://"])) {
        let input = [scheme, s.as_str()].concat();
        if let Ok(b) = BaseUrl::parse(&input) {
            let u = b.as_str();
            prop_assert!(u.starts_with("https://") || u.starts_with("http://"));
            prop_assert!(!u.contains(['?', '#']));
            let authority = u.split("://").nth(1).and_then(|r| r.split('/').next()).unwrap_or("");
            prop_assert!(!authority.contains('@'), "credentials in {}", u);
            prop_assert!(u.starts_with(b.origin()));
            prop_assert_eq!(BaseUrl::parse(u).unwrap(), b.clone());
            if let Some(host) = u.strip_prefix("http://") {
                prop_assert!(host.starts_with("localhost") || host.starts_with("127.") || host.starts_with("[::1]"), "{}", u);
            }
        }
    }

    /// The answer table: never a panic, and the rows that must hold for every operation.
    #[test]
    fn the_answer_table_keeps_its_rows(op in op(), http in status(), facts in facts()) {
        let verdict = classify_answer(op, http, facts.as_ref());
        let fatal = |v: &Verdict, code| matches!(v, Verdict::Fatal(e) if e.code == code);
        match http {
            401 => prop_assert!(matches!(verdict, Verdict::Unauthorized(_))),
            404 => prop_assert!(fatal(&verdict, ErrorCode::NotFound)),
            408 | 429 | 500..=599 => prop_assert!(matches!(verdict, Verdict::Transient(_))),
            0 | 300..=399 => prop_assert!(fatal(&verdict, ErrorCode::InvalidResponse)),
            _ => {}
        }
        if let Verdict::Transient(e) | Verdict::Fatal(e) | Verdict::Unauthorized(e) = &verdict {
            prop_assert_eq!(e.status, Some(http));
        }
        if matches!(verdict, Verdict::Finished(_) | Verdict::Pending) {
            prop_assert_eq!(op, Op::GetSession);
        }
    }

    /// `Retry-After`: never a panic, never more than a day; delta-seconds are exact.
    #[test]
    fn retry_after_is_bounded(v in text(), now in any::<u64>(), secs in 0u64..200_000) {
        if let Some(ms) = parse_retry_after(&v, now) {
            prop_assert!(ms <= MAX_RETRY_AFTER_MS);
        }
        let _ = parse_http_date(&v);
        prop_assert_eq!(parse_retry_after(&secs.to_string(), now), Some((secs * 1000).min(MAX_RETRY_AFTER_MS)));
    }

    /// Audio sniffing: never a panic; what is sniffed is what the format resolves to.
    #[test]
    fn audio_sniffing_is_consistent(head in prop::collection::vec(any::<u8>(), 0..32), name in text()) {
        if let Some(f) = AudioFormat::sniff(&head) {
            prop_assert_eq!(resolve_format(None, None, &head).unwrap(), f);
            prop_assert_eq!(AudioFormat::parse(f.ext()), Some(f));
        }
        let _ = AudioFormat::parse(&name);
        let _ = resolve_format(Some(&name), Some(&name), &head);
    }

    /// Redaction: the token (8+ characters) and `Bearer` credentials never survive.
    #[test]
    fn redaction_leaves_no_secret(before in ".{0,30}", after in ".{0,30}", token in "[A-Za-z0-9._~+/-]{8,40}", bearer in prop::sample::select(vec!["Bearer ", "bearer\t", "BEARER  "])) {
        let text = [before.as_str(), token.as_str(), " ", bearer, token.as_str(), after.as_str()].concat();
        let clean = redact(&text, Some(&token)).unwrap();
        prop_assert!(!clean.contains(&token), "{}", clean);
        prop_assert!(redact(&clean, Some(&token)).is_none(), "redaction is idempotent: {}", clean);
        let mut e = Error::new(ErrorCode::BadRequest, text.clone());
        e.redact(Some(&token));
        prop_assert_eq!(e.message, clean);
    }

    /// The poller, on a virtual clock, with random options and answers: it always settles,
    /// never sends after its deadline, never sleeps 0 or past the timer limit, and never
    /// polls faster than `min_interval_ms` after a pending answer.
    #[test]
    fn the_poller_always_settles_within_its_deadline(
        cfg in poll_config(),
        start in 0u64..1_000_000_000,
        script in prop::collection::vec((status(), facts(), prop::option::of(retry_after()), 1u64..20_000, 0u8..10), 1..40),
        rand in prop::collection::vec(0.0f64..1.0, 40),
    ) {
        let mut p = Poller::new(cfg);
        let mut now = start;
        let mut action = p.start(now);
        let deadline = start.saturating_add(cfg.timeout_ms);
        let mut last_send = None;
        let mut steps = 0usize;
        loop {
            steps += 1;
            // Every request takes at least 1 ms of virtual time, so a finite deadline ends
            // it within a bounded number of steps.
            prop_assert!(steps < 4 * 600_000 + 1_000, "never settled: {:?}", cfg);
            if cfg.timeout_ms >= 1 << 40 && steps > 10_000 {
                break; // a 35-year deadline: settling is not the point here
            }
            let (http, facts, ra, took, fault) = script[steps % script.len()].clone();
            let r = rand[steps % rand.len()];
            action = match action {
                Action::Send { timeout_ms } => {
                    prop_assert!(now < deadline, "sent at {} after the deadline {}", now, deadline);
                    prop_assert!((1..=MAX_TIMER_MS).contains(&timeout_ms));
                    last_send = Some(now);
                    if took >= timeout_ms {
                        now = now.saturating_add(timeout_ms);
                        p.on_transport_error(now, Transport::TimedOut, r)
                    } else {
                        now += took;
                        match fault {
                            0 => p.on_transport_error(now, Transport::Network(String::new()), r),
                            1 => p.on_oversized(http, 1024),
                            _ => p.on_answer(now, http, facts.as_ref(), ra.as_deref(), r),
                        }
                    }
                }
                Action::Sleep { ms } => {
                    prop_assert!((1..=MAX_TIMER_MS).contains(&ms));
                    now = now.saturating_add(ms);
                    p.on_wake(now)
                }
                Action::RefreshToken => p.on_token(now),
                Action::Retry { attempt, delay_ms, error } => {
                    // A reported retry is one that can start before the deadline.
                    prop_assert!(attempt >= 1 && attempt <= cfg.max_retries);
                    prop_assert!(now.saturating_add(delay_ms) < deadline);
                    prop_assert!(error.code != ErrorCode::Timeout);
                    p.on_retried(now)
                }
                Action::Progress => {
                    let next = p.on_progressed(now);
                    if let (Action::Send { .. }, Some(sent)) = (&next, last_send) {
                        prop_assert!(now - sent >= cfg.interval_ms.max(cfg.min_interval_ms).min(cfg.timeout_ms));
                    }
                    next
                }
                Action::Resolve | Action::ResolveWith(_) | Action::Reject(_) => break,
            };
        }
        if now > deadline && cfg.timeout_ms < 1 << 40 {
            prop_assert!(matches!(action, Action::Reject(_)), "resolved after the deadline");
        }
    }

    /// The session table stays bounded and never forgets a session with an upload in flight.
    /// (A bound of 40,000 sessions never ended would otherwise cost ~10 MB of wasm memory.)
    #[test]
    fn the_session_table_is_bounded(ops in prop::collection::vec((0u32..64, any::<bool>()), 0..300), cap in 1usize..16) {
        let mut t = Sessions::with_capacity(cap);
        // Uploads in flight per session, as the test counts them.
        let mut busy = std::collections::BTreeMap::<String, Vec<u32>>::new();
        let mut peak = 0;
        for (n, start) in ops {
            let id = n.to_string();
            if start {
                let k = t.with(&id, |s| s.ledger.reserve(None)).unwrap();
                busy.entry(id).or_default().push(k);
            } else if let Some(k) = busy.get_mut(&id) {
                let m = k.pop().unwrap();
                t.with(&id, |s| s.ledger.settle(m, "audio_0.wav", true));
                if k.is_empty() {
                    busy.remove(&id);
                }
            }
            // Idle sessions go at the next insertion: the table never holds more than the
            // bound, or than the sessions that were busy at once (plus the new one).
            peak = peak.max(busy.len());
            prop_assert!(t.len() <= cap.max(peak + 1), "{} sessions, cap {}, peak {}", t.len(), cap, peak);
            for (b, k) in &busy {
                prop_assert_eq!(t.peek(b, |s| s.ledger.in_flight()), Some(k.len() as u32), "{} forgotten with an upload in flight", b);
            }
        }
    }

    /// The transcribe deadline only moves later, and is `timeout` after the last chunk.
    #[test]
    fn the_transcribe_deadline_moves_with_the_chunks(start in 0u64..1 << 40, timeout in 0u64..1 << 40, gaps in prop::collection::vec(0u64..1 << 30, 0..20)) {
        let mut d = TranscribeDeadline::new(start, timeout);
        let mut now = start;
        for g in gaps {
            let before = d.remaining(now);
            now += g;
            d.on_chunk(now);
            prop_assert_eq!(d.remaining(now), timeout.max(before.saturating_sub(g)));
            prop_assert_eq!(d.passed(now), timeout == 0 && before <= g);
        }
    }

    /// A client's budget never lets more than `rate` requests start in any one-second
    /// window, never starts one during a pause, and always lets the next one start.
    #[test]
    fn the_request_budget_holds_its_rate(rate in 1u32..200, gaps in prop::collection::vec(0u64..50, 1..400), pause in prop::option::of((0usize..400, 0u64..5_000))) {
        let mut b = RequestBudget::new(rate);
        let mut now = 0u64;
        let mut starts = Vec::new();
        let mut paused_until = 0u64;
        for (i, gap) in gaps.iter().enumerate() {
            now += gap;
            if let Some((at, len)) = pause {
                if at == i {
                    paused_until = now + len;
                    b.pause_until(paused_until);
                }
            }
            loop {
                let wait = b.take(now);
                if wait == 0 {
                    break;
                }
                prop_assert!(wait <= 5_000 + 1_000);
                now += wait;
            }
            prop_assert!(now >= paused_until, "started during a pause");
            starts.push(now);
        }
        // No window of 1 s holds more than `rate` starts.
        for (i, &t) in starts.iter().enumerate() {
            let in_window = starts[i..].iter().take_while(|&&u| u < t + 1000).count();
            prop_assert!(in_window as u32 <= rate, "{} starts in 1 s at rate {}", in_window, rate);
        }
    }

    /// Any header parses or is refused as `invalid_argument` (never a panic); a header
    /// written from a timestamp and signatures reads back as them.
    #[test]
    fn webhook_headers_parse_or_are_refused(h in ".{0,200}", t in 0u64..999_999_999_999, sigs in prop::collection::vec(any::<[u8; 32]>(), 1..=MAX_SIGNATURES)) {
        if let Err(e) = Signature::parse(&h) {
            prop_assert_eq!(e.code, ErrorCode::InvalidArgument);
        }
        let hex = |b: &[u8; 32]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        let header = format!("t={t}{}", sigs.iter().map(|s| format!(",v1={}", hex(s))).collect::<String>());
        prop_assert_eq!(Signature::parse(&header).unwrap(), Signature { timestamp: t, v1: sigs });
    }

    /// A signature made for one body and key matches no other body (one byte changed)
    /// and no other key.
    #[test]
    fn a_webhook_signature_binds_body_key_and_time(body in prop::collection::vec(any::<u8>(), 1..300), key in prop::collection::vec(any::<u8>(), 0..80), at in any::<prop::sample::Index>(), flip in 1u8..=255, t in 0u64..1 << 40) {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
        mac.update(format!("{t}.").as_bytes());
        mac.update(&body);
        let sig = Signature { timestamp: t, v1: vec![mac.finalize().into_bytes().into()] };
        prop_assert!(sig.matches(&key, &body));
        let mut other = body.clone();
        other[at.index(body.len())] ^= flip;
        prop_assert!(!sig.matches(&key, &other));
        let mut other_key = key.clone();
        other_key.push(0x01);
        prop_assert!(!sig.matches(&other_key, &body));
        let later = Signature { timestamp: t + 1, v1: sig.v1.clone() };
        prop_assert!(!later.matches(&key, &body));
    }
}

fn retry_after() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..100).prop_map(|s| s.to_string()),
        Just("Sun, 06 Nov 1994 08:49:37 GMT".to_string()),
        Just("Fri, 31 Dec 9999 23:59:59 GMT".to_string()),
        Just("99999999999999999999".to_string()),
        ".{0,10}",
    ]
}

fn poll_config() -> impl Strategy<Value = PollConfig> {
    (
        prop::sample::select(vec![0u64, 1, 50, 1000, u64::MAX]),
        prop::sample::select(vec![0u64, 100]),
        prop::sample::select(vec![0u64, 1, 5_000, 600_000, 1 << 40]),
        prop::sample::select(vec![1u64, 30_000, u64::MAX]),
        prop::sample::select(vec![0u32, 1, 5, u32::MAX]),
        (
            0u64..1000,
            prop::sample::select(vec![0u64, 20_000, u64::MAX]),
        ),
        any::<bool>(),
        any::<bool>(),
        op(),
    )
        .prop_map(
            |(
                interval_ms,
                min_interval_ms,
                timeout_ms,
                request_timeout_ms,
                max_retries,
                (base_ms, max_ms),
                refresh,
                once,
                op,
            )| PollConfig {
                interval_ms,
                min_interval_ms,
                timeout_ms,
                request_timeout_ms,
                max_retries,
                backoff: Backoff { base_ms, max_ms },
                can_refresh_token: refresh,
                once,
                op,
            },
        )
}

/// Decodes `%XX` escapes (the test's own decoder: the client only encodes).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

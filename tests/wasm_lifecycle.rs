//! The whole session lifecycle through the JS API (`createSession`, `uploadAudio`,
//! `endSession`, `transcribe`), against the stateful simulator over real HTTP, in Node,
//! headless Chromium (Blob uploads from the browser) and a dedicated worker. The audio is
//! the fixtures (`tests/fixtures/audio`), baked in at compile time.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use eka_voice::wasm::VoiceClient;
use js_sys::{Array, Function, Object, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod support;
use support::*;

const PART0: &[u8] = include_bytes!("fixtures/audio/consultation-part0.wav");
const PART1: &[u8] = include_bytes!("fixtures/audio/consultation-part1.wav");
const WEBM: &[u8] = include_bytes!("fixtures/audio/consultation.webm");
const OGG: &[u8] = include_bytes!("fixtures/audio/consultation.ogg");
const MP3: &[u8] = include_bytes!("fixtures/audio/consultation.mp3");
const MP3_NO_ID3: &[u8] = include_bytes!("fixtures/audio/consultation-noid3.mp3");
const M4A: &[u8] = include_bytes!("fixtures/audio/consultation.m4a");

async fn end(c: &VoiceClient, id: &str, opts: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(c.end_session_js(id.into(), opts)).await
}

async fn transcribe(c: &VoiceClient, chunks: JsValue, opts: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(c.transcribe_js(chunks, opts)).await
}

fn file_names(session: &JsValue) -> Vec<String> {
    get(session, "files")
        .dyn_into::<Array>()
        .unwrap()
        .iter()
        .map(|f| s(&f, "name"))
        .collect()
}

fn two_templates() -> JsValue {
    Array::of2(
        &"eka_emr_template".into(),
        &"clinical_notes_template".into(),
    )
    .into()
}

#[wasm_bindgen_test]
async fn create_upload_end_poll_with_byte_exact_raw_bodies() {
    let c = client();
    let session = create(
        &c,
        obj(&[
            ("templates", two_templates()),
            ("model", "lite".into()),
            ("languageHint", Array::of1(&"en".into()).into()),
            (
                "patientDetails",
                obj(&[("oid", "p_9".into()), ("name", "T. Est".into())]),
            ),
            ("additionalData", simulate(&[("process_ms", 400.into())])),
        ]),
    )
    .await
    .unwrap();
    let id = s(&session, "session_id");
    assert_eq!(
        (s(&session, "status"), n(&session, "http_status")),
        ("created".into(), 201.0)
    );
    // A Uint8Array, then a Blob whose type (audio/x-wav) the service would reject: it must not be sent.
    let u0 = upload(&c, &session, bytes(PART0), JsValue::UNDEFINED)
        .await
        .unwrap();
    assert_eq!(
        (s(&u0, "file_name"), n(&u0, "index"), n(&u0, "http_status")),
        ("audio_0.wav".into(), 0.0, 200.0)
    );
    let u1 = upload(
        &c,
        &id.as_str().into(),
        blob(PART1, "audio/x-wav"),
        JsValue::UNDEFINED,
    )
    .await
    .unwrap();
    assert_eq!(s(&u1, "file_name"), "audio_1.wav");
    let ended = end(&c, &id, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(
        (s(&ended, "status"), n(&ended, "http_status")),
        ("processing".into(), 202.0)
    );
    let r = poll(&c, &id, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(s(&r, "status"), "completed");
    assert_eq!(s(&r, "model_used"), "lite");
    assert_eq!(
        get(&r, "templates").dyn_into::<Array>().unwrap().length(),
        2
    );
    assert_eq!(s(&get(&r, "patient_details"), "oid"), "p_9");
    // What the service received: the exact bytes, named as the spec says, counts at End.
    let sim = sim_session(&id).await;
    assert_eq!(file_names(&sim), vec!["0.wav", "1.wav"]);
    let mut path = String::from("/__sim/sessions/");
    path.push_str(&id);
    path.push_str("/files/1.wav");
    assert!(sim_bytes(&path).await == PART1, "byte-exact body");
    let end_body = get(&sim, "end_body");
    assert_eq!(
        (
            n(&end_body, "audio_files_sent"),
            n(&end_body, "audio_files_uploaded")
        ),
        (2.0, 2.0)
    );
    let req = get(&sim, "request");
    assert_eq!(s(&req, "communication_protocol"), "http");
    assert_eq!(s(&req, "upload_type"), "chunked");
    let hint: Array = get(&req, "language_hint").dyn_into().unwrap();
    assert_eq!(hint.get(0).as_string().as_deref(), Some("en"));
    assert_eq!(s(&get(&req, "patient_details"), "name"), "T. Est");
    let log = get(
        &sim_json(&["/__sim/requests/", &id].concat()).await,
        "requests",
    )
    .dyn_into::<Array>()
    .unwrap();
    let uploads: Vec<JsValue> = log
        .iter()
        .filter(|r| s(r, "path").contains("/audio/"))
        .collect();
    assert_eq!(uploads.len(), 2);
    for u in &uploads {
        assert!(
            get(u, "content_type").is_undefined(),
            "no Content-Type on a raw upload"
        );
        assert_eq!(s(u, "authorization"), "Bearer test-token");
    }
}

#[wasm_bindgen_test]
async fn presigned_uploads_post_a_form_without_the_token() {
    let c = client();
    let session = create(
        &c,
        obj(&[
            ("presignedUpload", true.into()),
            ("templates", two_templates()),
            ("additionalData", simulate(&[("process_ms", 200.into())])),
        ]),
    )
    .await
    .unwrap();
    let id = s(&session, "session_id");
    assert!(get(&get(&session, "upload_url"), "uploadData").is_object());
    let u = upload(&c, &session, blob(WEBM, "audio/webm"), JsValue::UNDEFINED)
        .await
        .unwrap();
    assert_eq!(
        (s(&u, "file_name"), n(&u, "http_status")),
        ("audio_0.webm".into(), 204.0)
    );
    upload(&c, &session, bytes(OGG), JsValue::UNDEFINED)
        .await
        .unwrap();
    end(&c, &id, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(
        s(&poll(&c, &id, JsValue::UNDEFINED).await.unwrap(), "status"),
        "completed"
    );
    let sim = sim_session(&id).await;
    assert_eq!(file_names(&sim), vec!["0.webm", "1.ogg"]);
    assert!(sim_bytes(&["/__sim/sessions/", &id, "/files/0.webm"].concat()).await == WEBM);
    let log = get(
        &sim_json(&["/__sim/requests/", &id].concat()).await,
        "requests",
    )
    .dyn_into::<Array>()
    .unwrap();
    let storage: Vec<JsValue> = log
        .iter()
        .filter(|r| s(r, "path").starts_with("/__storage"))
        .collect();
    assert_eq!(storage.len(), 2);
    assert!(storage
        .iter()
        .all(|r| s(r, "authorization").is_empty() && n(r, "status") == 204.0));
}

#[wasm_bindgen_test]
async fn transcribe_every_format_with_phased_progress() {
    let events = Rc::new(RefCell::new(Vec::<String>::new()));
    let ev = events.clone();
    let cb = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        let mut line = s(&e, "phase");
        if line == "uploading" {
            line.push(' ');
            line.push_str(&n(&e, "chunksDone").to_string());
            line.push('/');
            line.push_str(&n(&e, "chunksTotal").to_string());
            line.push(' ');
            line.push_str(&(n(&e, "bytesDone") == n(&e, "bytesTotal")).to_string());
        }
        if line == "processing" {
            assert_eq!(s(&get(&e, "snapshot"), "status"), "processing");
        }
        ev.borrow_mut().push(line);
    });
    let chunks = Array::new();
    for (b, mime) in [
        (PART0, ""),
        (WEBM, "audio/webm"),
        (OGG, ""),
        (MP3, "audio/mpeg"),
        (MP3_NO_ID3, ""),
        (M4A, ""),
    ] {
        chunks.push(&if mime.is_empty() {
            bytes(b)
        } else {
            blob(b, mime)
        });
    }
    let opts = obj(&[
        (
            "templates",
            Array::of1(&"clinical_notes_template".into()).into(),
        ),
        (
            "additionalData",
            simulate(&[("process_ms", 600.into()), ("hold_max_ms", 200.into())]),
        ),
        ("intervalMs", 100.into()),
        ("concurrency", 3.into()),
        ("onProgress", cb.as_ref().clone()),
    ]);
    let r = transcribe(&client(), chunks.into(), opts).await.unwrap();
    assert_eq!(s(&r, "status"), "completed");
    assert!(get(&r, "missing_chunks").is_undefined());
    let sim = sim_session(&s(&r, "session_id")).await;
    assert_eq!(
        file_names(&sim),
        vec!["0.wav", "1.webm", "2.ogg", "3.mp3", "4.mp3", "5.m4a"]
    );
    let ev = events.borrow();
    assert_eq!(ev[0], "creating");
    assert_eq!(ev[1], "uploading 0/6 false");
    assert_eq!(ev[7], "uploading 6/6 true");
    assert_eq!(ev[8], "ending");
    assert!(
        ev[9..].iter().all(|e| e == "processing") && ev.len() > 9,
        "{ev:?}"
    );
}

#[wasm_bindgen_test]
async fn transcribe_takes_an_async_iterable_fed_live() {
    // An async generator that yields a chunk every 100 ms, as a recorder would.
    let make = Function::new_with_args(
        "a, b",
        "return (async function* () { yield a; await new Promise(r => setTimeout(r, 100)); yield b; })();",
    );
    let live = make
        .call2(&JsValue::NULL, &bytes(PART0), &blob(PART1, ""))
        .unwrap();
    let opts = obj(&[
        ("additionalData", simulate(&[("process_ms", 100.into())])),
        ("concurrency", 1.into()),
    ]);
    let r = transcribe(&client(), live, opts).await.unwrap();
    assert_eq!(s(&r, "status"), "completed");
    assert_eq!(
        file_names(&sim_session(&s(&r, "session_id")).await),
        vec!["0.wav", "1.wav"]
    );
}

#[wasm_bindgen_test]
async fn a_chunk_that_fails_twice_then_succeeds_is_retried() {
    let (seen, hook) = retry_recorder();
    let opts = obj(&[
        (
            "additionalData",
            simulate(&[
                ("fail_chunks", obj(&[("1", 2.into())])),
                ("process_ms", 100.into()),
            ]),
        ),
        ("onRetry", hook),
    ]);
    let r = transcribe(
        &client(),
        Array::of2(&bytes(PART0), &bytes(PART1)).into(),
        opts,
    )
    .await
    .unwrap();
    assert_eq!(s(&r, "status"), "completed");
    let id = s(&r, "session_id");
    let sim = sim_session(&id).await;
    assert_eq!(n(&get(&sim, "attempts"), "1"), 3.0);
    // onRetry saw both retries of the upload (backoff delays: 250 ms, then 500 ms, jittered).
    assert_eq!(seen.length(), 2);
    for (i, e) in seen.iter().enumerate() {
        let e: Array = e.into();
        assert_eq!(e.get(0).as_f64(), Some(i as f64 + 1.0));
        let delay = e.get(1).as_f64().unwrap();
        assert!(delay > 0.0 && delay <= 500.0 * (i as f64 + 1.0), "{delay}");
        assert_eq!(
            e.slice(2, 6).join(",").as_string(),
            Some(format!("server_error,503,{id},true"))
        );
    }
}

#[wasm_bindgen_test]
async fn a_chunk_that_finally_fails_is_reported_never_dropped() {
    let failing = || {
        simulate(&[
            ("fail_chunks", obj(&[("1", 99.into())])),
            ("process_ms", 100.into()),
        ])
    };
    let chunks = || -> JsValue { Array::of2(&bytes(PART0), &bytes(PART1)).into() };
    let e = transcribe(
        &client(),
        chunks(),
        obj(&[("additionalData", failing()), ("maxRetries", 1.into())]),
    )
    .await
    .unwrap_err();
    assert_eq!(s(&e, "code"), "upload_failed");
    assert!(
        s(&e, "message").contains("audio_1.wav") && s(&e, "message").contains("; first failure: "),
        "{}",
        s(&e, "message")
    );
    let sim = sim_session(&s(&e, "sessionId")).await;
    assert_eq!(
        get(&sim, "ended"),
        JsValue::FALSE,
        "not ended when chunks are missing"
    );
    // allowPartialUpload: go on, and say what is missing.
    let opts = obj(&[
        ("additionalData", failing()),
        ("maxRetries", 1.into()),
        ("allowPartialUpload", true.into()),
    ]);
    let r = transcribe(&client(), chunks(), opts).await.unwrap();
    assert_eq!(
        (s(&r, "status"), n(&r, "http_status")),
        ("partial".into(), 206.0)
    );
    let missing: Array = get(&r, "missing_chunks").dyn_into().unwrap();
    assert_eq!(missing.to_vec(), vec![JsValue::from("audio_1.wav")]);
    let end_body = get(&sim_session(&s(&r, "session_id")).await, "end_body");
    assert_eq!(
        (
            n(&end_body, "audio_files_sent"),
            n(&end_body, "audio_files_uploaded")
        ),
        (2.0, 1.0)
    );
}

#[wasm_bindgen_test]
async fn service_errors_keep_their_codes() {
    let c = client();
    let session = create(&c, JsValue::UNDEFINED).await.unwrap();
    let id = s(&session, "session_id");
    upload(&c, &session, bytes(PART0), JsValue::UNDEFINED)
        .await
        .unwrap();
    end(&c, &id, JsValue::UNDEFINED).await.unwrap();
    // A poll on a session that is processing is allowed; an upload after End is not.
    let e = expect_error(
        upload(&c, &session, bytes(PART1), JsValue::UNDEFINED).await,
        "bad_request",
        Some(400),
    );
    assert_eq!(s(&e, "apiCode"), "session_ended");
    // Expired: 410 -> expired.
    let gone = create(
        &c,
        obj(&[("additionalData", simulate(&[("expire", true.into())]))]),
    )
    .await
    .unwrap();
    let e = expect_error(
        upload(&c, &gone, bytes(PART0), JsValue::UNDEFINED).await,
        "expired",
        Some(410),
    );
    assert_eq!(s(&e, "apiCode"), "session_expired");
    let gone_id = s(&gone, "session_id");
    expect_error(
        end(&c, &gone_id, obj(&[("audioFilesSent", 0.into())])).await,
        "expired",
        Some(410),
    );
    assert_eq!(
        s(
            &poll(&c, &gone_id, JsValue::UNDEFINED).await.unwrap(),
            "status"
        ),
        "expired"
    );
    // 413: a service whose limit is lower than this client's.
    let small = create(
        &c,
        obj(&[(
            "additionalData",
            simulate(&[("max_chunk_bytes", 1000.into())]),
        )]),
    )
    .await
    .unwrap();
    let e = expect_error(
        upload(&c, &small, bytes(PART0), JsValue::UNDEFINED).await,
        "too_large",
        Some(413),
    );
    assert_eq!(s(&e, "apiCode"), "chunk_too_large");
    // 409: a client-chosen id used twice.
    let mut chosen = String::from("client-id-");
    chosen.push_str(&uid("x").replace('.', ""));
    let chosen: String = chosen.chars().take(32).collect();
    create(&c, obj(&[("sessionId", chosen.as_str().into())]))
        .await
        .unwrap();
    let e = expect_error(
        create(&c, obj(&[("sessionId", chosen.as_str().into())])).await,
        "conflict",
        Some(409),
    );
    assert_eq!(s(&e, "apiCode"), "session_already_committed");
    // A session that was never ended keeps answering 202 initialized.
    let fresh = create(&c, JsValue::UNDEFINED).await.unwrap();
    let g = get_once(&c, &s(&fresh, "session_id"), JsValue::UNDEFINED)
        .await
        .unwrap();
    assert_eq!(
        (s(&g, "status"), n(&g, "http_status")),
        ("initialized".into(), 202.0)
    );
}

#[wasm_bindgen_test]
async fn bad_audio_and_arguments_are_refused_before_any_request() {
    let c = client();
    let session = create(&c, JsValue::UNDEFINED).await.unwrap();
    let id = s(&session, "session_id");
    let not_audio = bytes(b"%PDF-1.7 this is not audio at all");
    expect_error(
        upload(&c, &session, not_audio, JsValue::UNDEFINED).await,
        "invalid_audio",
        None,
    );
    expect_error(
        upload(
            &c,
            &session,
            bytes(PART0),
            obj(&[("format", "flac".into())]),
        )
        .await,
        "invalid_argument",
        None,
    );
    expect_error(
        upload(&c, &session, "text".into(), JsValue::UNDEFINED).await,
        "invalid_argument",
        None,
    );
    expect_error(
        upload(&c, &session, bytes(b""), JsValue::UNDEFINED).await,
        "invalid_audio",
        None,
    );
    let huge = Uint8Array::new_with_length(10 * 1024 * 1024 + 1);
    huge.set(&Uint8Array::from(&PART0[..64]), 0);
    expect_error(
        upload(&c, &session, huge.into(), JsValue::UNDEFINED).await,
        "invalid_audio",
        None,
    );
    let log = sim_json(&["/__sim/requests/", &id].concat()).await;
    assert_eq!(
        n(&log, "count"),
        1.0,
        "only the create request: no upload was sent"
    );
    // An explicit format names the file even for bytes that sniff as something else.
    let u = upload(
        &c,
        &session,
        bytes(PART0),
        obj(&[("format", "wav".into()), ("index", 7.into())]),
    )
    .await
    .unwrap();
    assert_eq!(s(&u, "file_name"), "audio_7.wav");
    let next = upload(&c, &session, bytes(OGG), JsValue::UNDEFINED)
        .await
        .unwrap();
    assert_eq!(
        s(&next, "file_name"),
        "audio_8.ogg",
        "counting goes on after the highest index"
    );
    for bad in [
        obj(&[("templates", "eka_emr_template".into())]),
        obj(&[("templates", Array::of1(&7.into()).into())]),
        obj(&[("uploadType", "stream".into())]),
        obj(&[("sessionId", "too-short".into())]),
        obj(&[(
            "additionalData",
            obj(&[("_protocol", Object::new().into())]),
        )]),
        obj(&[("patientDetails", "p_1".into())]),
        obj(&[("patientDetails", Array::new().into())]),
        obj(&[("presignedUpload", "yes".into())]),
    ] {
        expect_error(create(&c, bad).await, "invalid_argument", None);
    }
    // A value JSON cannot carry is named, not thrown through.
    let cyclic = Object::new();
    js_sys::Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    let e = expect_error(
        create(&c, obj(&[("additionalData", cyclic.into())])).await,
        "invalid_argument",
        None,
    );
    assert_eq!(
        s(&e, "message"),
        "`additionalData` must be serialisable as JSON"
    );
    for bad in [
        obj(&[("concurrency", 0.into())]),
        obj(&[("concurrency", 2.5.into())]),
        obj(&[("allowPartialUpload", 1.into())]),
        obj(&[("onProgress", Object::new().into())]),
    ] {
        let e = transcribe(&c, Array::of1(&bytes(PART0)).into(), bad).await;
        expect_error(e, "invalid_argument", None);
    }
    // No chunks at all, or not an iterable: refused before a session is created.
    for chunks in [Array::new().into(), JsValue::from(42), JsValue::from("abc")] {
        let e = transcribe(&c, chunks, JsValue::UNDEFINED).await;
        let e = expect_error(e, "invalid_argument", None);
        assert!(get(&e, "sessionId").is_undefined());
    }
    // A first chunk that is not audio, or an iterable that throws at once: found before a
    // session is created (the token source, asked before any request, is never called).
    let (counted, calls) = counting_client();
    let chunks = Array::of2(&bytes(b"%PDF-1.7 not audio"), &bytes(PART0));
    let e = transcribe(&counted, chunks.into(), JsValue::UNDEFINED).await;
    let e = expect_error(e, "invalid_audio", None);
    assert!(get(&e, "sessionId").is_undefined());
    let throwing = Function::new_no_args(
        "return (async function* () { throw new Error('cannot read the file'); })()",
    )
    .call0(&JsValue::NULL)
    .unwrap();
    let e = transcribe(&counted, throwing, JsValue::UNDEFINED)
        .await
        .unwrap_err();
    assert_eq!(s(&e, "message"), "cannot read the file");
    assert_eq!(calls.length(), 0, "no request was sent");
    expect_error(
        end(&c, "never-seen-by-this-client", JsValue::UNDEFINED).await,
        "invalid_argument",
        None,
    );
}

#[wasm_bindgen_test]
async fn the_token_goes_only_to_the_base_url_origin() {
    let c = client();
    let session = create(
        &c,
        obj(&[(
            "additionalData",
            simulate(&[("upload_origin", "other".into())]),
        )]),
    )
    .await
    .unwrap();
    let id = s(&session, "session_id");
    assert!(s(&session, "upload_url").starts_with("http://localhost:"));
    let e = expect_error(
        upload(&c, &session, bytes(PART0), JsValue::UNDEFINED).await,
        "invalid_response",
        None,
    );
    assert!(s(&e, "message").contains("origin"));
    let log = sim_json(&["/__sim/requests/", &id].concat()).await;
    assert_eq!(n(&log, "count"), 1.0, "only the create request arrived");
}

#[wasm_bindgen_test]
async fn malformed_upload_urls_are_invalid_responses() {
    let c = client();
    let session = create(&c, JsValue::UNDEFINED).await.unwrap();
    let id = s(&session, "session_id");
    let data = |fields: JsValue| {
        obj(&[(
            "uploadData",
            obj(&[
                ("url", "https://storage.example/".into()),
                ("fields", fields),
            ]),
        )])
    };
    for (upload_url, says) in [
        (JsValue::from(42), "neither"),
        (obj(&[("uploadData", "x".into())]), "neither"),
        (data(JsValue::NULL), "neither"),
        (data(obj(&[("key", 1.into())])), "must hold strings"),
        // A caller's object whose reading throws: read as nothing, never a trap.
        (hostile("get"), "neither"),
        (data(hostile("ownKeys")), "neither"),
    ] {
        let bad = obj(&[
            ("session_id", id.as_str().into()),
            ("upload_url", upload_url),
        ]);
        let e = expect_error(
            upload(&c, &bad, bytes(PART0), JsValue::UNDEFINED).await,
            "invalid_response",
            None,
        );
        assert!(s(&e, "message").contains(says), "{}", s(&e, "message"));
    }
    let log = sim_json(&["/__sim/requests/", &id].concat()).await;
    assert_eq!(n(&log, "count"), 1.0, "only the create request arrived");
}

#[wasm_bindgen_test]
async fn aborting_transcribe_rejects_with_the_reason() {
    let controller = web_sys::AbortController::new().unwrap();
    let opts = obj(&[
        ("signal", controller.signal().into()),
        ("additionalData", simulate(&[("process_ms", 60_000.into())])),
    ]);
    let pending = JsFuture::from(client().transcribe_js(Array::of1(&bytes(PART0)).into(), opts));
    sleep(400).await;
    controller.abort_with_reason(&"user cancelled".into());
    let e = pending.await.unwrap_err();
    assert_eq!(e.as_string().as_deref(), Some("user cancelled"));
}

/// A Proxy whose `trap` throws.
fn hostile(trap: &str) -> JsValue {
    js_sys::Function::new_with_args(
        "trap",
        "return new Proxy({}, { [trap]() { throw new Error('hostile'); } })",
    )
    .call1(&JsValue::NULL, &trap.into())
    .unwrap()
}

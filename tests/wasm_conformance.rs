//! Conformance with the provider's own server (`eka-care/ekascribe`), against the simulator
//! taught its rules: presigned objects collected only as `<n>.<ext>`, FastAPI's `detail`
//! envelopes, 403 auth answers that refuse the token, a create that requires
//! `language_hint`, chunk numbers in call order, and `upload_url`s on the service's own
//! origin behind a gateway. In Node, headless Chromium and a dedicated worker.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use eka_voice::wasm::VoiceClient;
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod support;
use support::*;

const PART0: &[u8] = include_bytes!("fixtures/audio/consultation-part0.wav");
const PART1: &[u8] = include_bytes!("fixtures/audio/consultation-part1.wav");

fn names(list: JsValue) -> Vec<String> {
    list.dyn_into::<Array>()
        .unwrap()
        .iter()
        .map(|f| f.as_string().unwrap_or_else(|| s(&f, "name")))
        .collect()
}

/// A getToken that answers `first` once, then `then`, counting its calls.
fn token_source(
    calls: Rc<Cell<u32>>,
    first: &'static str,
    then: &'static str,
) -> Closure<dyn FnMut() -> JsValue> {
    Closure::new(move || {
        calls.set(calls.get() + 1);
        JsValue::from_str(if calls.get() == 1 { first } else { then })
    })
}

#[wasm_bindgen_test]
async fn presigned_objects_are_named_as_the_service_stores_them() {
    let c = client();
    let session = create(
        &c,
        obj(&[
            ("presignedUpload", true.into()),
            (
                "templates",
                Array::of1(&"clinical_notes_template".into()).into(),
            ),
            ("additionalData", simulate(&[("process_ms", 100.into())])),
        ]),
    )
    .await
    .unwrap();
    let id = s(&session, "session_id");
    let u = upload(&c, &session, bytes(PART0), JsValue::UNDEFINED)
        .await
        .unwrap();
    assert_eq!(s(&u, "file_name"), "audio_0.wav", "the chunk's upload name");
    upload(&c, &session, bytes(PART1), JsValue::UNDEFINED)
        .await
        .unwrap();
    let sim = sim_session(&id).await;
    // The provider's server collects only `<n>.<ext>` objects: `audio_0.wav` would be lost.
    assert_eq!(names(get(&sim, "files")), vec!["0.wav", "1.wav"]);
    assert!(names(get(&sim, "stray_objects")).is_empty());
    JsFuture::from(c.end_session_js(id.clone().into(), JsValue::UNDEFINED))
        .await
        .unwrap();
    assert_eq!(
        s(&poll(&c, &id, JsValue::UNDEFINED).await.unwrap(), "status"),
        "completed"
    );
}

#[wasm_bindgen_test]
async fn fastapi_detail_envelopes_reach_the_error() {
    let c = client();
    let e = expect_error(
        get_once(&c, &uid("detail-list"), JsValue::UNDEFINED).await,
        "bad_request",
        Some(422),
    );
    assert_eq!(s(&e, "apiCode"), "missing");
    assert!(
        s(&e, "message").ends_with(": Field required"),
        "{}",
        s(&e, "message")
    );
    // Without a token source, 403 missing_token rejects at once, with the service's code.
    let id = uid("missing-token");
    let e = expect_error(
        get_once(&c, &id, JsValue::UNDEFINED).await,
        "unauthorized",
        Some(403),
    );
    assert_eq!(s(&e, "apiCode"), "missing_token");
    assert_eq!(received(&id).await.0.len(), 1);
}

#[wasm_bindgen_test]
async fn a_403_invalid_token_gets_one_fresh_token_and_one_retry() {
    // A rotated token: the service's auth layer answers 403 {"detail": "invalid_token"}.
    let calls = Rc::new(Cell::new(0));
    let source = token_source(calls.clone(), "invalid-rotated", "good-token");
    let c = VoiceClient::new(obj(&[
        ("baseUrl", SIM.into()),
        ("getToken", source.as_ref().clone()),
    ]))
    .unwrap();
    let session = create(&c, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(calls.get(), 2, "asked again once after the 403");
    let id = s(&session, "session_id");
    assert_eq!(received(&id).await.1, vec!["Bearer good-token"]);
    // A scripted 403 invalid_token once, whatever the token: refreshed and repeated.
    let id = uid("invalid-token-once");
    assert_eq!(
        s(&poll(&c, &id, JsValue::UNDEFINED).await.unwrap(), "status"),
        "completed"
    );
    assert_eq!(calls.get(), 3);
    assert_eq!(received(&id).await.0.len(), 2);
    // Refused twice: rejects with the service's code after one refresh.
    let calls = Rc::new(Cell::new(0));
    let source = token_source(calls.clone(), "invalid-a", "invalid-b");
    let c = VoiceClient::new(obj(&[
        ("baseUrl", SIM.into()),
        ("getToken", source.as_ref().clone()),
    ]))
    .unwrap();
    let e = expect_error(
        create(&c, JsValue::UNDEFINED).await,
        "unauthorized",
        Some(403),
    );
    assert_eq!(s(&e, "apiCode"), "invalid_token");
    assert_eq!(calls.get(), 2);
    // 401 {"detail": "token_expired"}: the code is read from `detail` too.
    let c = VoiceClient::new(client_opts(&[("token", "detail-expired-1".into())])).unwrap();
    let e = expect_error(
        create(&c, JsValue::UNDEFINED).await,
        "unauthorized",
        Some(401),
    );
    assert_eq!(s(&e, "apiCode"), "token_expired");
}

#[wasm_bindgen_test]
async fn a_create_without_a_language_the_service_takes_says_what_it_takes() {
    let c = client();
    let strict = || simulate(&[("require_language_hint", true.into())]);
    for hint in [JsValue::UNDEFINED, Array::of1(&"auto_detect".into()).into()] {
        let e = expect_error(
            create(
                &c,
                obj(&[("additionalData", strict()), ("languageHint", hint)]),
            )
            .await,
            "bad_request",
            Some(400),
        );
        assert!(
            s(&e, "message").contains("supported languages: en, hi, en-hi"),
            "{}",
            s(&e, "message")
        );
        assert_eq!(s(&e, "apiCode"), "bad_request");
    }
    let ok = create(
        &c,
        obj(&[("additionalData", strict()), ("languageHint", "en".into())]),
    )
    .await;
    assert_eq!(s(&ok.unwrap(), "status"), "created");
}

#[wasm_bindgen_test]
async fn chunk_numbers_follow_the_calls_and_a_failed_number_can_be_sent_again() {
    let c = client();
    let session = create(
        &c,
        obj(&[(
            "additionalData",
            simulate(&[("fail_chunks", obj(&[("7", 1.into())]))]),
        )]),
    )
    .await
    .unwrap();
    // A Blob takes longer to read than bytes: numbers are still given in call order.
    let a = c.upload_audio_js(
        session.clone(),
        blob(PART0, ""),
        obj(&[("index", 5.into())]),
    );
    let b = c.upload_audio_js(session.clone(), bytes(PART1), JsValue::UNDEFINED);
    let (a, b) = (
        JsFuture::from(a).await.unwrap(),
        JsFuture::from(b).await.unwrap(),
    );
    assert_eq!((n(&a, "index"), n(&b, "index")), (5.0, 6.0));
    // The next one continues after the highest (its first attempt fails and is retried).
    let next = upload(&c, &session, bytes(PART0), JsValue::UNDEFINED)
        .await
        .unwrap();
    assert_eq!(n(&next, "index"), 7.0);
}

#[wasm_bindgen_test]
async fn a_failed_chunk_is_sent_again_under_its_number_and_counted_once() {
    let c = client();
    let session = create(
        &c,
        obj(&[(
            "additionalData",
            simulate(&[("fail_chunks", obj(&[("0", 1.into())]))]),
        )]),
    )
    .await
    .unwrap();
    let id = s(&session, "session_id");
    let once = || obj(&[("maxRetries", 0.into())]);
    expect_error(
        upload(&c, &session, bytes(PART0), once()).await,
        "server_error",
        Some(503),
    );
    let again = upload(&c, &session, bytes(PART0), obj(&[("index", 0.into())]))
        .await
        .unwrap();
    assert_eq!(s(&again, "file_name"), "audio_0.wav");
    let next = upload(&c, &session, bytes(PART1), JsValue::UNDEFINED)
        .await
        .unwrap();
    assert_eq!(n(&next, "index"), 1.0);
    let ended = JsFuture::from(c.end_session_js(id.clone().into(), JsValue::UNDEFINED))
        .await
        .unwrap();
    assert_eq!(n(&ended, "audio_files_received"), 2.0);
    let end_body = get(&sim_session(&id).await, "end_body");
    assert_eq!(
        (
            n(&end_body, "audio_files_sent"),
            n(&end_body, "audio_files_uploaded")
        ),
        (2.0, 2.0)
    );
}

#[wasm_bindgen_test]
async fn behind_a_gateway_the_service_origin_is_trusted_only_when_named() {
    // `upload_origin: other`: the service names another origin (localhost) in upload_url.
    let other = SIM.replace("127.0.0.1", "localhost");
    let c = VoiceClient::new(client_opts(&[(
        "trustedUploadOrigins",
        Array::of1(&other.clone().into()).into(),
    )]))
    .unwrap();
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
    assert!(s(&session, "upload_url").starts_with(&other));
    upload(&c, &session, bytes(PART0), JsValue::UNDEFINED)
        .await
        .unwrap();
    let (_, auth, paths) = received(&id).await;
    assert_eq!(paths.len(), 2);
    assert_eq!(auth[1], "Bearer test-token");
    assert_eq!(names(get(&sim_session(&id).await, "files")), vec!["0.wav"]);
    // Not named: refused before anything is sent (tested in wasm_lifecycle too).
    let plain = client();
    let e = expect_error(
        upload(&plain, &session, bytes(PART1), JsValue::UNDEFINED).await,
        "invalid_response",
        None,
    );
    assert!(s(&e, "message").contains("trustedUploadOrigins"));
    assert_eq!(received(&id).await.0.len(), 2);
    // Each must be an origin: a path, a query or http:// to a remote host is a mistake.
    for bad in [
        "https://scribe.example/voice",
        "http://scribe.example",
        "scribe.example",
    ] {
        let r = VoiceClient::new(client_opts(&[(
            "trustedUploadOrigins",
            Array::of1(&bad.into()).into(),
        )]));
        let e = r.err().expect(bad);
        assert_eq!(s(&e, "code"), "invalid_argument", "{bad}");
        assert!(
            s(&e, "message").contains("trustedUploadOrigins"),
            "{}",
            s(&e, "message")
        );
    }
}

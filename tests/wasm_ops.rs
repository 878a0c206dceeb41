//! The operation table's other operations through the client's one driver (`call`), against
//! the simulator over real HTTP (Node, headless Chromium, a worker): each resolves with the
//! answer's body, fails with typed errors, carries the token (Discovery does not), takes
//! only the options it declares, and the two that make a document wait for it.
#![cfg(target_arch = "wasm32")]

use eka_voice::proto::OPS;
use eka_voice::wasm::VoiceClient;
use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod support;
use support::*;

const PART0: &[u8] = include_bytes!("fixtures/audio/consultation-part0.wav");

/// `client.<name>(...params, body?, options?)` as the JS face calls it.
async fn op(
    c: &VoiceClient,
    name: &str,
    params: &[&str],
    body: JsValue,
    opts: JsValue,
) -> Result<JsValue, JsValue> {
    let row = OPS.iter().position(|r| r.name == name).unwrap() as u32;
    let p = Array::new();
    for v in params {
        p.push(&(*v).into());
    }
    JsFuture::from(c.call_js(row, p, body, opts)).await
}

/// `client.getDiscovery()`.
async fn discovery(c: &VoiceClient) -> Result<JsValue, JsValue> {
    op(
        c,
        "getDiscovery",
        &[],
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    )
    .await
}

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

/// A session processed in 50 ms, with a chunk and a patient.
async fn finished(c: &VoiceClient, oid: &str) -> String {
    let patient = ("patientDetails", json(&format!(r#"{{"oid":"{oid}"}}"#)));
    ended(c, 50, Some(patient)).await
}

/// A session ended with one chunk, processed in `process_ms` (with this one more option).
async fn ended(c: &VoiceClient, process_ms: u32, extra: Option<(&str, JsValue)>) -> String {
    let mut pairs = vec![
        (
            "templates",
            Array::of1(&"clinical_notes_template".into()).into(),
        ),
        (
            "additionalData",
            simulate(&[("process_ms", process_ms.into())]),
        ),
    ];
    pairs.extend(extra);
    let created = create(c, obj(&pairs)).await.unwrap();
    upload(c, &created, bytes(PART0), JsValue::UNDEFINED)
        .await
        .unwrap();
    let id = s(&created, "session_id");
    JsFuture::from(c.end_session_js(id.clone().into(), JsValue::UNDEFINED))
        .await
        .unwrap();
    id
}

#[wasm_bindgen_test]
async fn templates_are_created_listed_updated_and_deleted() {
    let c = client();
    let made = op(
        &c,
        "createTemplate",
        &[],
        json(r#"{"title":"Follow-up","section_ids":["s1"]}"#),
        JsValue::UNDEFINED,
    )
    .await
    .unwrap();
    assert_eq!(n(&made, "http_status"), 201.0);
    let id = s(&made, "template_id");
    assert_eq!(listed_title(&c, &id).await.as_deref(), Some("Follow-up"));
    op(
        &c,
        "updateTemplate",
        &[&id],
        json(r#"{"title":"Follow-up v2"}"#),
        JsValue::UNDEFINED,
    )
    .await
    .unwrap();
    assert_eq!(listed_title(&c, &id).await.as_deref(), Some("Follow-up v2"));
    op(
        &c,
        "deleteTemplate",
        &[&id],
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    )
    .await
    .unwrap();
    let gone = op(
        &c,
        "deleteTemplate",
        &[&id],
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    )
    .await;
    expect_error(gone, "not_found", Some(404));
    // A body the service refuses (422): bad_request, not retried.
    let bad = op(
        &c,
        "createTemplate",
        &[],
        json(r#"{"title":"x"}"#),
        JsValue::UNDEFINED,
    )
    .await;
    expect_error(bad, "bad_request", Some(422));
}

#[wasm_bindgen_test]
async fn documents_are_saved_read_back_and_deleted() {
    let c = client();
    let id = finished(&c, "PAT-OPS-1").await;
    let body = json(&format!(
        r#"{{"session_id":"{id}","type":"custom","document_name":"Edited note"}}"#
    ));
    let saved = op(&c, "saveDocument", &[], body, JsValue::UNDEFINED)
        .await
        .unwrap();
    let doc = get(&saved, "data");
    let doc_id = s(&doc, "document_id");
    assert!(s(&doc, "presigned_url").starts_with("http"));
    let update = json(&format!(
        r#"{{"session_id":"{id}","document_id":"{doc_id}","document_name":"Edited v2"}}"#
    ));
    op(&c, "saveDocument", &[], update, JsValue::UNDEFINED)
        .await
        .unwrap();
    let read = op(
        &c,
        "getDocument",
        &[&doc_id],
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    )
    .await
    .unwrap();
    assert_eq!(s(&get(&read, "data"), "document_name"), "Edited v2");
    let listed = op(
        &c,
        "listSessionDocuments",
        &[&id],
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    )
    .await
    .unwrap();
    let docs: Array = get(&get(&listed, "data"), "documents").into();
    assert!(docs.iter().any(|d| s(&d, "document_id") == doc_id));
    op(
        &c,
        "deleteDocument",
        &[&doc_id],
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    )
    .await
    .unwrap();
    let gone = op(
        &c,
        "getDocument",
        &[&doc_id],
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    )
    .await;
    let e = expect_error(gone, "not_found", Some(404));
    assert!(
        get(&e, "sessionId").is_undefined(),
        "a document call names no session"
    );
}

#[wasm_bindgen_test]
async fn process_template_and_upload_transcript_wait_for_their_document() {
    let c = client();
    let id = finished(&c, "PAT-OPS-2").await;
    poll(&c, &id, JsValue::UNDEFINED).await.unwrap();
    let (seen, hook) = progress_recorder();
    let done = op(
        &c,
        "processTemplate",
        &[&id, "eka_emr_template"],
        JsValue::UNDEFINED,
        obj(&[("onProgress", hook), ("intervalMs", 100.into())]),
    )
    .await
    .unwrap();
    assert_eq!(s(&done, "status"), "completed");
    let entry = Array::from(&get(&done, "templates")).get(0);
    assert!(
        get(&entry, "eka_emr_template").is_object(),
        "the session holds the processed document"
    );
    assert!(
        seen.length() >= 1,
        "a 202 was reported while it was generated"
    );
    let body = json(
        r#"{"transcript":"Doctor: How long the cough? Patient: Three days.","template_id":"clinical_notes_template"}"#,
    );
    let done = op(
        &c,
        "uploadTranscript",
        &[&id],
        body,
        obj(&[("intervalMs", 100.into())]),
    )
    .await
    .unwrap();
    assert_eq!(s(&done, "status"), "completed");
    // A session that does not exist: typed, with the session named.
    let e = op(
        &c,
        "processTemplate",
        &["no-such-session", "eka_emr_template"],
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    )
    .await;
    assert_eq!(
        s(&expect_error(e, "not_found", Some(404)), "sessionId"),
        "no-such-session"
    );
}

#[wasm_bindgen_test]
async fn sessions_are_updated_listed_and_their_audio_found() {
    let c = client();
    let created = create(&c, JsValue::UNDEFINED).await.unwrap();
    let id = s(&created, "session_id");
    op(
        &c,
        "updateSession",
        &[&id],
        json(r#"{"patient_details":{"oid":"PAT-OPS-3"}}"#),
        JsValue::UNDEFINED,
    )
    .await
    .unwrap();
    let got = get_once(&c, &id, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(s(&get(&got, "patient_details"), "oid"), "PAT-OPS-3");
    let e = op(
        &c,
        "updateSession",
        &[&id],
        json(r#"{"colour":"blue"}"#),
        JsValue::UNDEFINED,
    )
    .await;
    expect_error(e, "bad_request", Some(422));
    let id2 = finished(&c, "PAT-OPS-3").await;
    let history = op(
        &c,
        "getSessions",
        &[],
        JsValue::UNDEFINED,
        obj(&[("oid", "PAT-OPS-3".into()), ("count", 5.into())]),
    )
    .await
    .unwrap();
    let data: Array = get(&history, "data").into();
    assert_eq!(s(&data.get(0), "txn_id"), id2, "newest first");
    assert!(data.iter().any(|x| s(&x, "txn_id") == id));
    // A patient's first visit: the service's 404 "No transactions found" is an empty
    // history (the document: "No sessions found"), not an error.
    let first_visit = format!("PAT-NEW-{}", js_sys::Math::random());
    let none = op(
        &c,
        "getSessions",
        &[],
        JsValue::UNDEFINED,
        obj(&[("oid", first_visit.as_str().into())]),
    )
    .await
    .unwrap();
    assert_eq!(s(&none, "status"), "success");
    assert_eq!(Array::from(&get(&none, "data")).length(), 0);
    assert_eq!(get(&none, "retrieved_count").as_f64(), Some(0.0));
    assert_eq!(get(&none, "http_status").as_f64(), Some(404.0));
    poll(&c, &id2, JsValue::UNDEFINED).await.unwrap();
    let audio = op(
        &c,
        "getSessionAudio",
        &[&id2],
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    )
    .await
    .unwrap();
    let bytes = JsFuture::from(global_fetch(&s(&audio, "audio_url")))
        .await
        .unwrap();
    assert_eq!(n(&bytes, "status"), 200.0);
}

#[wasm_bindgen_test]
async fn discovery_is_public_and_options_are_the_operations_own() {
    // Discovery carries no token: the token source is never asked.
    let (c, calls) = counting_client();
    let d = discovery(&c).await.unwrap();
    assert_eq!(s(&d, "protocol"), "medscribealliance");
    assert_eq!(calls.length(), 0);
    // What an operation does not take, or the wrong types: invalid_argument, nothing sent.
    let c = client();
    for (name, params, body, opts) in [
        (
            "listTemplates",
            vec![],
            JsValue::UNDEFINED,
            obj(&[("count", 3.into())]),
        ),
        (
            "getDocument",
            vec![],
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
        ),
        (
            "getDocument",
            vec![".."],
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
        ),
        ("createTemplate", vec![], "text".into(), JsValue::UNDEFINED),
        (
            "getSessions",
            vec![],
            JsValue::UNDEFINED,
            obj(&[("count", "5".into())]),
        ),
        (
            "getSessions",
            vec![],
            JsValue::UNDEFINED,
            obj(&[("onProgress", Function::new_no_args("").into())]),
        ),
        (
            "listTemplates",
            vec![],
            JsValue::UNDEFINED,
            obj(&[("nope", 1.into())]),
        ),
    ] {
        let e = op(&c, name, &params, body, opts).await;
        expect_error(e, "invalid_argument", None);
    }
}

/// The title `listTemplates` gives template `id`, when it lists it.
async fn listed_title(c: &VoiceClient, id: &str) -> Option<String> {
    let listed = op(
        c,
        "listTemplates",
        &[],
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    )
    .await
    .unwrap();
    let items: Array = get(&listed, "items").into();
    items
        .iter()
        .find(|t| s(t, "id") == id)
        .map(|t| s(&t, "title"))
}

/// An `onProgress` that counts its calls.
fn progress_recorder() -> (Array, JsValue) {
    let seen = Array::new();
    let hook = Function::new_with_args("seen", "return (s) => { seen.push(s.status); }")
        .call1(&JsValue::NULL, &seen)
        .unwrap();
    (seen, hook)
}

#[wasm_bindgen_test]
async fn discovery_is_kept_as_its_cache_control_says_and_a_create_is_checked_against_it() {
    let c = client();
    // Not kept yet: a create with a model the service does not offer reaches the service.
    let unchecked = create(&c, obj(&[("model", "turbo".into())])).await;
    assert!(
        unchecked.is_ok(),
        "no Discovery kept: nothing to check against"
    );
    let before = received("__discovery").await.0.len();
    let first = discovery(&c).await.unwrap();
    // The simulator says `max-age=10800`: the second call is answered by the client, with a
    // copy (what the caller changed in the first is not in it).
    js_sys::Reflect::set(&first, &"protocol".into(), &"changed".into()).unwrap();
    let second = discovery(&c).await.unwrap();
    assert_eq!(s(&second, "protocol"), "medscribealliance");
    assert_eq!(n(&second, "http_status"), 200.0);
    // One request for two calls. (A browser's own HTTP cache may answer the first from an
    // earlier test's request — the answer is public, max-age 3 hours — so only Node, which
    // has no HTTP cache, counts exactly.)
    let asked = received("__discovery").await.0.len() - before;
    assert!(asked <= 1, "asked {asked} times");
    if option_env!("EKA_TEST_ENV") == Some("node") {
        assert_eq!(asked, 1);
    }
    // Now a create is checked against it, before any request.
    let (counted, calls) = counting_client();
    discovery(&counted).await.unwrap();
    let asked = calls.length();
    for (opts, says) in [
        (
            obj(&[("model", "turbo".into())]),
            "`model` \"turbo\" is not a model of the service (Discovery: lite, pro)",
        ),
        (
            obj(&[
                ("model", "lite".into()),
                ("languageHint", Array::of1(&"en-hi".into()).into()),
            ]),
            "`languageHint` \"en-hi\" is not a language of model \"lite\" (Discovery: en, hi)",
        ),
    ] {
        let e = expect_error(create(&counted, opts).await, "invalid_argument", None);
        assert_eq!(s(&e, "message"), says);
    }
    assert_eq!(calls.length(), asked, "refused before any request");
    let fine = obj(&[
        ("model", "pro".into()),
        ("languageHint", Array::of1(&"en-hi".into()).into()),
    ]);
    assert!(create(&counted, fine).await.is_ok());
}

#[wasm_bindgen_test]
async fn session_audio_is_asked_again_until_it_is_ready() {
    let c = client();
    let id = ended(&c, 1500, None).await;
    let (seen, on_retry) = retry_recorder();
    let opts = obj(&[("onRetry", on_retry)]);
    let audio = op(&c, "getSessionAudio", &[&id], JsValue::UNDEFINED, opts)
        .await
        .unwrap();
    assert_eq!(n(&audio, "http_status"), 200.0);
    assert!(seen.length() >= 1, "asked again while it was not ready");
    let first: Array = seen.get(0).into();
    assert_eq!(first.get(2).as_string().as_deref(), Some("not_found"));
    assert_eq!(first.get(3).as_f64(), Some(404.0));
    // Not asked again when told not to: the 404 is the answer.
    let id = ended(&c, 1500, None).await;
    let once = obj(&[("maxRetries", 0.into())]);
    let e = op(&c, "getSessionAudio", &[&id], JsValue::UNDEFINED, once).await;
    let e = expect_error(e, "not_found", Some(404));
    assert_eq!(s(&e, "apiCode"), "audio_not_available");
}

#[wasm_bindgen_test]
async fn the_rust_api_performs_any_row_and_refuses_the_wrong_shape() {
    use eka_voice::proto::{ErrorCode, Op};
    use eka_voice::wasm::errors::Failure;
    let c = client();
    #[derive(serde::Deserialize)]
    struct Discovery {
        protocol: String,
    }
    let d: Discovery = c
        .operation(Op::Discovery, &[], None::<&()>, Default::default())
        .await
        .unwrap();
    assert_eq!(d.protocol, "medscribealliance");
    let code = |r: Result<Discovery, Failure>| match r {
        Err(Failure::Api(a)) => a.error.code,
        _ => panic!("expected an error"),
    };
    let own = c.operation(Op::CreateSession, &[], None::<&()>, Default::default());
    assert_eq!(code(own.await), ErrorCode::InvalidArgument);
    let no_id = c.operation(Op::GetDocument, &[], None::<&()>, Default::default());
    assert_eq!(code(no_id.await), ErrorCode::InvalidArgument);
    let no_body = c.operation(Op::CreateTemplate, &[], None::<&()>, Default::default());
    assert_eq!(code(no_body.await), ErrorCode::InvalidArgument);
    let missing = c.operation(
        Op::GetDocument,
        &["doc_none"],
        None::<&()>,
        Default::default(),
    );
    assert_eq!(code(missing.await), ErrorCode::NotFound);
}

#[wasm_bindgen_test]
async fn rust_options_take_the_apps_own_types() {
    use eka_voice::wasm::errors::Failure;
    use eka_voice::wasm::options::{CreateOptions, Json};
    #[derive(serde::Serialize)]
    struct Patient<'a> {
        oid: &'a str,
        name: &'a str,
    }
    let p = Json::of(&Patient {
        oid: "PAT-RUST",
        name: "R. Ust",
    })
    .unwrap();
    assert_eq!(p.text, r#"{"oid":"PAT-RUST","name":"R. Ust"}"#);
    assert!(!p.has_protocol);
    // A top-level `_protocol` is found as the JS side finds it: the create refuses it.
    let mut reserved = std::collections::BTreeMap::new();
    reserved.insert("_protocol", 1);
    let data = Json::of(&reserved).unwrap();
    assert!(data.has_protocol);
    let c = client();
    let create = CreateOptions {
        additional_data: Some(data),
        ..Default::default()
    };
    match c.create_session(create, Default::default()).await {
        Err(Failure::Api(a)) => assert_eq!(a.error.code.as_str(), "invalid_argument"),
        other => panic!("{:?}", other.map(|c| c.session_id)),
    }
    // Not an object: refused.
    assert!(Json::of(&[1, 2]).is_err());
    assert!(Json::of("text").is_err());
    // A patient of the app's type reaches the service.
    let create = CreateOptions {
        patient_details: Some(p),
        ..Default::default()
    };
    let made = c.create_session(create, Default::default()).await.unwrap();
    let sent = get(
        &get(&sim_session(&made.session_id).await, "request"),
        "patient_details",
    );
    assert_eq!(s(&sent, "oid"), "PAT-RUST");
    assert_eq!(s(&sent, "name"), "R. Ust");
}

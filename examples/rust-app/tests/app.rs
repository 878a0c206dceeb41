//! The app against the simulator (its URL baked in at compile time, `EKA_SIM_URL`), in Node
//! and headless Chromium (`WASM_BINDGEN_USE_BROWSER=1`).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

const SIM: &str = match option_env!("EKA_SIM_URL") {
    Some(u) => u,
    None => "http://127.0.0.1:8787",
};

#[wasm_bindgen_test]
async fn polls_a_session_with_the_crate_as_a_rust_dependency() {
    let status = eka_voice_rust_app::poll_status(SIM, "app-token", "complete.rust-app")
        .await
        .unwrap();
    assert_eq!(status, "completed");
}

#[wasm_bindgen_test]
async fn its_own_get_session_export_answers() {
    let id = format!("instant.rust-app-{}", js_sys::Math::random());
    let status = eka_voice_rust_app::get_session(SIM.into(), "app-token".into(), id)
        .await
        .unwrap();
    assert_eq!(status, "completed");
}

#[wasm_bindgen_test]
async fn errors_reach_the_app_as_values() {
    let e = eka_voice_rust_app::get_session(SIM.into(), "app-token".into(), "no-such.x".into())
        .await
        .unwrap_err();
    let code = js_sys::Reflect::get(&e, &"code".into())
        .unwrap()
        .as_string();
    assert_eq!(code.as_deref(), Some("not_found"));
}

const WAV: &[u8] = include_bytes!("../../../tests/fixtures/audio/consultation-part0.wav");

#[wasm_bindgen_test]
async fn the_whole_lifecycle_with_typed_results() {
    let (status, snapshots) = eka_voice_rust_app::record(SIM, "app-token", &[WAV, WAV])
        .await
        .unwrap();
    assert_eq!(status, "completed");
    assert!(snapshots >= 1, "progress reached the Rust closure");
}

#[wasm_bindgen_test]
async fn errors_are_a_rust_enum_with_the_codes_of_the_js_api() {
    use eka_voice::proto::ErrorCode;
    use eka_voice::wasm::errors::Failure;
    let e = eka_voice_rust_app::record(SIM, "app-token", &[b"not audio"])
        .await
        .unwrap_err();
    match e {
        Failure::Api(a) => assert_eq!(a.error.code, ErrorCode::InvalidAudio),
        other => panic!("{other:?}"),
    }
}

#[wasm_bindgen_test]
async fn transcribe_takes_a_stream_of_chunks() {
    let (status, phases) =
        eka_voice_rust_app::transcribe_stream(SIM, "app-token", vec![WAV.to_vec(), WAV.to_vec()])
            .await
            .unwrap();
    assert_eq!(status, "completed");
    assert_eq!(phases, ["creating", "uploading", "ending", "processing"]);
}

#[wasm_bindgen_test]
async fn every_other_operation_through_one_method_with_the_apps_own_types() {
    let title = format!("Rust picker {}", js_sys::Math::random());
    let t = eka_voice_rust_app::template_roundtrip(SIM, "app-token", &title)
        .await
        .unwrap();
    assert_eq!(t.title, title);
    assert!(!t.id.is_empty());
}

#[wasm_bindgen_test]
async fn a_rust_token_source_is_asked_again_when_its_token_is_refused() {
    let id = format!("instant.rust-token-{}", js_sys::Math::random());
    let (status, calls, refused) = eka_voice_rust_app::with_token_source(SIM, &id)
        .await
        .unwrap();
    assert_eq!(status, "completed");
    assert_eq!(calls, 2, "asked once, and again after the 401");
    assert_eq!(refused.as_deref(), Some("expired-first"));
}

#[wasm_bindgen_test]
async fn a_final_failure_of_a_rust_token_source_is_unauthorized() {
    use eka_voice::proto::ErrorCode;
    use eka_voice::wasm::errors::Failure;
    let id = format!("instant.rust-token-{}", js_sys::Math::random());
    match eka_voice_rust_app::with_failing_token_source(SIM, &id).await {
        Failure::Api(a) => {
            assert_eq!(a.error.code, ErrorCode::Unauthorized);
            assert_eq!(a.error.status, Some(403));
            assert!(a.error.message.contains("the clinic's login expired"));
        }
        other => panic!("{other:?}"),
    }
}

#[wasm_bindgen_test]
async fn retries_reach_a_rust_closure_with_typed_errors() {
    let id = format!("flaky.rust-retry-{}", js_sys::Math::random());
    let (status, seen) = eka_voice_rust_app::retries_seen(SIM, "app-token", &id)
        .await
        .unwrap();
    assert_eq!(status, "completed");
    assert_eq!(seen, [(1, "server_error"), (2, "server_error")]);
}

#[wasm_bindgen_test]
async fn a_waiting_operation_reports_its_snapshots_to_a_rust_closure() {
    let (status, templates, snapshots) = eka_voice_rust_app::process_again(SIM, "app-token", WAV)
        .await
        .unwrap();
    assert_eq!(status, "completed");
    assert!(
        templates.iter().any(|t| t == "eka_emr_template"),
        "{templates:?}"
    );
    assert!(
        snapshots >= 1,
        "a 202 came while the document was generated"
    );
}

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

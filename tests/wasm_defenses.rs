//! Defences against hostile callers and broken answers, against the simulator over real
//! HTTP in Node, headless Chromium and a dedicated worker. The cases are written in JS
//! (`tests/support/defenses.js`), where hostile callers live: Proxies that throw on every
//! trap, throwing getters, iterators that throw or never end, throwing signals, thousands
//! of throwing calls; then the nine defects of the "unbreakable" issue and the decisions
//! taken with them (each case says which). Every call must settle with a typed error (or
//! what the caller's own code threw), and a fresh call must still work afterwards.
// The cases hand the client to JS as the package exports it (feature `js-package`).
#![cfg(all(target_arch = "wasm32", feature = "js-package"))]

use eka_voice::wasm::{get_session, poll_session, VoiceClient};
use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod support;
use support::*;

#[wasm_bindgen(module = "/tests/support/defenses.js")]
extern "C" {
    #[wasm_bindgen(js_name = runCase)]
    fn run_case(name: &str, env: &JsValue) -> Promise;
}

/// The raw constructors a case builds its `env` from (see `runCase`).
fn raw() -> JsValue {
    let make = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(|opts: JsValue| {
        VoiceClient::new(opts).map(JsValue::from)
    });
    let poll = Closure::<dyn Fn(JsValue, JsValue) -> Promise>::new(poll_session);
    let get = Closure::<dyn Fn(JsValue, JsValue) -> Promise>::new(get_session);
    let global: JsValue = js_sys::global().into();
    let has = |name: &str| Reflect::has(&global, &name.into()).unwrap_or(false);
    obj(&[
        ("make", make.into_js_value()),
        ("pollSession", poll.into_js_value()),
        ("getSession", get.into_js_value()),
        ("sim", SIM.into()),
        ("node", (has("process") && !has("window")).into()),
    ])
}

async fn run(name: &str) {
    if let Err(e) = JsFuture::from(run_case(name, &raw())).await {
        let stack = Reflect::get(&e, &"stack".into())
            .ok()
            .and_then(|s| s.as_string());
        panic!(
            "{name}: {}",
            stack.or_else(|| e.as_string()).unwrap_or_default()
        );
    }
}

#[wasm_bindgen_test]
async fn proxies_as_options_reject_every_call() {
    run("proxies_as_options_reject_every_call").await;
}

#[wasm_bindgen_test]
async fn proxies_in_every_other_position_reject() {
    run("proxies_in_every_other_position_reject").await;
}

#[wasm_bindgen_test]
async fn getters_that_throw_reject_every_call() {
    run("getters_that_throw_reject_every_call").await;
}

#[wasm_bindgen_test]
async fn throwing_getters_of_chunks_are_not_read() {
    run("throwing_getters_of_chunks_are_not_read").await;
}

#[wasm_bindgen_test]
async fn signals_that_throw_end_the_call_with_a_typed_error() {
    run("signals_that_throw_end_the_call_with_a_typed_error").await;
}

#[wasm_bindgen_test]
async fn iterators_that_throw_or_never_end_settle() {
    run("iterators_that_throw_or_never_end_settle").await;
}

#[wasm_bindgen_test]
async fn callbacks_that_throw_or_lie_settle() {
    run("callbacks_that_throw_or_lie_settle").await;
}

#[wasm_bindgen_test]
async fn thousands_of_throwing_calls_leave_the_instance_usable() {
    run("thousands_of_throwing_calls_leave_the_instance_usable").await;
}

#[wasm_bindgen_test]
async fn options_a_call_does_not_take_are_refused() {
    run("options_a_call_does_not_take_are_refused").await;
}

#[wasm_bindgen_test]
async fn errors_carry_their_cause() {
    run("errors_carry_their_cause").await;
}

#[wasm_bindgen_test]
async fn dot_session_ids_are_refused_before_sending() {
    run("dot_session_ids_are_refused_before_sending").await;
}

#[wasm_bindgen_test]
async fn an_abandoned_get_token_is_not_reused() {
    run("an_abandoned_get_token_is_not_reused").await;
}

#[wasm_bindgen_test]
async fn aborting_transcribe_stops_its_uploads() {
    run("aborting_transcribe_stops_its_uploads").await;
}

#[wasm_bindgen_test]
async fn a_body_cut_in_the_middle_is_retried() {
    run("a_body_cut_in_the_middle_is_retried").await;
}

#[wasm_bindgen_test]
async fn the_deadline_of_transcribe_counts_from_the_last_chunk() {
    run("the_deadline_of_transcribe_counts_from_the_last_chunk").await;
}

#[wasm_bindgen_test]
async fn shared_array_buffers_are_copied() {
    run("shared_array_buffers_are_copied").await;
}

#[wasm_bindgen_test]
async fn the_token_never_reaches_an_error() {
    run("the_token_never_reaches_an_error").await;
}

#[wasm_bindgen_test]
async fn interval_zero_keeps_a_floor_unless_opted_out() {
    run("interval_zero_keeps_a_floor_unless_opted_out").await;
}

#[wasm_bindgen_test]
async fn a_malformed_upload_url_is_invalid_response() {
    run("a_malformed_upload_url_is_invalid_response").await;
}

#[wasm_bindgen_test]
async fn answers_over_the_size_limit_are_refused() {
    run("answers_over_the_size_limit_are_refused").await;
}

#[wasm_bindgen_test]
async fn redirects_are_never_followed() {
    run("redirects_are_never_followed").await;
}

#[wasm_bindgen_test]
async fn upload_audio_copies_the_callers_bytes() {
    run("upload_audio_copies_the_callers_bytes").await;
}

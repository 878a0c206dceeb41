//! A durable transcription (a recording's) through the JS API, against the simulator over
//! real HTTP in Node, headless Chromium and a dedicated worker: `client.transcribe` with a
//! `durable` store (in memory, in `tests/support/durable.js`) — failures retried by the
//! machine and reported, a client-chosen session id, nothing kept once done; a stored
//! transcription resumed by another client; a store that is full is not a loss.
#![cfg(all(target_arch = "wasm32", feature = "js-package"))]

use eka_voice::wasm::VoiceClient;
use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod support;
use support::*;

#[wasm_bindgen(module = "/tests/support/durable.js")]
extern "C" {
    #[wasm_bindgen(js_name = runCase)]
    fn run_case(name: &str, env: &JsValue) -> Promise;
}

async fn run(name: &str) {
    let make = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(|opts: JsValue| {
        VoiceClient::new(opts).map(JsValue::from)
    });
    let env = obj(&[("make", make.into_js_value()), ("sim", SIM.into())]);
    if let Err(e) = JsFuture::from(run_case(name, &env)).await {
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
async fn failures_are_retried_and_nothing_is_kept() {
    run("failures_are_retried_and_nothing_is_kept").await;
}

#[wasm_bindgen_test]
async fn a_stored_transcription_is_resumed() {
    run("a_stored_transcription_is_resumed").await;
}

#[wasm_bindgen_test]
async fn a_full_store_is_not_a_loss() {
    run("a_full_store_is_not_a_loss").await;
}

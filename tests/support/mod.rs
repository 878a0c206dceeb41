//! Helpers shared by the wasm suites: the simulator's URL (baked in at compile time:
//! browsers cannot read the environment), JS object access, requests seen by the simulator.
#![allow(dead_code)]

use eka_voice::wasm::VoiceClient;
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub const SIM: &str = match option_env!("EKA_SIM_URL") {
    Some(u) => u,
    None => "http://127.0.0.1:8787",
};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    pub fn global_fetch(url: &str) -> Promise;
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(f: &Function, ms: i32) -> JsValue;
}

// ------------------------------------------------------------------ helpers

pub fn uid(scenario: &str) -> String {
    let r = (js_sys::Math::random() * 1e12) as u64;
    let mut s = String::from(scenario);
    s.push('.');
    s.push_str(&r.to_string());
    s
}

pub fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

pub fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

pub fn s(v: &JsValue, key: &str) -> String {
    get(v, key)
        .as_string()
        .unwrap_or_else(|| panic!("{key} is not a string"))
}

pub fn n(v: &JsValue, key: &str) -> f64 {
    get(v, key)
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number"))
}

pub fn client_opts(extra: &[(&str, JsValue)]) -> JsValue {
    let o = obj(&[("baseUrl", SIM.into()), ("token", "test-token".into())]);
    for (k, v) in extra {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o
}

/// The bytes of a chunk as a JS `Uint8Array`.
pub fn bytes(b: &[u8]) -> JsValue {
    js_sys::Uint8Array::from(b).into()
}

/// A Blob of `b` typed `mime` (untyped when empty).
pub fn blob(b: &[u8], mime: &str) -> JsValue {
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    let parts = Array::of1(&js_sys::Uint8Array::from(b));
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &bag)
        .unwrap()
        .into()
}

/// `additionalData: { simulate: {…} }`: the simulator's faults for a created session.
pub fn simulate(pairs: &[(&str, JsValue)]) -> JsValue {
    obj(&[("simulate", obj(pairs))])
}

/// `createSession(opts)`.
pub async fn create(c: &VoiceClient, opts: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(c.create_session_js(opts)).await
}

/// `uploadAudio(session, chunk, opts)`.
pub async fn upload(
    c: &VoiceClient,
    session: &JsValue,
    chunk: JsValue,
    opts: JsValue,
) -> Result<JsValue, JsValue> {
    JsFuture::from(c.upload_audio_js(session.clone(), chunk, opts)).await
}

/// What the simulator holds of a created session.
pub async fn sim_session(id: &str) -> JsValue {
    let mut p = String::from("/__sim/sessions/");
    p.push_str(id);
    sim_json(&p).await
}

pub fn client() -> VoiceClient {
    VoiceClient::new(client_opts(&[])).unwrap()
}

pub async fn poll(c: &VoiceClient, id: &str, opts: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(c.poll_session_js(id.into(), opts)).await
}

pub async fn get_once(c: &VoiceClient, id: &str, opts: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(c.get_session_js(id.into(), opts)).await
}

pub async fn sleep(ms: i32) {
    let p = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms);
    });
    JsFuture::from(p).await.unwrap();
}

/// What the simulator received for a session: (start times, authorization headers, paths).
pub async fn received(id: &str) -> (Vec<f64>, Vec<String>, Vec<String>) {
    let mut path = String::from("/__sim/requests/");
    path.push_str(&js_sys::encode_uri_component(id).as_string().unwrap());
    let body = sim_json(&path).await;
    let reqs: Array = get(&body, "requests").dyn_into().unwrap();
    let mut out = (vec![], vec![], vec![]);
    for r in reqs.iter() {
        out.0.push(n(&r, "t"));
        out.1.push(s(&r, "authorization"));
        out.2.push(s(&r, "path"));
    }
    out
}

/// Asserts a `VoiceApiError` with this code (and HTTP status) and returns it.
pub fn expect_error(r: Result<JsValue, JsValue>, code: &str, status: Option<u32>) -> JsValue {
    let e = r.expect_err("expected a rejection");
    assert!(e.is_instance_of::<js_sys::Error>(), "not an Error");
    assert_eq!(s(&e, "name"), "VoiceApiError");
    assert_eq!(s(&e, "code"), code, "message: {}", s(&e, "message"));
    assert_eq!(get(&e, "status").as_f64().map(|x| x as u32), status);
    e
}

/// GETs a control route of the simulator (`/__sim/...`).
pub async fn sim_get(path: &str) -> web_sys::Response {
    let mut url = String::from(SIM);
    url.push_str(path);
    let resp: web_sys::Response = JsFuture::from(global_fetch(&url))
        .await
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(resp.status(), 200, "{url}");
    resp
}

/// GETs a JSON control route of the simulator.
pub async fn sim_json(path: &str) -> JsValue {
    JsFuture::from(sim_get(path).await.json().unwrap())
        .await
        .unwrap()
}

/// GETs raw bytes from the simulator.
pub async fn sim_bytes(path: &str) -> Vec<u8> {
    let buf = JsFuture::from(sim_get(path).await.array_buffer().unwrap())
        .await
        .unwrap();
    js_sys::Uint8Array::new(&buf).to_vec()
}

/// An `onRetry` hook and what it saw: one `[attempt, delayMs, error.code, error.status,
/// error.sessionId, error instanceof Error]` per call.
pub fn retry_recorder() -> (js_sys::Array, JsValue) {
    let seen = js_sys::Array::new();
    let make = js_sys::Function::new_with_args(
        "seen",
        "return (e) => { seen.push([e.attempt, e.delayMs, e.error.code, e.error.status, e.error.sessionId, e.error instanceof Error]); }",
    );
    let hook = make.call1(&JsValue::NULL, &seen).unwrap();
    (seen, hook)
}

/// A client of the simulator whose `getToken` counts its calls (the array's length): a
/// token source is asked before any request, so none means nothing was sent.
pub fn counting_client() -> (VoiceClient, js_sys::Array) {
    let calls = js_sys::Array::new();
    let source = Function::new_with_args(
        "calls",
        "return () => { calls.push(1); return 'tok-1234567'; }",
    )
    .call1(&JsValue::NULL, &calls)
    .unwrap();
    let c = VoiceClient::new(obj(&[("baseUrl", SIM.into()), ("getToken", source)])).unwrap();
    (c, calls)
}

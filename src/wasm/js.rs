//! Bindings of the package's one JS snippet, `src/wasm/snippet.js` (one file beside the
//! glue): the JS plumbing that is shorter (and no slower) written in JS than bound import
//! by import — the `VoiceApiError` class, a cancellable timer, option-type checks, the
//! fetch exchange (with its request timer), audio chunks, `upload_url` forms, the presigned
//! form, the chunk iterator and progress events. It makes no protocol decision: the rules
//! it applies (which statuses carry a session body, …) are passed in from the core.

use alloc::{boxed::Box, string::String};
use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use web_sys::AbortController;

#[wasm_bindgen(module = "/src/wasm/snippet.js")]
extern "C" {
    /// The `VoiceApiError` class.
    #[wasm_bindgen(js_name = VoiceApiError)]
    pub type JsVoiceApiError;

    /// `new VoiceApiError(message, code, status, apiCode, sessionId, body)`.
    #[wasm_bindgen(constructor, js_class = "VoiceApiError")]
    pub fn new(
        message: &str,
        code: &str,
        status: JsValue,
        api_code: JsValue,
        session_id: JsValue,
        body: JsValue,
    ) -> JsVoiceApiError;

    /// The `VoiceApiError` class itself.
    #[wasm_bindgen(js_name = errorClass)]
    pub fn error_class() -> JsValue;

    /// A promise resolved after `ms` (global `setTimeout`), with a `cancel()` that
    /// clears the timer and resolves it at once.
    #[wasm_bindgen(js_name = Promise)]
    pub type SleepPromise;

    /// Starts a [`SleepPromise`].
    #[wasm_bindgen(js_name = sleep)]
    pub fn sleep_promise(ms: u32) -> SleepPromise;

    /// Clears the timer and resolves the promise (no-op once it has resolved).
    #[wasm_bindgen(method)]
    pub fn cancel(this: &SleepPromise);

    /// Checks and normalises an options object by a spec (see
    /// [`options::read`](super::options::read)); throws a message string.
    #[wasm_bindgen(catch, js_name = readOptions)]
    pub fn read_options(o: &JsValue, spec: &str) -> Result<Array, JsValue>;

    /// `{ method, headers: { accept, content-type?, authorization? }, body? }`.
    #[wasm_bindgen(js_name = requestInit)]
    pub fn request_init(method: &str, token: Option<&str>, body: &JsValue, json: bool) -> JsValue;

    /// `fetch(url, init)` under `controller`, its body read (`json()` for the statuses in
    /// the array `session_statuses`, else text, parsed when it is JSON) -> `[status, body,
    /// retryAfter]`, or `null` when `timeout_ms` ran out first (the helper then aborted
    /// `controller`, cutting the request or the body short).
    #[wasm_bindgen(catch)]
    pub fn exchange(
        url: &str,
        init: &JsValue,
        controller: &AbortController,
        timeout_ms: f64,
        session_statuses: &JsValue,
    ) -> Result<Promise, JsValue>;

    /// A short description of a thrown value: its `message` (and its cause's).
    #[wasm_bindgen]
    pub fn describe(e: &JsValue) -> String;

    /// An audio chunk (Blob, ArrayBuffer or view) -> `[body, size, mime, first n bytes]`;
    /// rejects with `0` (not a chunk) or `1` (the Blob could not be read).
    #[wasm_bindgen(js_name = readChunk)]
    pub fn read_chunk(v: &JsValue, n: u32) -> Promise;

    /// The size of an audio chunk, `undefined` if it is none.
    #[wasm_bindgen(js_name = chunkSize)]
    pub fn chunk_size(v: &JsValue) -> Option<f64>;

    /// An `upload_url` -> `undefined`, the URL string, or `[url, key, value, …]` of a
    /// presigned upload; throws a message string when it is neither.
    #[wasm_bindgen(catch, js_name = uploadTarget)]
    pub fn upload_target(u: &JsValue) -> Result<JsValue, JsValue>;

    /// An iterator over an (async) iterable; throws `0` (not iterable), `1` (opening it
    /// threw) or `2` (no `next()`).
    #[wasm_bindgen(catch)]
    pub fn iterate(chunks: &JsValue) -> Result<JsValue, JsValue>;

    /// The next chunk (awaited when it is a promise) as `[value]`, or `null` when done.
    #[wasm_bindgen(js_name = nextChunk)]
    pub fn next_chunk(it: &JsValue) -> Promise;

    /// `{ phase, sessionId?, snapshot?, chunksDone?, chunksTotal?, bytesDone?, bytesTotal? }`
    /// (`counts`: the last four, negative for unknown).
    #[wasm_bindgen(js_name = progressEvent)]
    pub fn progress_event(
        phase: &str,
        session_id: Option<&str>,
        snapshot: &JsValue,
        counts: Option<Box<[f64]>>,
    ) -> JsValue;

    /// The multipart form of a presigned upload: `fields` (`[key, value, …]`, in order),
    /// then the chunk as `file`, typed `mime`, named `name`.
    #[wasm_bindgen(catch, js_name = presignedForm)]
    pub fn presigned_form(
        fields: &Array,
        body: &JsValue,
        mime: &str,
        name: &str,
    ) -> Result<JsValue, JsValue>;
}

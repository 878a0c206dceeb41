//! Bindings of the package's one JS snippet, `src/wasm/snippet.js` (one file beside the
//! glue): the JS plumbing that is shorter (and no slower) written in JS than bound import
//! by import — the `VoiceApiError` class, option-type checks, the
//! fetch exchange (with its request timer), audio chunks, `upload_url` forms, the presigned
//! form, the chunk iterator and progress events. It makes no protocol decision: the rules
//! it applies (which statuses carry a session body, …) are passed in from the core.

use alloc::string::String;
use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use web_sys::AbortController;

#[wasm_bindgen(module = "/src/wasm/snippet.js")]
extern "C" {
    /// The `VoiceApiError` class.
    #[wasm_bindgen(js_name = VoiceApiError)]
    pub type JsVoiceApiError;

    /// `new VoiceApiError(message, code, status, apiCode, sessionId, body, cause)`.
    #[wasm_bindgen(constructor, js_class = "VoiceApiError")]
    pub fn new(
        message: &str,
        code: &str,
        status: JsValue,
        api_code: JsValue,
        session_id: JsValue,
        body: JsValue,
        cause: JsValue,
    ) -> JsVoiceApiError;

    /// The `VoiceApiError` class itself.
    #[wasm_bindgen(js_name = errorClass)]
    pub fn error_class() -> JsValue;

    /// Checks and normalises an options object by a spec (see
    /// [`options::read`](super::options::read)); throws a message string.
    #[wasm_bindgen(catch, js_name = readOptions)]
    pub fn read_options(o: &JsValue, spec: &str) -> Result<Array, JsValue>;

    /// `{ method, headers: { accept, content-type?, authorization?, [name]: value }, body? }`
    /// (`header`: `undefined` or `[name, value]`, one more header of the call).
    #[wasm_bindgen(js_name = requestInit)]
    pub fn request_init(
        method: &str,
        token: Option<&str>,
        body: &JsValue,
        json: bool,
        header: &JsValue,
    ) -> JsValue;

    /// `fetch(url, init)` under `controller`, its body read (`json()` for the statuses in
    /// the array `session_statuses` when the length is known, else text, parsed when it is
    /// JSON; a body over `max_bytes` is not read) -> an [`Answered`], or `null` when
    /// `timeout_ms` ran out first (the helper then aborted `controller`, cutting the request
    /// or the body short). Rejects when no whole answer arrived (a transport failure).
    #[wasm_bindgen(catch)]
    pub fn exchange(
        url: &str,
        init: &JsValue,
        controller: &AbortController,
        timeout_ms: f64,
        session_statuses: &JsValue,
        max_bytes: f64,
    ) -> Result<Promise, JsValue>;

    /// What [`exchange`] answers: `{ status, body, retryAfter, cacheControl, oversized }`.
    pub type Answered;
    /// The HTTP status.
    #[wasm_bindgen(method, getter)]
    pub fn status(this: &Answered) -> u16;
    /// The parsed body, its text when it is not JSON, or `undefined`.
    #[wasm_bindgen(method, getter)]
    pub fn body(this: &Answered) -> JsValue;
    /// The raw `Retry-After` header.
    #[wasm_bindgen(method, getter, js_name = retryAfter)]
    pub fn retry_after(this: &Answered) -> Option<String>;
    /// The raw `Cache-Control` header.
    #[wasm_bindgen(method, getter, js_name = cacheControl)]
    pub fn cache_control(this: &Answered) -> JsValue;
    /// Whether the body was over the limit (and not read).
    #[wasm_bindgen(method, getter)]
    pub fn oversized(this: &Answered) -> bool;

    /// The string at `o[a]` (or `o[a][b]`, `o[a][b][c]`) of a parsed body, cut to `max`
    /// characters.
    #[wasm_bindgen]
    pub fn field(
        o: &JsValue,
        a: &str,
        b: Option<&str>,
        c: Option<&str>,
        max: u32,
    ) -> Option<String>;

    /// A caller's `AbortSignal`: `undefined` while not aborted, else its reason (an
    /// `AbortError` when it has none); `Err` when reading it threw.
    #[wasm_bindgen(catch, js_name = signalReason)]
    pub fn signal_reason(signal: &JsValue) -> Result<JsValue, JsValue>;

    /// Calls a `getToken` source; what it returns or throws becomes the promise's outcome.
    #[wasm_bindgen(js_name = callToken)]
    pub fn call_token(source: &JsValue, refused: Option<String>) -> Promise;

    /// The functions `names` of a hooks object, each read once; throws a message.
    #[wasm_bindgen(catch, js_name = hookFns)]
    pub fn hook_fns(o: &JsValue, names: &Array) -> Result<Array, JsValue>;

    /// Calls a caller's hook `f(a, b)`: a promise of what it returns (or throws).
    #[wasm_bindgen(js_name = callHook)]
    pub fn call_hook(f: &JsValue, a: &JsValue, b: &JsValue, c: &JsValue) -> Promise;

    /// Resolves at the page's next `online` event.
    #[wasm_bindgen(js_name = nextOnline)]
    pub fn next_online() -> Promise;

    /// The HTTP `status` a thrown value carries (0: none).
    #[wasm_bindgen(js_name = thrownStatus)]
    pub fn thrown_status(e: &JsValue) -> u16;

    /// The `code` a thrown value carries, when a string.
    #[wasm_bindgen(js_name = thrownCode)]
    pub fn thrown_code(e: &JsValue) -> Option<String>;

    /// A short description of a thrown value: its `message` (and its cause's).
    #[wasm_bindgen]
    pub fn describe(e: &JsValue) -> String;

    /// A structured clone of a kept answer.
    #[wasm_bindgen]
    pub fn copy(v: &JsValue) -> JsValue;

    /// Takes an audio chunk (Blob, ArrayBuffer, SharedArrayBuffer or view) now, through the
    /// platform's own getters -> a [`TakenChunk`], or `undefined` when it is none. The
    /// bytes of a buffer or a view are copied; a Blob is re-sliced without its type.
    #[wasm_bindgen(js_name = takeChunk)]
    pub fn take_chunk(v: &JsValue) -> Option<TakenChunk>;

    /// What [`take_chunk`] answers: `{ body, size, type }`.
    pub type TakenChunk;
    /// A type-less Blob, or the copied bytes.
    #[wasm_bindgen(method, getter)]
    pub fn body(this: &TakenChunk) -> JsValue;
    /// Size in bytes.
    #[wasm_bindgen(method, getter)]
    pub fn size(this: &TakenChunk) -> f64;
    /// The Blob's MIME type (empty for bytes).
    #[wasm_bindgen(method, getter, js_name = type)]
    pub fn mime(this: &TakenChunk) -> String;

    /// The first `n` bytes of a taken chunk's body (a Uint8Array); rejects when a Blob
    /// cannot be read.
    #[wasm_bindgen(js_name = chunkHead)]
    pub fn chunk_head(body: &JsValue, n: u32) -> Promise;

    /// The caller's chunks -> an [`OpenedChunks`] (an array's elements are copied once);
    /// throws a message string when they are not (async) iterable or cannot be read.
    #[wasm_bindgen(catch, js_name = openChunks)]
    pub fn open_chunks(chunks: &JsValue) -> Result<OpenedChunks, JsValue>;

    /// What [`open_chunks`] answers: `{ iterator, count?, bytes? }` (the totals of an array).
    pub type OpenedChunks;
    /// The iterator.
    #[wasm_bindgen(method, getter)]
    pub fn iterator(this: &OpenedChunks) -> JsValue;
    /// How many chunks, when known.
    #[wasm_bindgen(method, getter)]
    pub fn count(this: &OpenedChunks) -> Option<u32>;
    /// How many bytes in all, when known.
    #[wasm_bindgen(method, getter)]
    pub fn bytes(this: &OpenedChunks) -> Option<f64>;

    /// Calls the iterator's `return()` (ignoring what it throws): no more chunks will be
    /// asked for.
    #[wasm_bindgen(js_name = closeChunks)]
    pub fn close_chunks(it: &JsValue);

    /// The next chunk as a [`NextChunk`] (a real Promise awaited), or `null` when done.
    #[wasm_bindgen(js_name = nextChunk)]
    pub fn next_chunk(it: &JsValue) -> Promise;

    /// What [`next_chunk`] resolves with: `{ value }`.
    pub type NextChunk;
    /// The chunk.
    #[wasm_bindgen(method, getter)]
    pub fn value(this: &NextChunk) -> JsValue;

    /// The event of `onRetry`: `{ attempt, delayMs, error }`.
    #[wasm_bindgen(js_name = retryEvent)]
    pub fn retry_event(attempt: u32, delay_ms: f64, error: &JsValue, index: Option<u32>)
        -> JsValue;

    /// A progress event of `transcribe`: `{ phase, sessionId?, snapshot?, chunksDone?,
    /// chunksTotal?, bytesDone?, bytesTotal?, chunksWaiting?, offline? }` (absent members
    /// left out).
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = progressEvent)]
    pub fn progress_event(
        phase: &str,
        session_id: Option<&str>,
        snapshot: &JsValue,
        chunks_done: Option<u32>,
        chunks_total: Option<u32>,
        bytes_done: Option<f64>,
        bytes_total: Option<f64>,
        chunks_waiting: Option<u32>,
        offline: Option<bool>,
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

/// `o[key]`, or `undefined` when `o` is not an object or reading throws (a caller's Proxy,
/// a getter): how the layer reads one key of an answer or of a caller's object.
pub fn get(o: &JsValue, key: &str) -> JsValue {
    match o.is_object() {
        true => js_sys::Reflect::get(o, &key.into()).unwrap_or(JsValue::UNDEFINED),
        false => JsValue::UNDEFINED,
    }
}

//! The package's one JS snippet (one file beside the glue): the JS plumbing that is
//! shorter (and no slower) written in JS than bound import by import — the
//! `VoiceApiError` class, a cancellable timer, option-type checks, the fetch exchange,
//! audio chunks, `upload_url` forms, the chunk iterator and progress events. It makes no
//! protocol decision: the rules it applies (which statuses carry a session body, …) are
//! passed in from the core.

use alloc::{boxed::Box, string::String};
use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

#[wasm_bindgen(inline_js = r#"
export class VoiceApiError extends Error {
  constructor(message, code, status, apiCode, sessionId, body) {
    super(message);
    this.name = 'VoiceApiError';
    this.code = code;
    this.status = status;
    this.apiCode = apiCode;
    this.sessionId = sessionId;
    this.body = body;
  }
  toJSON() {
    const { name, code, status, apiCode, sessionId, message, body } = this;
    return { name, code, status, apiCode, sessionId, message, body };
  }
}
export function errorClass() { return VoiceApiError; }
export function sleep(ms) {
  let t, done;
  const p = new Promise((r) => { done = r; t = setTimeout(r, ms); });
  p.cancel = () => { clearTimeout(t); done(); };
  return p;
}
export function readOptions(o, spec) {
  if (o == null) o = {};
  else if (typeof o !== 'object') throw 'options must be an object';
  return spec.split(' ').map((e) => {
    const k = e.slice(1);
    const bad = (what) => { throw '`' + k + '` must be ' + what; };
    let v;
    try { v = o[k]; } catch { bad('readable'); }
    if (v == null) return undefined;
    const t = typeof v;
    const strings = () => Array.isArray(v) && v.every((x) => typeof x === 'string');
    switch (e[0]) {
      case 's': return t === 'string' ? v : bad('a string');
      case 'b': return t === 'boolean' ? v : bad('a boolean');
      case 'f': return t === 'function' ? v : bad('a function');
      case 'n': case 'p':
        return Number.isInteger(v) && v >= (e[0] === 'p' ? 1 : 0) && v < 2 ** 32 ? v
          : bad(e[0] === 'p' ? 'a positive integer' : 'a non-negative integer');
      case 'm': case 'M':
        return t === 'number' && v >= (e[0] === 'M' ? 1 : 0) ? v
          : bad(e[0] === 'M' ? 'a positive number of milliseconds' : 'a non-negative number of milliseconds');
      case 'a':
        return t === 'object' && typeof v.aborted === 'boolean' && typeof v.addEventListener === 'function'
          ? v : bad('an AbortSignal');
      case 't': case 'T':
        return e[0] === 'T' && t === 'string' ? [v] : strings() ? v : bad('an array of strings');
      case 'j': {
        if (t !== 'object' || Array.isArray(v)) bad('a plain object');
        let json;
        try { json = JSON.stringify(v); } catch { }
        if (typeof json !== 'string') bad('serialisable as JSON');
        return [json, Object.prototype.hasOwnProperty.call(v, '_protocol')];
      }
    }
  });
}
export function requestInit(method, token, body, json) {
  const headers = { accept: 'application/json' };
  if (json) headers['content-type'] = 'application/json';
  if (token !== undefined) headers.authorization = 'Bearer ' + token;
  const init = { method, headers };
  if (body !== undefined) init.body = body;
  return init;
}
export async function exchange(url, init, signal, sessionStatuses) {
  init.signal = signal;
  const r = await fetch(url, init);
  const status = r.status;
  let body;
  if (sessionStatuses.includes(status)) {
    body = await r.json().catch(() => undefined);
  } else {
    const text = await r.text();
    if (text) try { body = JSON.parse(text); } catch { body = text; }
  }
  return [status, body, r.headers.get('retry-after') ?? undefined];
}
export function describe(e) {
  try {
    const m = typeof e?.message === 'string' ? e.message : typeof e === 'string' ? e : '';
    const c = e?.cause?.message;
    return m && typeof c === 'string' ? m + ' (' + c + ')' : m;
  } catch { return ''; }
}
const bytesOf = (v) => v instanceof ArrayBuffer ? new Uint8Array(v)
  : ArrayBuffer.isView(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : undefined;
export async function readChunk(v, n) {
  if (v instanceof Blob) {
    let head;
    try { head = new Uint8Array(await v.slice(0, n).arrayBuffer()); } catch { throw 1; }
    return [v.slice(0, v.size), v.size, v.type, head];
  }
  const b = bytesOf(v);
  if (!b) throw 0;
  return [b, b.length, '', b.subarray(0, n)];
}
export function chunkSize(v) {
  return v instanceof Blob ? v.size : bytesOf(v)?.length;
}
export function uploadTarget(u) {
  if (u == null || typeof u === 'string') return u ?? undefined;
  let flat;
  try {
    const d = u.uploadData, f = d?.fields;
    if (typeof d?.url === 'string' && f !== null && typeof f === 'object') {
      flat = [d.url];
      for (const [k, v] of Object.entries(f)) {
        if (typeof v !== 'string') throw 'uploadData.fields must hold strings';
        flat.push(k, v);
      }
    }
  } catch (e) { if (typeof e === 'string') throw e; flat = undefined; }
  if (!flat) throw 'upload_url is neither a URL nor a presigned upload (uploadData.url, uploadData.fields)';
  return flat;
}
export function presignedForm(fields, body, type, name) {
  const form = new FormData();
  for (let i = 0; i < fields.length; i += 2) form.append(fields[i], fields[i + 1]);
  form.append('file', new Blob([body], { type }), name);
  return form;
}
export function iterate(chunks) {
  if (chunks === null || typeof chunks !== 'object') throw 0;
  const f = chunks[Symbol.asyncIterator] ?? chunks[Symbol.iterator];
  if (typeof f !== 'function') throw 0;
  let it;
  try { it = f.call(chunks); } catch { throw 1; }
  if (typeof it?.next !== 'function') throw 2;
  return it;
}
export async function nextChunk(it) {
  const step = await it.next();
  return step?.done ? null : [await step?.value];
}
export function progressEvent(phase, sessionId, snapshot, counts) {
  const e = { phase };
  if (sessionId !== undefined) e.sessionId = sessionId;
  if (snapshot !== undefined) e.snapshot = snapshot;
  if (counts) [e.chunksDone, e.chunksTotal, e.bytesDone, e.bytesTotal] = Array.from(counts, (n) => (n < 0 ? undefined : n));
  return e;
}
"#)]
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

    /// `fetch(url, init)` with `signal`, its body read (`json()` for the statuses in
    /// `session_statuses`, else text, parsed when it is JSON) -> `[status, body,
    /// retryAfter]`.
    #[wasm_bindgen(catch)]
    pub fn exchange(
        url: &str,
        init: &JsValue,
        signal: &AbortSignal,
        session_statuses: &[u16],
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

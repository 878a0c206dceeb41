//! The package's one JS snippet (one file beside the glue): what is shorter and faster
//! written in JS than bound import by import — the `VoiceApiError` class, a cancellable
//! timer, and the option-type checks.

use js_sys::Array;
use wasm_bindgen::prelude::*;

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
        try { json = JSON.stringify(v); } catch { bad('serialisable as JSON'); }
        return [json, Object.prototype.hasOwnProperty.call(v, '_protocol')];
      }
    }
  });
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
}

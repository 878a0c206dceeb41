//! The JS `VoiceApiError` class (a real `Error` subclass) and the conversion of a core
//! [`Error`] into it.
//!
//! Fields: `name` (`'VoiceApiError'`), `code`, `status`, `apiCode`, `body`, `sessionId`,
//! `message`. `toJSON()` serialises exactly those. No field ever holds a token.
//!
//! The same JS snippet also carries the package's one other helper, the cancellable
//! timer behind [`abort::Sleep`](super::abort::Sleep): one snippet file, not two.

use crate::proto::{Error, ErrorCode};
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
"#)]
extern "C" {
    #[wasm_bindgen(js_name = VoiceApiError)]
    type JsVoiceApiError;

    #[wasm_bindgen(constructor, js_class = "VoiceApiError")]
    fn new(
        message: &str,
        code: &str,
        status: JsValue,
        api_code: JsValue,
        session_id: JsValue,
        body: JsValue,
    ) -> JsVoiceApiError;

    #[wasm_bindgen(js_name = errorClass)]
    fn error_class() -> JsValue;

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
}

/// The `VoiceApiError` class itself (for `instanceof` checks and re-export).
pub fn voice_api_error_class() -> JsValue {
    error_class()
}

/// Builds a `VoiceApiError` from a core error, the answer's parsed body (or
/// `undefined`) and the session id (or `None`).
pub fn to_js(e: &Error, body: &JsValue, session_id: Option<&str>) -> JsValue {
    let opt_str = |s: Option<&str>| s.map_or(JsValue::UNDEFINED, JsValue::from_str);
    JsVoiceApiError::new(
        &e.message,
        e.code.as_str(),
        e.status
            .map_or(JsValue::UNDEFINED, |s| JsValue::from(s as u32)),
        opt_str(e.api_code.as_deref()),
        opt_str(session_id),
        body.clone(),
    )
    .into()
}

/// A `VoiceApiError` for a core error with no answer body behind it (a bad call, a
/// refused `upload_url`, a failed token source, …).
pub fn without_body(e: &Error, session_id: Option<&str>) -> JsValue {
    to_js(e, &JsValue::UNDEFINED, session_id)
}

/// A `VoiceApiError` with no HTTP answer behind it, from a code and a message.
pub fn plain(code: ErrorCode, message: &str, session_id: Option<&str>) -> JsValue {
    without_body(&Error::new(code, message), session_id)
}

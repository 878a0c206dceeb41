//! The JS `VoiceApiError` class (a real `Error` subclass) and the conversion of a core
//! [`Error`] into it.
//!
//! Fields: `name` (`'VoiceApiError'`), `code`, `status`, `apiCode`, `body`, `sessionId`,
//! `message`. `toJSON()` serialises exactly those. No field ever holds a token.

use super::js::{error_class, JsVoiceApiError};
use crate::proto::{Error, ErrorCode};
use wasm_bindgen::JsValue;

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

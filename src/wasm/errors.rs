//! The JS `VoiceApiError` class (a real `Error` subclass) and the conversion of a core
//! [`Error`] into it.
//!
//! Fields: `name` (`'VoiceApiError'`), `code`, `status`, `apiCode`, `body`, `sessionId`,
//! `message`. `toJSON()` serialises exactly those. No field ever holds a token: errors
//! built from an answer go through [`from_answer`], which redacts it.

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

/// A `VoiceApiError` for a failed answer, without secrets: the bearer `token` the request
/// carried (and anything in the `Bearer …` form) is removed from the message — so from
/// the stack too — and from the body (see [`crate::proto::redact`]).
pub fn from_answer(
    e: &Error,
    body: &JsValue,
    session_id: Option<&str>,
    token: Option<&str>,
) -> JsValue {
    let mut e = e.clone();
    e.redact(token);
    let body = if body.is_undefined() {
        JsValue::UNDEFINED
    } else {
        super::js::redact_body(body, token, 0)
    };
    to_js(&e, &body, session_id)
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

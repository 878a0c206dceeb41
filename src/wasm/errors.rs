//! [`Failure`]: why a call failed, as ONE Rust value through the whole wasm layer; only the
//! export layer ([`api`](super::api)) turns it into what JS sees ([`Failure::into_js`]):
//! a `VoiceApiError` (a real `Error` subclass, from the package's snippet), the abort
//! reason, or what the caller's own code threw.
//!
//! `VoiceApiError` fields: `name` (`'VoiceApiError'`), `code`, `status`, `apiCode`, `body`,
//! `sessionId`, `message`; `toJSON()` serialises exactly those. No field ever holds a
//! token: a failure built from an answer goes through [`Failure::from_answer`], which
//! redacts it before it exists.

use alloc::boxed::Box;
use alloc::string::{String, ToString};
use wasm_bindgen::JsValue;

use js_sys::{Object, Reflect};
use wasm_bindgen::JsCast;

use super::js::{error_class, JsVoiceApiError};
use crate::proto::{redact, Error, ErrorCode};

/// Why a call failed.
#[derive(Clone, Debug)]
pub enum Failure {
    /// The client, the network or the service (boxed: a failure travels through every
    /// future of the layer, and a small one keeps them small).
    Api(Box<ApiFailure>),
    /// The caller's signal aborted: its reason.
    Aborted(JsValue),
    /// The caller's own code threw (`onProgress`, the chunk iterator): what it threw.
    Thrown(JsValue),
}

/// A [`Failure::Api`]: the core's error (without secrets), the answer's parsed body
/// (`undefined` when there was none), the session it concerns.
#[derive(Clone, Debug)]
pub struct ApiFailure {
    /// The error: a stable code, the HTTP status, the service's code, a message.
    pub error: Error,
    /// The answer's parsed body, or its text, or `undefined`.
    pub body: JsValue,
    /// The session the call was about.
    pub session_id: Option<String>,
    /// What caused it, when a JS error did (the network's `TypeError`, what `getToken`
    /// threw): the `cause` of the `VoiceApiError`.
    pub cause: JsValue,
}

impl Failure {
    /// A failure with no answer behind it (a bad call, a refused `upload_url`, …).
    pub fn new(error: Error, session_id: Option<&str>) -> Failure {
        Failure::api(error, JsValue::UNDEFINED, session_id)
    }

    /// A failure with the answer's `body` behind it.
    pub fn api(error: Error, body: JsValue, session_id: Option<&str>) -> Failure {
        Failure::Api(Box::new(ApiFailure {
            error,
            body,
            session_id: session_id.map(ToString::to_string),
            cause: JsValue::UNDEFINED,
        }))
    }

    /// A failure from a code and a message, with no answer behind it.
    pub fn plain(code: ErrorCode, message: &str, session_id: Option<&str>) -> Failure {
        Failure::new(Error::new(code, message), session_id)
    }

    /// A failure of an answer, without secrets: the bearer `token` the request carried
    /// (and anything in the `Bearer …` form) is removed from the message — so from the
    /// stack too — and from the body (see [`crate::proto::redact`]).
    pub fn from_answer(
        mut error: Error,
        body: &JsValue,
        session_id: Option<&str>,
        token: Option<&str>,
    ) -> Failure {
        error.redact(token);
        let body = if body.is_undefined() {
            JsValue::UNDEFINED
        } else {
            redact_body(body, token, 0)
        };
        Failure::api(error, body, session_id)
    }

    /// The same failure, caused by `cause` (a JS error).
    pub fn with_cause(mut self, cause: JsValue) -> Failure {
        if let Failure::Api(a) = &mut self {
            a.cause = cause;
        }
        self
    }

    /// What JS sees: a `VoiceApiError`, the abort reason, or what the caller's code threw.
    pub fn into_js(self) -> JsValue {
        match self {
            Failure::Api(a) => {
                let ApiFailure {
                    error,
                    body,
                    session_id,
                    cause,
                } = *a;
                let opt_str = |s: Option<&str>| s.map_or(JsValue::UNDEFINED, JsValue::from_str);
                JsVoiceApiError::new(
                    &error.message,
                    error.code.as_str(),
                    error
                        .status
                        .map_or(JsValue::UNDEFINED, |s| JsValue::from(s as u32)),
                    opt_str(error.api_code.as_deref()),
                    opt_str(session_id.as_deref()),
                    body,
                    cause,
                )
                .into()
            }
            Failure::Aborted(v) | Failure::Thrown(v) => v,
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::new(error, None)
    }
}

/// The `VoiceApiError` class itself (for `instanceof` checks and re-export).
pub fn voice_api_error_class() -> JsValue {
    error_class()
}

/// The deepest an error body is walked for secrets.
const MAX_REDACT_DEPTH: u32 = 64;

/// An error body without secrets: every string in it, at any depth up to
/// [`MAX_REDACT_DEPTH`], through the core's [`redact`] (the token anywhere, the credentials
/// of any `Bearer …`) — the one rule, as for messages. Objects are changed in place.
fn redact_body(body: &JsValue, token: Option<&str>, depth: u32) -> JsValue {
    if let Some(text) = body.as_string() {
        return redact(&text, token).map_or_else(|| body.clone(), JsValue::from);
    }
    if depth < MAX_REDACT_DEPTH && body.is_object() {
        let object: &Object = body.unchecked_ref();
        for key in Object::keys(object).iter() {
            let value = Reflect::get(body, &key).unwrap_or(JsValue::UNDEFINED);
            let clean = redact_body(&value, token, depth + 1);
            if value.is_string() && clean != value {
                let _ = Reflect::set(body, &key, &clean);
            }
        }
    }
    body.clone()
}

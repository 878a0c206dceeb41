//! The hooks of the Rust API as Rust closures: a token source (`getToken`), `onRetry`, and
//! the `onProgress` of the operations that wait for a document (`processTemplate`,
//! `uploadTranscript`). Each makes the option's value (the option fields are declared once
//! for JS and Rust, as JS functions: [`options`](super::options)), so a Rust app writes
//! Rust and the client runs the very path a JS caller's function takes — the same
//! classification of a token source's failure, the same retry events.
//!
//! Each returned function owns its closure; the closure is freed when the function is
//! garbage-collected (wasm-bindgen's `Closure::into_js_value`), i.e. once no options and no
//! client hold it.
//!
//! ```ignore
//! use eka_voice::wasm::rust_hooks::{on_retry, token_source, TokenFailure};
//! let client = VoiceClient::with_options(ClientOptions {
//!     get_token: Some(token_source(|refused: Option<String>| async move {
//!         my_backend_token(refused).await.map_err(|e| TokenFailure {
//!             status: e.http_status(),
//!             message: e.to_string(),
//!         })
//!     })),
//!     ..Default::default()
//! })?;
//! let mut o = PollOptions::default();
//! o.retries.on_retry = Some(on_retry(|e| log(e.attempt, &e.error)));
//! ```

use alloc::string::String;
use core::future::Future;

use js_sys::{Function, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::future_to_promise;

use super::errors::{ApiFailure, Failure};
use super::js::{get, JsVoiceApiError};
use super::model::{session_from_js, Session};
use crate::proto::{Error, ErrorCode};

/// Why a Rust token source gave no token: the same facts a JS `getToken` throws. With no
/// `status`, or 408, 429 or 5xx, the failure may pass: the call retries it like a network
/// failure (`token_unavailable`); any other status is final (`unauthorized`).
#[derive(Clone, Debug, Default)]
pub struct TokenFailure {
    /// The HTTP status of the token service's answer, when there was one.
    pub status: Option<u16>,
    /// What went wrong (it becomes part of the error's message; never put a secret in it).
    pub message: String,
}

impl TokenFailure {
    /// What a JS source would throw: an `Error` with the message and the `status`.
    fn into_js(self) -> JsValue {
        let e = js_sys::Error::new(&self.message);
        if let Some(s) = self.status {
            let _ = Reflect::set(&e, &"status".into(), &JsValue::from(s));
        }
        e.into()
    }
}

/// A token source from a Rust closure, for `ClientOptions::get_token`: called with the
/// token the service refused (`None` for the first one), it gives a token or a
/// [`TokenFailure`]. Concurrent refreshes share one call, as for a JS source.
pub fn token_source<F, Fut>(f: F) -> Function
where
    F: Fn(Option<String>) -> Fut + 'static,
    Fut: Future<Output = Result<String, TokenFailure>> + 'static,
{
    let call = move |arg: JsValue| {
        let fut = f(get(&arg, "refused").as_string());
        future_to_promise(async move {
            match fut.await {
                Ok(token) => Ok(JsValue::from(token)),
                Err(e) => Err(e.into_js()),
            }
        })
    };
    function(Closure::<dyn Fn(JsValue) -> js_sys::Promise>::new(call))
}

/// One retry, as `onRetry` reports it.
#[derive(Clone, Debug)]
pub struct RetryEvent {
    /// 1 for the first retry.
    pub attempt: u32,
    /// How long the call waits before it.
    pub delay_ms: u64,
    /// The failure that is retried.
    pub error: Failure,
    /// The chunk whose upload a durable transcription tries again.
    pub index: Option<u32>,
}

/// An `onRetry` from a Rust closure (`CallOptions::retries.on_retry`, the poll's, a
/// transcription's): called before each retry.
pub fn on_retry(f: impl Fn(&RetryEvent) + 'static) -> Function {
    let call = move |event: JsValue| {
        let number = |key: &str| get(&event, key).as_f64();
        f(&RetryEvent {
            attempt: number("attempt").unwrap_or(0.0) as u32,
            delay_ms: number("delayMs").unwrap_or(0.0) as u64,
            error: failure_of(&get(&event, "error")),
            index: number("index").map(|n| n as u32),
        });
    };
    function(Closure::<dyn Fn(JsValue)>::new(call))
}

/// The `onProgress` of an operation that waits for its document (`OpOptions::on_progress`:
/// Process Template, Upload Transcript) from a Rust closure: each 202 snapshot, read as a
/// [`Session`] (a snapshot that does not read as one is skipped).
pub fn on_session_progress(f: impl Fn(&Session) + 'static) -> Function {
    let call = move |snapshot: JsValue| {
        if let Ok(s) = session_from_js(&snapshot) {
            f(&s);
        }
    };
    function(Closure::<dyn Fn(JsValue)>::new(call))
}

/// The JS function of a closure, which owns it from now on (freed with it).
fn function<T: ?Sized + wasm_bindgen::closure::WasmClosure>(c: Closure<T>) -> Function {
    c.into_js_value().unchecked_into()
}

/// A `VoiceApiError` the client made, read back into the [`Failure`] it was made from (its
/// code, message, status, service code, session, body and cause); anything else is what
/// the caller's code threw.
fn failure_of(e: &JsValue) -> Failure {
    if !e.is_instance_of::<JsVoiceApiError>() {
        return Failure::Thrown(e.clone());
    }
    let field = |key: &str| get(e, key);
    let code = field("code").as_string().and_then(|c| ErrorCode::parse(&c));
    let mut error = Error::new(
        code.unwrap_or(ErrorCode::Network),
        field("message").as_string().unwrap_or_default(),
    );
    error.status = field("status").as_f64().map(|s| s as u16);
    error.api_code = field("apiCode").as_string();
    Failure::Api(alloc::boxed::Box::new(ApiFailure {
        error,
        body: field("body"),
        session_id: field("sessionId").as_string(),
        cause: field("cause"),
    }))
}

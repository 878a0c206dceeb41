//! One HTTP exchange through the GLOBAL `fetch` (browsers, workers and Node alike),
//! bounded by a per-request timeout and the caller's signal. When the exchange is cut
//! short, its own `AbortController` cancels the request in flight.
//!
//! The request, the reading of its answer and the request timer run in one JS helper
//! (`exchange` in [`js`]): bodies are parsed by the platform (`response.json()` for the
//! statuses the core lists in
//! [`SESSION_BODY_STATUSES`](crate::proto::SESSION_BODY_STATUSES)); Rust reads only the
//! few fields a decision or a message needs ([`BodyFacts`]) and hands the parsed object on
//! untouched. Error bodies are read as text first, so that a non-JSON error page still
//! yields its HTTP status (and the text, as `body`).
//!
//! Guarantees: a body larger than the client's `maxResponseBytes` is not read
//! ([`Exchange::Oversized`]); a body cut short is a transport failure (retried), a whole
//! body that is not JSON an answer without facts (`invalid_response`); only bounded
//! strings are copied into the wasm ([`facts_of`]); and an exchange that is DROPPED before
//! it ended (its call was abandoned, e.g. an aborted `transcribe`) aborts its request and
//! clears its timer, as reqwest and gloo-net do.

use alloc::string::String;
use js_sys::Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

use super::abort::AbortWatch;
use super::errors::Failure;
use super::js;
use crate::proto::{BodyFacts, Transport, MAX_TIMER_MS};

/// An HTTP answer, its body parsed.
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The parsed body: a JSON value, the raw text when it was not JSON, or `undefined`.
    pub body: JsValue,
    /// What the core needs to know of the body (`None` unless it is a JSON object).
    pub facts: Option<BodyFacts>,
    /// The raw `Retry-After` header.
    pub retry_after: Option<String>,
    /// The raw `Cache-Control` header (a string), when the request asked for it.
    pub cache_control: JsValue,
}

/// How an exchange ended.
pub enum Exchange {
    /// An answer came.
    Answer(Answer),
    /// An answer came with this HTTP status, its body over the size limit (not read).
    Oversized(u16),
    /// No answer (network failure or time-out), and the JS error behind it, if any.
    Failed(Transport, JsValue),
    /// The caller's signal aborted (or could not be read).
    Aborted(Failure),
}

/// A request to send: the URL and its `RequestInit` (method, headers, body), built once
/// per call by [`request_init`] and reused by its successive requests.
pub struct Request<'a> {
    /// Absolute URL.
    pub url: &'a str,
    /// Method, headers and body; the signal is set per request.
    pub init: &'a JsValue,
    /// The statuses whose body is a session (read with `json()`): the core's
    /// [`SESSION_BODY_STATUSES`](crate::proto::SESSION_BODY_STATUSES) as a JS array.
    pub session_statuses: &'a JsValue,
    /// The largest body read, in bytes (`maxResponseBytes`).
    pub max_bytes: u64,
    /// Whether the answer's `Cache-Control` is wanted (a row whose answer is kept).
    pub cache_control: bool,
}

/// The request's `AbortController` while the request runs: dropped before the exchange
/// ended, it aborts the request (and the helper then clears its timer).
struct AbortOnDrop(Option<AbortController>);

impl AbortOnDrop {
    /// The exchange ended: nothing to abort.
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.abort();
        }
    }
}

/// The `RequestInit` of a call: `method`, `accept`, the JSON `content-type` when `json`,
/// `authorization: Bearer <token>` when there is a token, and the body as is (no
/// `Content-Type` is added for bytes or Blobs). Built by the JS helper in one call.
pub fn request_init(
    method: &str,
    token: Option<&str>,
    body: Option<&JsValue>,
    json: bool,
    header: Option<&JsValue>,
) -> JsValue {
    let none = &JsValue::UNDEFINED;
    js::request_init(
        method,
        token,
        body.unwrap_or(none),
        json,
        header.unwrap_or(none),
    )
}

/// Sends `req`, reads its answer, all within `timeout_ms` and the caller's signal.
///
/// `controller` is the call's `AbortController`, shared by its successive requests (they
/// never overlap) and replaced only after it was used to cut a request short: one per
/// call instead of one per request, which counts when hundreds of sessions poll at once.
/// The request timer runs in the JS helper (it aborts the controller): no Rust timer, no
/// callbacks per request.
pub async fn exchange(
    req: &Request<'_>,
    timeout_ms: u64,
    abort: &AbortWatch,
    controller: &mut Option<AbortController>,
) -> Exchange {
    if let Some(reason) = abort.reason() {
        return Exchange::Aborted(reason);
    }
    let ctl = match controller.take().map_or_else(AbortController::new, Ok) {
        Ok(c) => c,
        Err(e) => return Exchange::Failed(Transport::Network(js::describe(&e)), e),
    };
    let ms = timeout_ms.min(MAX_TIMER_MS) as f64;
    let max = req.max_bytes as f64;
    let running = AbortOnDrop(Some(ctl.clone()));
    let sent = js::exchange(req.url, req.init, &ctl, ms, req.session_statuses, max);
    let outcome = match sent {
        Ok(promise) => abort.race(&mut JsFuture::from(promise)).await,
        Err(e) => Ok(Err(e)),
    };
    running.disarm();
    match outcome {
        // `null`: the helper's timer fired and aborted the controller.
        Ok(Ok(answer)) if answer.is_null() => {
            Exchange::Failed(Transport::TimedOut, JsValue::UNDEFINED)
        }
        Ok(Ok(answer)) => {
            let answer: js::Answered = answer.unchecked_into();
            let status = answer.status();
            if answer.oversized() {
                // The helper aborted the controller to stop the body.
                return Exchange::Oversized(status);
            }
            *controller = Some(ctl);
            let body = answer.body();
            let facts = facts_of(status, &body);
            Exchange::Answer(Answer {
                status,
                body,
                facts,
                retry_after: answer.retry_after(),
                cache_control: match req.cache_control {
                    true => answer.cache_control(),
                    false => JsValue::UNDEFINED,
                },
            })
        }
        Ok(Err(e)) => {
            *controller = Some(ctl);
            Exchange::Failed(Transport::Network(js::describe(&e)), e)
        }
        Err(reason) => {
            ctl.abort();
            Exchange::Aborted(reason)
        }
    }
}

/// Reads the [`BodyFacts`] of a parsed body for an answer with status `http` (`None`
/// unless it is a non-array object).
pub fn facts_of(http: u16, body: &JsValue) -> Option<BodyFacts> {
    if !body.is_object() || Array::is_array(body) {
        return None;
    }
    Some(BodyFacts::read(http, |path, max| {
        let (a, b, c) = match path {
            [a] => (*a, None, None),
            [a, b] => (*a, Some(*b), None),
            [a, b, c] => (*a, Some(*b), Some(*c)),
            _ => return None,
        };
        js::field(body, a, b, c, max as u32)
    }))
}

//! One HTTP exchange through the GLOBAL `fetch` (browsers, workers and Node alike),
//! bounded by a per-request timeout and the caller's signal. When the exchange is cut
//! short, its own `AbortController` cancels the request in flight.
//!
//! Bodies are parsed by the platform (`response.json()`); Rust reads only the few
//! fields a decision or a message needs ([`BodyFacts`]) and hands the parsed object on
//! untouched. Error bodies are read as text first, so that a non-JSON error page still
//! yields its HTTP status (and the text, as `body`).

use alloc::{boxed::Box, string::String};
use js_sys::{Array, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestInit, Response};

use super::abort::AbortWatch;
use crate::proto::{expects_session_body, BodyFacts, Transport};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;
}

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
}

/// How an exchange ended.
pub enum Exchange {
    /// An answer came.
    Answer(Answer),
    /// No answer (network failure or time-out).
    Failed(Transport),
    /// The caller's signal aborted; its reason.
    Aborted(JsValue),
}

/// A request to send: the URL and its `RequestInit` (method, headers, body), built once
/// per call by [`request_init`] and reused by its successive requests.
pub struct Request<'a> {
    /// Absolute URL.
    pub url: &'a str,
    /// Method, headers and body; the signal is set per request.
    pub init: &'a RequestInit,
}

/// The `RequestInit` of a call: `method`, `accept`, the JSON `content-type` when `json`,
/// the bearer `token` when there is one, and the body as is (no `Content-Type` is added
/// for bytes or Blobs).
pub fn request_init(
    method: &str,
    token: Option<&str>,
    body: Option<&JsValue>,
    json: bool,
) -> Result<RequestInit, JsValue> {
    let init = RequestInit::new();
    init.set_method(method);
    let headers = Object::new();
    Reflect::set(&headers, &"accept".into(), &"application/json".into())?;
    if json {
        Reflect::set(&headers, &"content-type".into(), &"application/json".into())?;
    }
    if let Some(b) = body {
        init.set_body(b);
    }
    if let Some(t) = token {
        let mut v = String::with_capacity(7 + t.len());
        v.push_str("Bearer ");
        v.push_str(t);
        Reflect::set(&headers, &"authorization".into(), &v.into())?;
    }
    init.set_headers(&headers);
    Ok(init)
}

/// Sends `req`, reads its answer, all within `timeout_ms` and the caller's signal.
///
/// `controller` is the call's `AbortController`, shared by its successive requests (they
/// never overlap) and replaced only after it was used to cut a request short: one per
/// call instead of one per request, which counts when hundreds of sessions poll at once.
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
        Err(e) => return Exchange::Failed(Transport::Network(describe(&e))),
    };
    let mut work = Box::pin(send_and_read(req, &ctl));
    let outcome = abort.race_timeout(&mut work, timeout_ms).await;
    drop(work);
    match outcome {
        Ok(Some(result)) => {
            *controller = Some(ctl);
            match result {
                Ok(answer) => Exchange::Answer(answer),
                Err(e) => Exchange::Failed(Transport::Network(describe(&e))),
            }
        }
        Ok(None) => {
            ctl.abort();
            Exchange::Failed(Transport::TimedOut)
        }
        Err(reason) => {
            ctl.abort();
            Exchange::Aborted(reason)
        }
    }
}

async fn send_and_read(req: &Request<'_>, controller: &AbortController) -> Result<Answer, JsValue> {
    req.init.set_signal(Some(&controller.signal()));
    let resp: Response = JsFuture::from(global_fetch(req.url, req.init)?)
        .await?
        .dyn_into()?;
    let status = resp.status();
    let retry_after = resp.headers().get("retry-after").ok().flatten();
    let body = if expects_session_body(status) {
        // A session body: let the platform parse it; a parse failure leaves `undefined`
        // and the core reports `invalid_response`.
        JsFuture::from(resp.json()?)
            .await
            .unwrap_or(JsValue::UNDEFINED)
    } else {
        let text = JsFuture::from(resp.text()?).await?;
        match text.as_string() {
            Some(t) if t.is_empty() => JsValue::UNDEFINED,
            Some(t) => JSON::parse(&t).unwrap_or(text),
            None => JsValue::UNDEFINED,
        }
    };
    let facts = facts_of(status, &body);
    Ok(Answer {
        status,
        body,
        facts,
        retry_after,
    })
}

/// Reads the [`BodyFacts`] of a parsed body for an answer with status `http` (`None`
/// unless it is a non-array object).
pub fn facts_of(http: u16, body: &JsValue) -> Option<BodyFacts> {
    if !body.is_object() || Array::is_array(body) {
        return None;
    }
    Some(BodyFacts::read(http, |path| {
        let mut v = body.clone();
        for key in path {
            if !v.is_object() {
                return None;
            }
            v = Reflect::get(&v, &JsValue::from_str(key)).ok()?;
        }
        v.as_string()
    }))
}

/// A short description of a thrown JS value (its `message`, else its string form).
fn describe(e: &JsValue) -> String {
    let msg = Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string());
    let cause = Reflect::get(e, &"cause".into())
        .ok()
        .filter(|c| c.is_object())
        .and_then(|c| Reflect::get(&c, &"message".into()).ok())
        .and_then(|m| m.as_string());
    match (msg, cause) {
        (Some(m), Some(c)) => {
            let mut s = m;
            s.push_str(" (");
            s.push_str(&c);
            s.push(')');
            s
        }
        (Some(m), None) => m,
        _ => e.as_string().unwrap_or_default(),
    }
}

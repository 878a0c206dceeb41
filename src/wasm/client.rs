//! The client and its action loop: it runs a [`Poller`] by performing each [`Action`]
//! (fetch, sleep, token refresh, progress report) and feeding the result back. It makes
//! no protocol decision of its own.

use std::rc::Rc;

use js_sys::{Date, Function, Math, Reflect};
use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

use super::abort::AbortWatch;
use super::errors;
use super::fetch::{exchange, Exchange, Request};
use super::token::Tokens;
use crate::proto::{session_url, Action, BaseUrl, Error, Filter, PollConfig, Poller};

/// Options of a [`Client`] (JS: `{ baseUrl?, token?, getToken? }`).
#[derive(Clone, Debug, Default)]
pub struct ClientOptions {
    /// Base URL of the API; default `https://api.eka.care`. `https://` unless loopback.
    pub base_url: Option<String>,
    /// A bearer token.
    pub token: Option<String>,
    /// `() => string | Promise<string>`: asked before the first request when there is
    /// no `token`, and again (once) after a 401.
    pub get_token: Option<Function>,
}

/// Options of one `pollSession` / `getSession` call (JS: camelCase names).
#[derive(Clone, Debug, Default)]
pub struct PollOptions {
    /// `templateId`: sends `?template_id=`.
    pub template_id: Option<String>,
    /// `documentId`: sends `?document_id=` (not with `templateId`).
    pub document_id: Option<String>,
    /// `intervalMs` (default 1000): minimum time between the starts of two requests.
    pub interval_ms: Option<u64>,
    /// `timeoutMs` (default 600 000): deadline of the whole call.
    pub timeout_ms: Option<u64>,
    /// `requestTimeoutMs` (default 30 000): aborts one hanging request (transient).
    pub request_timeout_ms: Option<u64>,
    /// `signal`: aborting rejects at once with `signal.reason`.
    pub signal: Option<AbortSignal>,
    /// `onProgress(snapshot)`: called with each 202 body.
    pub on_progress: Option<Function>,
    /// `maxRetries` (default 5): consecutive transient failures tolerated.
    pub max_retries: Option<u32>,
}

/// A Voice API client: a validated base URL and a token source.
pub struct Client {
    base: BaseUrl,
    tokens: Tokens,
}

impl Client {
    /// Validates the options.
    pub fn new(o: ClientOptions) -> Result<Client, Error> {
        let base = match o.base_url.as_deref() {
            Some(b) => BaseUrl::parse(b)?,
            None => BaseUrl::default(),
        };
        Ok(Client {
            base,
            tokens: Tokens::new(o.token, o.get_token)?,
        })
    }

    /// Runs one `getSession` (`once`) or `pollSession`; resolves with the body of the
    /// final answer plus `http_status`, rejects with a `VoiceApiError` or the signal's
    /// reason (or what `onProgress` threw).
    pub async fn run(
        self: Rc<Self>,
        session_id: String,
        o: PollOptions,
        once: bool,
    ) -> Result<JsValue, JsValue> {
        let fail = |e: &Error| errors::to_js(e, &JsValue::UNDEFINED, Some(&session_id));
        let filter = Filter::from_options(o.template_id.as_deref(), o.document_id.as_deref())
            .map_err(|e| fail(&e))?;
        let url = session_url(&self.base, &session_id, filter).map_err(|e| fail(&e))?;
        let defaults = PollConfig::default();
        let mut poller = Poller::new(PollConfig {
            interval_ms: o.interval_ms.unwrap_or(defaults.interval_ms),
            timeout_ms: o.timeout_ms.unwrap_or(defaults.timeout_ms),
            request_timeout_ms: o.request_timeout_ms.unwrap_or(defaults.request_timeout_ms),
            max_retries: o.max_retries.unwrap_or(defaults.max_retries),
            can_refresh_token: self.tokens.can_refresh(),
            once,
            ..defaults
        });
        let abort = AbortWatch::new(o.signal);
        if let Some(reason) = abort.reason() {
            return Err(reason);
        }
        let now = || Date::now() as u64;
        let mut action = poller.start(now());
        let (mut token, mut generation) = self.tokens.get(&abort, &session_id).await?;
        let mut body = JsValue::UNDEFINED;
        let mut http_status = 0;
        loop {
            action = match action {
                Action::Send { timeout_ms } => {
                    let req = Request {
                        method: "GET",
                        url: &url,
                        token: token.as_deref(),
                    };
                    match exchange(&req, timeout_ms, &abort).await {
                        Exchange::Answer(a) => {
                            body = a.body;
                            http_status = a.status;
                            poller.on_answer(
                                now(),
                                a.status,
                                a.facts.as_ref(),
                                a.retry_after.as_deref(),
                                Math::random(),
                            )
                        }
                        Exchange::Failed(t) => {
                            body = JsValue::UNDEFINED;
                            poller.on_transport_error(now(), t, Math::random())
                        }
                        Exchange::Aborted(reason) => return Err(reason),
                    }
                }
                Action::Sleep { ms } => {
                    abort.sleep(ms).await?;
                    poller.on_wake(now())
                }
                Action::RefreshToken => {
                    (token, generation) =
                        self.tokens.refresh(generation, &abort, &session_id).await?;
                    poller.on_token(now())
                }
                Action::Progress => {
                    stamp(&body, http_status);
                    if let Some(f) = &o.on_progress {
                        f.call1(&JsValue::UNDEFINED, &body)?;
                    }
                    poller.on_progressed(now())
                }
                Action::Resolve => {
                    stamp(&body, http_status);
                    return Ok(body);
                }
                Action::Reject(e) => return Err(errors::to_js(&e, &body, Some(&session_id))),
            };
        }
    }
}

/// Adds `http_status` to a parsed body.
fn stamp(body: &JsValue, status: u16) {
    if body.is_object() {
        let _ = Reflect::set(body, &"http_status".into(), &JsValue::from(status as u32));
    }
}

//! The client and its action loop: it runs a [`Poller`] by performing each [`Action`]
//! (fetch, sleep, token refresh, progress report) and feeding the result back. It makes
//! no protocol decision of its own.

use alloc::rc::Rc;
use alloc::string::String;

use js_sys::{Array, Date, Math, Object, Reflect};
use wasm_bindgen::JsValue;

use super::abort::AbortWatch;
use super::errors::Failure;
use super::fetch::{exchange, request_init, Exchange, Request};
use super::options::{ClientOptions, PollOptions};
use super::sessions::Sessions;
use super::token::Tokens;
use crate::proto::{
    session_url, Action, BaseUrl, Error, Filter, Op, PollConfig, Poller,
    DEFAULT_MAX_RESPONSE_BYTES, SESSION_BODY_STATUSES,
};

/// A Voice API client: a validated base URL and a token source.
pub struct Client {
    base: BaseUrl,
    tokens: Tokens,
    sessions: Sessions,
    /// `maxResponseBytes`: the largest answer body read.
    max_response_bytes: u64,
    /// The core's [`SESSION_BODY_STATUSES`] as a JS array, built once for every request.
    session_statuses: JsValue,
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
            sessions: Sessions::default(),
            max_response_bytes: o
                .max_response_bytes
                .map_or(DEFAULT_MAX_RESPONSE_BYTES, u64::from),
            session_statuses: SESSION_BODY_STATUSES
                .iter()
                .map(|&s| JsValue::from(s))
                .collect::<Array>()
                .into(),
        })
    }

    /// What this client remembers of the sessions it uploads to.
    pub fn sessions(&self) -> &Sessions {
        &self.sessions
    }

    /// The validated base URL.
    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// The poller options of a call, from the caller's options and the defaults.
    pub fn config(&self, o: &PollOptions, op: Op, once: bool) -> PollConfig {
        let defaults = PollConfig::default();
        PollConfig {
            interval_ms: o.pacing.interval_ms.unwrap_or(defaults.interval_ms),
            min_interval_ms: o.pacing.min_interval_ms.unwrap_or(defaults.min_interval_ms),
            timeout_ms: o.request.timeout_ms.unwrap_or(defaults.timeout_ms),
            request_timeout_ms: (o.request.request_timeout_ms)
                .unwrap_or(defaults.request_timeout_ms),
            max_retries: o.retries.max_retries.unwrap_or(defaults.max_retries),
            can_refresh_token: self.tokens.can_refresh() && op.sends_token(),
            once,
            op,
            ..defaults
        }
    }

    /// Runs one `getSession` (`once`) or `pollSession`; resolves with the body of the
    /// final answer plus `http_status`, rejects with a `VoiceApiError` or the signal's
    /// reason (or what `onProgress` threw).
    pub async fn run(
        self: Rc<Self>,
        session_id: String,
        o: PollOptions,
        once: bool,
    ) -> Result<JsValue, Failure> {
        let abort = AbortWatch::new(o.request.signal.clone());
        let report = |snapshot: &JsValue| match &o.on_progress {
            Some(f) => f
                .call1(&JsValue::UNDEFINED, snapshot)
                .map(|_| ())
                .map_err(Failure::Thrown),
            None => Ok(()),
        };
        self.poll_with(&session_id, &o, once, &abort, &report).await
    }

    /// `run` with a given abort watch and progress reporter (`transcribe` shares them).
    pub async fn poll_with(
        &self,
        session_id: &str,
        o: &PollOptions,
        once: bool,
        abort: &AbortWatch,
        report: &dyn Fn(&JsValue) -> Result<(), Failure>,
    ) -> Result<JsValue, Failure> {
        let fail = |e: &Error| Failure::new(e.clone(), Some(session_id));
        let f = &o.filters;
        let filter = Filter::from_options(f.template_id.as_deref(), f.document_id.as_deref())
            .map_err(|e| fail(&e))?;
        let url = session_url(&self.base, session_id, filter).map_err(|e| fail(&e))?;
        let call = Call {
            method: "GET",
            url: &url,
            body: None,
            json: false,
            auth: true,
        };
        self.execute(
            &call,
            self.config(o, Op::GetSession, once),
            abort,
            session_id,
            report,
        )
        .await
    }

    /// Performs one call under the poller's policy: retries, backoff, `Retry-After`,
    /// deadline, token refresh, abort. Resolves with the final body plus `http_status`.
    pub async fn execute(
        &self,
        call: &Call<'_>,
        cfg: PollConfig,
        abort: &AbortWatch,
        session_id: &str,
        report: &dyn Fn(&JsValue) -> Result<(), Failure>,
    ) -> Result<JsValue, Failure> {
        if let Some(reason) = abort.reason() {
            return Err(reason);
        }
        let mut poller = Poller::new(cfg);
        let now = || Date::now() as u64;
        let mut action = poller.start(now());
        // A token source is the caller's code: waiting for it counts against the deadline.
        let within_deadline = |p: &Poller| p.deadline_ms().saturating_sub(now());
        let id = (!session_id.is_empty()).then_some(session_id);
        let expired = |p: &Poller| Failure::new(p.timeout(), id);
        let (mut token, mut generation) = if call.auth {
            let within = within_deadline(&poller);
            match self.tokens.get(abort, within, session_id).await? {
                Some(t) => t,
                None => return Err(expired(&poller)),
            }
        } else {
            (None, 0)
        };
        let mut body = JsValue::UNDEFINED;
        let mut http_status = 0;
        let mut controller = None;
        // Built once per call, and again after a token refresh.
        let build = |token: Option<&str>| request_init(call.method, token, call.body, call.json);
        let mut init = build(token.as_deref());
        loop {
            action = match action {
                Action::Send { timeout_ms } => {
                    let req = Request {
                        url: call.url,
                        init: &init,
                        session_statuses: &self.session_statuses,
                        max_bytes: self.max_response_bytes,
                    };
                    match exchange(&req, timeout_ms, abort, &mut controller).await {
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
                        Exchange::Oversized(status) => {
                            body = JsValue::UNDEFINED;
                            poller.on_oversized(status, self.max_response_bytes)
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
                    let within = within_deadline(&poller);
                    match self
                        .tokens
                        .refresh(generation, abort, within, session_id)
                        .await?
                    {
                        Some(t) => (token, generation) = t,
                        None => return Err(expired(&poller)),
                    }
                    init = build(token.as_deref());
                    poller.on_token(now())
                }
                Action::Progress => {
                    stamp(&body, http_status);
                    report(&body)?;
                    poller.on_progressed(now())
                }
                Action::Resolve => {
                    if !body.is_object() {
                        body = Object::new().into();
                    }
                    stamp(&body, http_status);
                    return Ok(body);
                }
                Action::Reject(e) => {
                    return Err(Failure::from_answer(e, &body, id, token.as_deref()))
                }
            };
        }
    }
}

/// One HTTP call, as the lifecycle functions describe it.
pub struct Call<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// Absolute URL.
    pub url: &'a str,
    /// The request body (JSON text, bytes, a Blob or a FormData).
    pub body: Option<&'a JsValue>,
    /// Whether the body is JSON (`Content-Type: application/json`).
    pub json: bool,
    /// Whether to send the bearer token (never to a presigned storage URL).
    pub auth: bool,
}

/// Adds `http_status` to a parsed body.
pub fn stamp(body: &JsValue, status: u16) {
    if body.is_object() {
        let _ = Reflect::set(body, &"http_status".into(), &JsValue::from(status as u32));
    }
}

//! The client and its action loop: it runs a [`Poller`] by performing each [`Action`]
//! (fetch, sleep, token refresh, progress report) and feeding the result back. It makes
//! no protocol decision of its own.

use alloc::rc::Rc;
use alloc::string::String;

use js_sys::{Array, Date, Function, Math, Object, Reflect};
use wasm_bindgen::JsValue;
use web_sys::AbortController;

use super::abort::AbortWatch;
use super::discovery::KeptDiscovery;
use super::errors::Failure;
use super::fetch::{exchange, request_init, Exchange, Request};
use super::js;
use super::options::{ClientOptions, PollOptions};
use super::sessions::Sessions;
use super::token::{Tokens, Versioned};
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
    /// The kept Discovery answer.
    discovery: KeptDiscovery,
    /// The request budget shared by all requests (`pollMany`'s `maxRequestsPerSecond`).
    #[cfg(feature = "server")]
    budget: BudgetSlot,
}

/// The budget slot of a client (none until `setRequestBudget`; feature `server`).
#[cfg(feature = "server")]
pub type BudgetSlot = core::cell::RefCell<Option<crate::proto::RequestBudget>>;

impl Client {
    /// Validates the options.
    pub fn new(o: ClientOptions) -> Result<Client, Error> {
        let base = match o.base_url.as_deref() {
            Some(b) => BaseUrl::parse(b)?,
            None => BaseUrl::default(),
        };
        let base = base.trust_upload_origins(o.trusted_upload_origins.as_deref().unwrap_or(&[]))?;
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
            discovery: KeptDiscovery::default(),
            #[cfg(feature = "server")]
            budget: Default::default(),
        })
    }

    /// The request budget (feature `server`).
    #[cfg(feature = "server")]
    pub(crate) fn budget(&self) -> &BudgetSlot {
        &self.budget
    }

    /// What this client remembers of the sessions it uploads to.
    pub fn sessions(&self) -> &Sessions {
        &self.sessions
    }

    /// The kept Discovery answer.
    pub fn discovery(&self) -> &KeptDiscovery {
        &self.discovery
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
        let report = reporter(o.on_progress.as_ref());
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
            cache_control: None,
            header: None,
        };
        let hooks = Hooks {
            progress: report,
            on_retry: o.retries.on_retry.as_ref(),
        };
        let cfg = self.config(o, Op::GetSession, once);
        self.execute(&call, cfg, abort, session_id, &hooks).await
    }

    /// Performs one call under the poller's policy: retries, backoff, `Retry-After`,
    /// deadline, token refresh, abort. Resolves with the final body plus `http_status`.
    /// (Boxed: every caller holds a pointer to this one state machine, not a copy of it.)
    pub fn execute<'a>(
        &'a self,
        call: &'a Call<'a>,
        cfg: PollConfig,
        abort: &'a AbortWatch,
        session_id: &'a str,
        hooks: &'a Hooks<'a>,
    ) -> core::pin::Pin<
        alloc::boxed::Box<dyn core::future::Future<Output = Result<JsValue, Failure>> + 'a>,
    > {
        alloc::boxed::Box::pin(self.execute_inner(call, cfg, abort, session_id, hooks))
    }

    async fn execute_inner(
        &self,
        call: &Call<'_>,
        cfg: PollConfig,
        abort: &AbortWatch,
        session_id: &str,
        hooks: &Hooks<'_>,
    ) -> Result<JsValue, Failure> {
        if let Some(reason) = abort.reason() {
            return Err(reason);
        }
        let mut poller = Poller::new(cfg);
        let mut action = poller.start(now());
        let mut x = Exec::new(self, call, session_id, poller);
        if call.auth {
            let fresh = self.tokens.get(abort, x.within_deadline(), session_id);
            if let Some(retry) = x.tokened(fresh.await)? {
                action = retry;
            }
        }
        loop {
            action = match action {
                Action::Send { timeout_ms } => {
                    #[cfg(feature = "server")]
                    let timeout_ms = {
                        let within = x.within_deadline();
                        self.take_budget(abort, within, || x.expired()).await?;
                        timeout_ms.min(x.within_deadline().max(1))
                    };
                    let req = self.request(call, &x.init);
                    let exchanged = exchange(&req, timeout_ms, abort, &mut x.controller).await;
                    #[cfg(feature = "server")]
                    self.note_answer(&exchanged);
                    x.answered(exchanged)?
                }
                Action::Sleep { ms } => {
                    abort.sleep(ms).await?;
                    x.poller.on_wake(now())
                }
                Action::RefreshToken => {
                    let within = x.within_deadline();
                    let fresh = self.tokens.refresh(x.token.1, abort, within, session_id);
                    match x.tokened(fresh.await)? {
                        Some(retry) => retry,
                        None => x.poller.on_token(now()),
                    }
                }
                other => match x.report_or_end(other, hooks)? {
                    Ok(next) => next,
                    Err(done) => return Ok(done),
                },
            };
        }
    }
}

impl Client {
    /// A request of this client to `url`.
    fn request<'a>(&'a self, call: &'a Call<'a>, init: &'a JsValue) -> Request<'a> {
        Request {
            url: call.url,
            init,
            session_statuses: &self.session_statuses,
            max_bytes: self.max_response_bytes,
            cache_control: call.cache_control.is_some(),
        }
    }
}

/// A poll's progress report: hands each 202 body to `onProgress` (what it throws ends the
/// call).
pub fn reporter(on_progress: Option<&Function>) -> impl Fn(&JsValue) -> Result<(), Failure> + '_ {
    move |snapshot| match on_progress {
        Some(f) => f
            .call1(&JsValue::UNDEFINED, snapshot)
            .map(|_| ())
            .map_err(Failure::Thrown),
        None => Ok(()),
    }
}

/// Hands `{ attempt, delayMs, error, index? }` to `onRetry` (`index`: the chunk whose upload
/// a durable transcription tries again); what it throws ends the call.
#[inline(never)]
pub(crate) fn report_retry(
    f: &Function,
    attempt: u32,
    delay_ms: u64,
    e: Failure,
    index: Option<u32>,
) -> Result<(), Failure> {
    let event = js::retry_event(attempt, delay_ms as f64, &e.into_js(), index);
    f.call1(&JsValue::UNDEFINED, &event)
        .map(|_| ())
        .map_err(Failure::Thrown)
}

/// The clock of the layer (`Date.now()`).
pub(crate) fn now() -> u64 {
    Date::now() as u64
}

/// One call in progress: its poller, the token it carries, its last answer. (Its small
/// methods are `#[inline(always)]`: split for reading, one function in the wasm.)
struct Exec<'a> {
    client: &'a Client,
    call: &'a Call<'a>,
    session_id: &'a str,
    poller: Poller,
    token: Versioned,
    /// The `RequestInit`: built once per call, and again after a token refresh.
    init: JsValue,
    body: JsValue,
    http_status: u16,
    controller: Option<AbortController>,
    /// The JS error of the last request that got no answer (the `cause` of a failure).
    cause: JsValue,
}

impl<'a> Exec<'a> {
    /// A call about to start; one that carries the token gets it (and its `RequestInit`)
    /// from [`Exec::refreshed`].
    #[inline(always)]
    fn new(
        client: &'a Client,
        call: &'a Call<'a>,
        session_id: &'a str,
        poller: Poller,
    ) -> Exec<'a> {
        let mut x = Exec {
            client,
            call,
            session_id,
            poller,
            token: (None, 0),
            init: JsValue::UNDEFINED,
            body: JsValue::UNDEFINED,
            http_status: 0,
            controller: None,
            cause: JsValue::UNDEFINED,
        };
        if !call.auth {
            x.init = x.request_init();
        }
        x
    }

    #[inline(always)]
    fn id(&self) -> Option<&str> {
        (!self.session_id.is_empty()).then_some(self.session_id)
    }

    /// A token source is the caller's code: waiting for it counts against the deadline.
    #[inline(always)]
    fn within_deadline(&self) -> u64 {
        self.poller.deadline_ms().saturating_sub(now())
    }

    #[inline(always)]
    fn expired(&self) -> Failure {
        Failure::new(self.poller.timeout(), self.id())
    }

    #[inline(always)]
    fn request_init(&self) -> JsValue {
        let c = self.call;
        request_init(c.method, self.token.0.as_deref(), c.body, c.json, c.header)
    }

    /// Tells the poller how the exchange ended.
    #[inline(always)]
    fn answered(&mut self, exchanged: Exchange) -> Result<Action, Failure> {
        self.body = JsValue::UNDEFINED;
        Ok(match exchanged {
            Exchange::Answer(a) => {
                self.body = a.body;
                self.http_status = a.status;
                if let Some(header) = self.call.cache_control {
                    header.replace(a.cache_control);
                }
                self.cause = JsValue::UNDEFINED;
                let (facts, retry_after) = (a.facts.as_ref(), a.retry_after.as_deref());
                (self.poller).on_answer(now(), a.status, facts, retry_after, Math::random())
            }
            Exchange::Oversized(status) => {
                (self.poller).on_oversized(status, self.client.max_response_bytes)
            }
            Exchange::Failed(t, cause) => {
                self.cause = cause;
                (self.poller).on_transport_error(now(), t, Math::random())
            }
            Exchange::Aborted(reason) => return Err(reason),
        })
    }

    /// A token arrived (`None`: the requests carry it from now on), or none within the
    /// deadline (the timeout), or the source failed: what the poller does about it (a
    /// `token_unavailable` is retried). (Not inlined: both token steps share it.)
    #[inline(never)]
    fn tokened(
        &mut self,
        fresh: Result<Option<Versioned>, Failure>,
    ) -> Result<Option<Action>, Failure> {
        match fresh {
            Ok(fresh) => {
                self.token = fresh.ok_or_else(|| self.expired())?;
                self.init = self.request_init();
                Ok(None)
            }
            Err(Failure::Api(f)) => {
                self.cause = f.cause;
                let action = self.poller.on_token_failed(now(), f.error, Math::random());
                Ok(Some(action))
            }
            Err(other) => Err(other),
        }
    }

    /// Performs an action that does not wait: a progress or retry report (`Ok(next)`), or
    /// the call's end (`Err(result)`, or the failure).
    #[inline(never)]
    fn report_or_end(
        &mut self,
        action: Action,
        hooks: &Hooks<'_>,
    ) -> Result<Result<Action, JsValue>, Failure> {
        Ok(Ok(match action {
            Action::Progress => {
                stamp(&self.body, self.http_status);
                (hooks.progress)(&self.body)?;
                self.poller.on_progressed(now())
            }
            Action::Retry {
                attempt,
                delay_ms,
                error,
            } => {
                if let Some(f) = hooks.on_retry {
                    report_retry(f, attempt, delay_ms, self.reject(error), None)?;
                }
                self.poller.on_retried(now())
            }
            Action::ResolveWith(answer) => {
                self.body = js_sys::JSON::parse(answer).unwrap_or_default();
                return Ok(Err(self.resolve()));
            }
            Action::Resolve => return Ok(Err(self.resolve())),
            Action::Reject(e) => return Err(self.reject(e)),
            // The loop performs these itself: back to it as they are.
            waits @ (Action::Send { .. } | Action::Sleep { .. } | Action::RefreshToken) => waits,
        }))
    }

    /// The final body (an object, for a body-less success), with `http_status`.
    #[inline(always)]
    fn resolve(&mut self) -> JsValue {
        let body = if self.body.is_object() {
            core::mem::take(&mut self.body)
        } else {
            Object::new().into()
        };
        stamp(&body, self.http_status);
        body
    }

    /// The poller's error, with the last body, without the token. (Not inlined: the
    /// loop's Reject and Retry arms share it.)
    #[inline(never)]
    fn reject(&self, e: crate::proto::Error) -> Failure {
        let cause = if e.status.is_none() {
            self.cause.clone()
        } else {
            JsValue::UNDEFINED
        };
        Failure::from_answer(e, &self.body, self.id(), self.token.0.as_deref()).with_cause(cause)
    }
}

/// How a call reports to its caller while it runs.
pub struct Hooks<'a> {
    /// Hands a 202 snapshot to `onProgress` (what it throws ends the call).
    pub progress: &'a dyn Fn(&JsValue) -> Result<(), Failure>,
    /// `onRetry`, called with `{ attempt, delayMs, error }` before each retry.
    pub on_retry: Option<&'a Function>,
}

impl<'a> Hooks<'a> {
    /// A call with no progress to report (the lifecycle's): only its retries.
    pub fn retries_only(on_retry: Option<&'a Function>) -> Hooks<'a> {
        Hooks {
            progress: &|_| Ok(()),
            on_retry,
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
    /// For a row whose answer is kept (Discovery): where the answer's `Cache-Control`
    /// header is written.
    pub cache_control: Option<&'a core::cell::Cell<JsValue>>,
    /// One more header, `[name, value]` (the auth API's refresh: `Client-Id`).
    pub header: Option<&'a JsValue>,
}

/// Adds `http_status` to a parsed body.
pub fn stamp(body: &JsValue, status: u16) {
    if body.is_object() {
        let _ = Reflect::set(body, &"http_status".into(), &JsValue::from(status as u32));
    }
}

//! [`Poller`]: the state machine behind `pollSession` and `getSession`.
//!
//! It performs no IO and has no clock: every entry point takes `now_ms` (milliseconds,
//! from any clock that only moves forward in practice; the wasm layer passes
//! `Date.now()`) and, where randomness is needed, `rand01` in `[0, 1)`. Each entry
//! point answers with the next [`Action`] for the IO layer to perform, which then
//! reports back through the matching `on_*` method:
//!
//! | action | the IO layer… | then calls |
//! |---|---|---|
//! | [`Action::Send`] | sends the GET, aborting it after `timeout_ms` | [`Poller::on_answer`] or [`Poller::on_transport_error`] |
//! | [`Action::Sleep`] | waits `ms` | [`Poller::on_wake`] |
//! | [`Action::Retry`] | tells the caller (`onRetry`) that attempt `attempt` failed with `error` and the next starts in `delay_ms` | [`Poller::on_retried`] |
//! | [`Action::RefreshToken`] | asks `getToken` for a fresh token | [`Poller::on_token`] or [`Poller::on_token_failed`] |
//! | [`Action::Progress`] | hands the last body to `onProgress` | [`Poller::on_progressed`] |
//! | [`Action::Resolve`] | resolves with the last body | — |
//! | [`Action::ResolveWith`] | resolves with this JSON instead (a 404 that means "none") | — |
//! | [`Action::Reject`] | rejects with the error | — |
//!
//! Rules:
//! - `interval_ms` (never below `min_interval_ms`, 100 ms unless the caller lowers it)
//!   is the minimum time between the STARTS of two requests: after a
//!   long-polled (held) request the next one starts at once, after a quick one the
//!   machine sleeps out the rest of the interval. A `Retry-After` on a 202 pushes the
//!   next start later, never earlier.
//! - Transient failures (network, request timeout, 408, 429, 5xx) are retried after
//!   `Retry-After` when the answer had one, else after the [`Backoff`] delay. After
//!   `max_retries` CONSECUTIVE failures, the last failure is the error. Any answer that
//!   is not a failure resets the count.
//! - A 401 asks for a fresh token once (when a token source exists) and repeats the
//!   request; a second 401 in a row is the error.
//! - A token source that failed for a reason that may pass ([`ErrorCode::TokenUnavailable`])
//!   is retried like a network failure (the same count, backoff and deadline): the next
//!   attempt asks it again before sending. Any other failure of it is the error.
//! - The deadline (`timeout_ms` after start) is absolute: every sleep and every request
//!   timeout is cut to it, and reaching it rejects with [`ErrorCode::Timeout`]. When a
//!   `Retry-After` points past the deadline, the machine rejects at once with the
//!   transient error instead of waiting for a certain timeout.
//! - In `once` mode (`getSession`), a pending answer resolves too and failures are not
//!   retried (a 401 still refreshes the token once).
//! - The same machine runs every lifecycle call (`op` in [`PollConfig`]): one request,
//!   retried on transient failures, resolved on success.

use super::backoff::Backoff;
use super::classify::{classify_answer, http_error, BodyFacts, Op, Verdict};
use super::error::{push_decimal, Error, ErrorCode};
use super::retry_after::parse_retry_after;
use alloc::string::String;

/// The largest delay a JS timer accepts (2³¹−1 ms); longer sleeps are clamped to it.
pub const MAX_TIMER_MS: u64 = 2_147_483_647;

/// The smallest time between the starts of two polls unless the caller lowers it
/// explicitly (`minIntervalMs`): `intervalMs: 0` must not turn a client into a flood of
/// requests against a service that answers 202 at once.
pub const MIN_INTERVAL_MS: u64 = 100;

/// Options of one poll (or one get).
///
/// ```
/// use eka_voice::proto::PollConfig;
/// let c = PollConfig::default();
/// assert_eq!((c.interval_ms, c.min_interval_ms, c.timeout_ms, c.request_timeout_ms, c.max_retries),
///            (1000, 100, 600_000, 30_000, 5));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PollConfig {
    /// Minimum time between the starts of two requests (`intervalMs`, default 1000).
    pub interval_ms: u64,
    /// The floor of `interval_ms` (`minIntervalMs`, default [`MIN_INTERVAL_MS`]; 0 lets
    /// a caller who knows what it does poll back to back).
    pub min_interval_ms: u64,
    /// Deadline of the whole operation (`timeoutMs`, default 10 minutes).
    pub timeout_ms: u64,
    /// Abort a request that takes longer (`requestTimeoutMs`, default 30 000; keep it
    /// above the service's ~14 s long-poll hold).
    pub request_timeout_ms: u64,
    /// Consecutive transient failures tolerated (`maxRetries`, default 5).
    pub max_retries: u32,
    /// Delays between retries.
    pub backoff: Backoff,
    /// Whether a fresh token can be asked for after a 401.
    pub can_refresh_token: bool,
    /// `getSession` mode: one answer, no retries, pending answers resolve too.
    pub once: bool,
    /// The operation whose answers are classified (Get Session for polls).
    pub op: Op,
}

impl Default for PollConfig {
    fn default() -> Self {
        PollConfig {
            interval_ms: 1000,
            min_interval_ms: MIN_INTERVAL_MS,
            timeout_ms: 600_000,
            request_timeout_ms: 30_000,
            max_retries: 5,
            backoff: Backoff::default(),
            can_refresh_token: false,
            once: false,
            op: Op::GetSession,
        }
    }
}

/// What the IO layer must do next.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use = "the IO layer must perform the action and report back"]
pub enum Action {
    /// Send the request now; abort it after `timeout_ms`.
    Send {
        /// Per-request timeout, already cut to the deadline.
        timeout_ms: u64,
    },
    /// Wait this long, then call [`Poller::on_wake`].
    Sleep {
        /// Milliseconds, at most [`MAX_TIMER_MS`].
        ms: u64,
    },
    /// A transient failure will be retried after `delay_ms`: report it (a UI may show
    /// "reconnecting…"), then call [`Poller::on_retried`], which sleeps out the delay.
    /// Not emitted when the retry could not start before the deadline.
    Retry {
        /// How many consecutive attempts have failed (1 for the first retry).
        attempt: u32,
        /// The wait before the next attempt, in milliseconds.
        delay_ms: u64,
        /// What made the attempt fail.
        error: Error,
    },
    /// Get a fresh token, then call [`Poller::on_token`].
    RefreshToken,
    /// Report the last body as progress, then call [`Poller::on_progressed`].
    Progress,
    /// Done: the last body is the result.
    Resolve,
    /// Done, and the answer meant "there is nothing": this JSON text (the row's
    /// [`none`](super::OpRow::none)) is the result, not the body.
    ResolveWith(&'static str),
    /// Done: fail with this error.
    Reject(Error),
}

/// A request that produced no HTTP answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transport {
    /// The request failed (DNS, connection refused, CORS, reset…); a short description.
    Network(String),
    /// The per-request timeout fired.
    TimedOut,
}

/// The polling state machine; see the module docs.
///
/// ```
/// use eka_voice::proto::{Action, BodyFacts, PollConfig, Poller};
/// let mut p = Poller::new(PollConfig::default());
/// assert_eq!(p.start(0), Action::Send { timeout_ms: 30_000 });
/// let pending = BodyFacts { object: true, status: Some("processing".into()), ..Default::default() };
/// assert_eq!(p.on_answer(100, 202, Some(&pending), None, 0.5), Action::Progress);
/// assert_eq!(p.on_progressed(100), Action::Sleep { ms: 900 });
/// assert_eq!(p.on_wake(1000), Action::Send { timeout_ms: 30_000 });
/// let done = BodyFacts { object: true, status: Some("completed".into()), ..Default::default() };
/// assert_eq!(p.on_answer(1200, 200, Some(&done), None, 0.5), Action::Resolve);
/// ```
#[derive(Clone, Debug)]
pub struct Poller {
    cfg: PollConfig,
    deadline_ms: u64,
    last_send_ms: u64,
    not_before_ms: u64,
    failures: u32,
    refreshed: bool,
    sleeping_to_deadline: bool,
    /// When the retry reported by the last [`Action::Retry`] is due.
    retry_at_ms: u64,
    /// The token source failed: the next attempt asks it again before sending.
    need_token: bool,
}

impl Poller {
    /// A machine with these options; nothing happens until [`Poller::start`].
    pub fn new(cfg: PollConfig) -> Poller {
        Poller {
            cfg,
            deadline_ms: u64::MAX,
            last_send_ms: 0,
            not_before_ms: 0,
            failures: 0,
            refreshed: false,
            sleeping_to_deadline: false,
            retry_at_ms: 0,
            need_token: false,
        }
    }

    /// Starts the clock (the deadline is `now_ms + timeout_ms`) and sends the first request.
    pub fn start(&mut self, now_ms: u64) -> Action {
        self.deadline_ms = now_ms.saturating_add(self.cfg.timeout_ms);
        self.send(now_ms)
    }

    /// The deadline, in the clock of `now_ms`.
    pub fn deadline_ms(&self) -> u64 {
        self.deadline_ms
    }

    /// An HTTP answer arrived: `http` status, facts of the body (`None` when it is not a
    /// JSON object), the raw `Retry-After` header if any.
    pub fn on_answer(
        &mut self,
        now_ms: u64,
        http: u16,
        facts: Option<&BodyFacts>,
        retry_after: Option<&str>,
        rand01: f64,
    ) -> Action {
        let retry_after_ms = retry_after.and_then(|v| parse_retry_after(v, now_ms));
        match classify_answer(self.cfg.op, http, facts) {
            Verdict::Pending if self.cfg.once => Action::Resolve,
            Verdict::Pending => {
                self.failures = 0;
                self.refreshed = false;
                self.not_before_ms = now_ms.saturating_add(retry_after_ms.unwrap_or(0));
                Action::Progress
            }
            Verdict::Finished(_) | Verdict::Done => Action::Resolve,
            Verdict::Nothing(answer) => Action::ResolveWith(answer),
            Verdict::Unauthorized(_) if self.cfg.can_refresh_token && !self.refreshed => {
                self.refreshed = true;
                Action::RefreshToken
            }
            Verdict::Unauthorized(e) | Verdict::Fatal(e) => Action::Reject(e),
            Verdict::Transient(e) => self.retry(now_ms, e, retry_after_ms, rand01),
        }
    }

    /// The request produced no answer.
    pub fn on_transport_error(&mut self, now_ms: u64, t: Transport, rand01: f64) -> Action {
        if now_ms >= self.deadline_ms {
            return self.timeout_error();
        }
        let e = match t {
            Transport::TimedOut => {
                let mut m = String::from("the request got no answer within ");
                push_decimal(&mut m, self.cfg.request_timeout_ms);
                m.push_str(" ms (requestTimeoutMs)");
                Error::new(ErrorCode::Network, m)
            }
            Transport::Network(why) => {
                let mut m = String::from("network error: ");
                m.push_str(if why.is_empty() {
                    "the request failed"
                } else {
                    &why
                });
                Error::new(ErrorCode::Network, m)
            }
        };
        self.retry(now_ms, e, None, rand01)
    }

    /// The answer's body was larger than the IO layer's limit (`limit` bytes): it was
    /// not read, and the call fails with `invalid_response` (not retried: the same
    /// request would get the same answer).
    ///
    /// ```
    /// use eka_voice::proto::{Action, ErrorCode, PollConfig, Poller};
    /// let mut p = Poller::new(PollConfig::default());
    /// p.start(0);
    /// let Action::Reject(e) = p.on_oversized(200, 1024) else { panic!() };
    /// assert_eq!((e.code, e.status), (ErrorCode::InvalidResponse, Some(200)));
    /// ```
    pub fn on_oversized(&mut self, http: u16, limit: u64) -> Action {
        let mut m = String::from("the answer is larger than ");
        push_decimal(&mut m, limit);
        m.push_str(" bytes (maxResponseBytes), not read");
        Action::Reject(http_error(ErrorCode::InvalidResponse, http, None, &m))
    }

    /// The caller has reported the last pending body as progress.
    pub fn on_progressed(&mut self, now_ms: u64) -> Action {
        let interval = self.cfg.interval_ms.max(self.cfg.min_interval_ms);
        let next = self
            .last_send_ms
            .saturating_add(interval)
            .max(self.not_before_ms);
        self.sleep_until(now_ms, next)
    }

    /// A sleep has ended. A sleep that was cut to the deadline ends the call, even
    /// when the timer fired a little early by the caller's clock.
    pub fn on_wake(&mut self, now_ms: u64) -> Action {
        if self.sleeping_to_deadline {
            return self.timeout_error();
        }
        self.send(now_ms)
    }

    /// The error for a deadline that passed while the IO layer waited on something else
    /// (e.g. a token source).
    pub fn timeout(&self) -> Error {
        let mut m = String::from("no final answer within ");
        push_decimal(&mut m, self.cfg.timeout_ms);
        m.push_str(" ms (timeoutMs)");
        Error::new(ErrorCode::Timeout, m)
    }

    /// The caller has been told of the retry: wait until it is due (the time the report
    /// took counts against the delay).
    pub fn on_retried(&mut self, now_ms: u64) -> Action {
        self.sleep_until(now_ms, self.retry_at_ms)
    }

    /// A fresh token is ready: repeat the request.
    pub fn on_token(&mut self, now_ms: u64) -> Action {
        self.need_token = false;
        self.send(now_ms)
    }

    /// The token source failed with `e` (before the first request, or after a 401): a
    /// [`ErrorCode::TokenUnavailable`] is retried like a transport failure (the retry asks
    /// the source again, [`Action::RefreshToken`]); anything else is the error.
    ///
    /// ```
    /// use eka_voice::proto::{Action, Error, ErrorCode, PollConfig, Poller};
    /// let mut p = Poller::new(PollConfig::default());
    /// p.start(0);
    /// let down = Error::new(ErrorCode::TokenUnavailable, "getToken() failed");
    /// let Action::Retry { delay_ms, .. } = p.on_token_failed(0, down, 0.5) else { panic!() };
    /// assert_eq!(p.on_retried(0), Action::Sleep { ms: delay_ms });
    /// assert_eq!(p.on_wake(delay_ms), Action::RefreshToken);
    /// assert!(matches!(p.on_token(delay_ms), Action::Send { .. }));
    /// ```
    pub fn on_token_failed(&mut self, now_ms: u64, e: Error, rand01: f64) -> Action {
        if now_ms >= self.deadline_ms {
            return self.timeout_error();
        }
        self.need_token = true;
        if e.code == ErrorCode::TokenUnavailable {
            self.retry(now_ms, e, None, rand01)
        } else {
            Action::Reject(e)
        }
    }

    fn send(&mut self, now_ms: u64) -> Action {
        if now_ms >= self.deadline_ms {
            return self.timeout_error();
        }
        if self.need_token {
            return Action::RefreshToken;
        }
        self.last_send_ms = now_ms;
        Action::Send {
            timeout_ms: self
                .cfg
                .request_timeout_ms
                .min(self.deadline_ms - now_ms)
                .min(MAX_TIMER_MS),
        }
    }

    fn sleep_until(&mut self, now_ms: u64, at_ms: u64) -> Action {
        let at = at_ms.min(self.deadline_ms);
        if at <= now_ms {
            return self.send(now_ms);
        }
        self.sleeping_to_deadline = at == self.deadline_ms;
        Action::Sleep {
            ms: (at - now_ms).min(MAX_TIMER_MS),
        }
    }

    fn retry(
        &mut self,
        now_ms: u64,
        mut e: Error,
        retry_after_ms: Option<u64>,
        rand01: f64,
    ) -> Action {
        self.failures = self.failures.saturating_add(1);
        if self.cfg.once || self.failures > self.cfg.max_retries {
            if self.failures > 1 {
                e.message.push_str(" (after ");
                push_decimal(&mut e.message, u64::from(self.failures));
                e.message.push_str(" attempts)");
            }
            return Action::Reject(e);
        }
        if let Some(ra) = retry_after_ms {
            if now_ms.saturating_add(ra) > self.deadline_ms {
                e.message.push_str("; the service asked to retry after ");
                push_decimal(&mut e.message, ra);
                e.message.push_str(" ms, past the timeoutMs deadline");
                return Action::Reject(e);
            }
        }
        let delay =
            retry_after_ms.unwrap_or_else(|| self.cfg.backoff.delay_ms(self.failures - 1, rand01));
        let at = now_ms.saturating_add(delay);
        if at >= self.deadline_ms {
            // No retry can start: sleep out to the deadline, which is the error.
            return self.sleep_until(now_ms, at);
        }
        self.retry_at_ms = at;
        Action::Retry {
            attempt: self.failures,
            delay_ms: delay,
            error: e,
        }
    }

    fn timeout_error(&self) -> Action {
        Action::Reject(self.timeout())
    }
}

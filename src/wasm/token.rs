//! The token source of a client: a static `token`, a `getToken` callback (sync or
//! async), or neither (no `Authorization` header: for a backend proxy that adds it).
//!
//! The rules — when the source is asked, one shared call for concurrent refreshes keyed by
//! the generation of the refused token, a refresh forgotten when it settles or when its
//! last waiter leaves — are the core's ([`TokenState`]); this
//! performs them: it calls `getToken` (told which token was refused, `getToken({ refused
//! })`), keeps the call's promise while the core keeps the refresh, waits within the
//! caller's deadline and signal. Besides:
//! - a token must be printable ASCII without spaces; it never appears in an error;
//! - what the source throws is classified by the core (`token_source_error`): a failure
//!   that may pass is `token_unavailable` and the poller retries it like a network failure;
//!   one that says it is final (a 4xx `status`, a final `code`) is `unauthorized`.

use alloc::string::String;
use core::cell::RefCell;

use js_sys::{Function, Promise};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::abort::AbortWatch;
use super::errors::Failure;
use super::js;
use crate::proto::{
    check_token, not_a_token, token_source_error, Error, ThrownFacts, TokenState, TokenStep,
};

pub use crate::proto::Versioned;

/// See the module docs.
pub struct Tokens {
    /// The core's state, holding the promise of the `getToken()` call in flight.
    state: RefCell<TokenState<Promise>>,
    source: Option<Function>,
}

/// A waiter of a refresh: leaving before it settled is told to the core.
struct Waiting<'a> {
    tokens: &'a Tokens,
    refresh: u32,
    settled: bool,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if !self.settled {
            self.tokens.state.borrow_mut().left(self.refresh);
        }
    }
}

impl Tokens {
    /// A token source; the static token is checked here.
    pub fn new(token: Option<String>, source: Option<Function>) -> Result<Tokens, Error> {
        if let Some(t) = &token {
            check_token(t)?;
        }
        Ok(Tokens {
            state: RefCell::new(TokenState::new(token, source.is_some())),
            source,
        })
    }

    /// Whether a fresh token can be asked for.
    pub fn can_refresh(&self) -> bool {
        self.source.is_some()
    }

    /// The token the next request carries (for redacting errors).
    pub fn current(&self) -> Option<String> {
        self.state.borrow().current().map(String::from)
    }

    /// The token for the next request: the current one, or the first from `getToken`.
    /// `Ok(None)` when the source did not answer within `within_ms` (the call's deadline).
    pub async fn get(
        &self,
        abort: &AbortWatch,
        within_ms: u64,
        session_id: &str,
    ) -> Result<Option<Versioned>, Failure> {
        let step = self.state.borrow_mut().first();
        self.perform(step, abort, within_ms, session_id).await
    }

    /// A fresh token, replacing the one of generation `failed`; `Ok(None)` when the source
    /// did not answer within `within_ms`.
    pub async fn refresh(
        &self,
        failed: u32,
        abort: &AbortWatch,
        within_ms: u64,
        session_id: &str,
    ) -> Result<Option<Versioned>, Failure> {
        let step = self.state.borrow_mut().replace(failed);
        self.perform(step, abort, within_ms, session_id).await
    }

    /// Performs the core's step: the token to carry, or the refresh's `getToken()` call
    /// awaited within the deadline and the signal.
    async fn perform(
        &self,
        step: TokenStep<Promise>,
        abort: &AbortWatch,
        within_ms: u64,
        session_id: &str,
    ) -> Result<Option<Versioned>, Failure> {
        let (refresh, promise) = match self.start(step) {
            Ok(started) => started,
            Err(carry) => return Ok(Some(carry)),
        };
        let mut waiting = Waiting {
            tokens: self,
            refresh,
            settled: false,
        };
        let outcome = abort
            .race_timeout(&mut JsFuture::from(promise), within_ms)
            .await;
        // Left (abort, deadline): `waiting` tells the core when dropped.
        let Some(outcome) = outcome? else {
            return Ok(None);
        };
        waiting.settled = true;
        self.settle(refresh, outcome, session_id).map(Some)
    }

    /// The refresh a step waits for (its `getToken()` call made when the step asks), or
    /// the token to carry at once.
    fn start(&self, step: TokenStep<Promise>) -> Result<(u32, Promise), Versioned> {
        match (step, &self.source) {
            (TokenStep::Ask { refresh, refused }, Some(source)) => {
                let promise = js::call_token(source, refused);
                self.state.borrow_mut().started(refresh, promise.clone());
                Ok((refresh, promise))
            }
            (TokenStep::Wait(refresh, promise), _) => Ok((refresh, promise)),
            (TokenStep::Use(v), _) => Err(v),
            (TokenStep::Ask { .. }, None) => Err(self.state.borrow().versioned()),
        }
    }

    /// Refresh `refresh` settled with `outcome` (what `getToken()` gave or threw): the core
    /// told (it publishes a token once), the token to carry, or the source's failure.
    fn settle(
        &self,
        refresh: u32,
        outcome: Result<JsValue, JsValue>,
        session_id: &str,
    ) -> Result<Versioned, Failure> {
        let secret = self.current();
        let token = outcome
            .map_err(|thrown| source_failed(&thrown, session_id, secret.as_deref()))
            .and_then(|value| checked(value).map_err(|e| Failure::new(e, Some(session_id))));
        let carried = self
            .state
            .borrow_mut()
            .settled(refresh, token.as_ref().ok().cloned());
        token.map(|_| carried)
    }
}

/// What the source gave, if it is a token.
fn checked(value: JsValue) -> Result<String, Error> {
    let t = value.as_string().ok_or_else(|| not_a_token(None))?;
    check_token(&t).map_err(|_| not_a_token(Some(t.len())))?;
    Ok(t)
}

/// What the token source threw, as the core classifies it (`token_unavailable`, retried,
/// or `unauthorized`).
fn source_failed(thrown: &JsValue, session_id: &str, secret: Option<&str>) -> Failure {
    let why = js::describe(thrown);
    let code = js::thrown_code(thrown);
    let status = js::thrown_status(thrown);
    let mut e = token_source_error(&ThrownFacts {
        status: (status != 0).then_some(status),
        code: code.as_deref(),
        description: &why,
    });
    e.redact(secret);
    Failure::new(e, Some(session_id)).with_cause(thrown.clone())
}

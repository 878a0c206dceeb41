//! The token source of a client: a static `token`, a `getToken` callback (sync or
//! async), or neither (no `Authorization` header: for a backend proxy that adds it).
//!
//! Rules:
//! - without a static token, `getToken` is asked before the first request;
//! - after a 401 (or a 403 that refuses the token), `getToken` is asked again — told which
//!   token was refused, `getToken({ refused })`, so that a cache drops it — and the request
//!   repeated (the poller allows this once in a row);
//! - concurrent requests that need a fresh token together share ONE `getToken` call:
//!   a refresh is keyed by the generation of the token that failed, so a request that
//!   failed with an already-replaced token just uses the new one;
//! - a refresh lives only as long as someone waits for it: when it settles, its result
//!   is published (or its failure reported) and it is forgotten; when every caller
//!   waiting for it has left (aborted, or hit its deadline), it is forgotten too, so that
//!   a `getToken()` that hung once, or a result nobody took, is never reused — the next
//!   401 asks again;
//! - a token must be printable ASCII without spaces; it never appears in an error;
//! - what the source throws is classified by the core (`token_source_error`): a failure
//!   that may pass is `token_unavailable` and the poller retries it like a network failure;
//!   one that says it is final (a 4xx `status`, a final `code`) is `unauthorized`.

use alloc::rc::Rc;
use alloc::string::String;
use core::cell::{Cell, RefCell};

use js_sys::{Function, Promise};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::abort::AbortWatch;
use super::errors::Failure;
use super::js;
use crate::proto::{check_token, not_a_token, token_source_error, Error, ThrownFacts};

/// A token and the generation it belongs to.
pub type Versioned = (Option<String>, u32);

/// One `getToken()` call in flight, shared by the requests that wait for it.
struct Refresh {
    promise: Promise,
    /// The generation of the token it replaces.
    replaces: u32,
    waiters: Cell<u32>,
}

/// See the module docs.
pub struct Tokens {
    current: RefCell<Option<String>>,
    generation: Cell<u32>,
    source: Option<Function>,
    inflight: RefCell<Option<Rc<Refresh>>>,
}

/// Counts one waiter of a refresh while it lives; the last one to leave before the
/// refresh settled forgets it.
struct Waiting<'a> {
    tokens: &'a Tokens,
    refresh: Rc<Refresh>,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let left = self.refresh.waiters.get().saturating_sub(1);
        self.refresh.waiters.set(left);
        if left == 0 {
            self.tokens.forget(&self.refresh);
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
            current: RefCell::new(token),
            generation: Cell::new(0),
            source,
            inflight: RefCell::new(None),
        })
    }

    /// Whether a fresh token can be asked for.
    pub fn can_refresh(&self) -> bool {
        self.source.is_some()
    }

    /// The token the next request carries (for redacting errors).
    pub fn current(&self) -> Option<String> {
        self.current.borrow().clone()
    }

    /// The token for the next request: the current one, or the first from `getToken`.
    /// `Ok(None)` when the source did not answer within `within_ms` (the call's deadline).
    pub async fn get(
        &self,
        abort: &AbortWatch,
        within_ms: u64,
        session_id: &str,
    ) -> Result<Option<Versioned>, Failure> {
        let current = self.current.borrow().clone();
        if current.is_some() || self.source.is_none() {
            return Ok(Some((current, self.generation.get())));
        }
        self.refresh(self.generation.get(), abort, within_ms, session_id)
            .await
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
        let Some(source) = &self.source else {
            return Ok(Some(self.versioned()));
        };
        if self.generation.get() != failed {
            return Ok(Some(self.versioned()));
        }
        let refresh = self.join(source, failed);
        let waiting = Waiting {
            tokens: self,
            refresh: refresh.clone(),
        };
        let outcome = abort
            .race_timeout(&mut JsFuture::from(refresh.promise.clone()), within_ms)
            .await;
        // Settled: the refresh is over for everyone (the first waiter to wake publishes).
        // Left (abort, deadline): only the last waiter to leave forgets it (`Waiting`).
        let published = matches!(outcome, Ok(Some(_))) && self.forget(&refresh);
        drop(waiting);
        let Some(outcome) = outcome? else {
            return Ok(None);
        };
        let secret = self.current();
        let value =
            outcome.map_err(|thrown| source_failed(&thrown, session_id, secret.as_deref()))?;
        let token = value
            .as_string()
            .ok_or_else(|| not_a_token(None))
            .and_then(|t| match check_token(&t) {
                Ok(()) => Ok(t),
                Err(_) => Err(not_a_token(Some(t.len()))),
            })
            .map_err(|e| Failure::new(e, Some(session_id)))?;
        if published && self.generation.get() == refresh.replaces {
            *self.current.borrow_mut() = Some(token);
            self.generation.set(refresh.replaces.wrapping_add(1));
        }
        Ok(Some(self.versioned()))
    }

    fn versioned(&self) -> Versioned {
        (self.current.borrow().clone(), self.generation.get())
    }

    /// The refresh in flight for generation `failed`, or a new `getToken()` call; counted
    /// as one more waiter.
    fn join(&self, source: &Function, failed: u32) -> Rc<Refresh> {
        let mut slot = self.inflight.borrow_mut();
        let refresh = match slot.as_ref().filter(|r| r.replaces == failed) {
            Some(r) => r.clone(),
            None => {
                // The token of the generation that failed is the one the service refused.
                let refused = (self.generation.get() == failed)
                    .then(|| self.current())
                    .flatten();
                let r = Rc::new(Refresh {
                    promise: js::call_token(source, refused),
                    replaces: failed,
                    waiters: Cell::new(0),
                });
                *slot = Some(r.clone());
                r
            }
        };
        refresh.waiters.set(refresh.waiters.get() + 1);
        refresh
    }

    /// Forgets `refresh` if it is still the one in flight; true when it was.
    fn forget(&self, refresh: &Rc<Refresh>) -> bool {
        let mut slot = self.inflight.borrow_mut();
        let mine = slot.as_ref().is_some_and(|r| Rc::ptr_eq(r, refresh));
        if mine {
            *slot = None;
        }
        mine
    }
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

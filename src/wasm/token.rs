//! The token source of a client: a static `token`, a `getToken` callback (sync or
//! async), or neither (no `Authorization` header: for a backend proxy that adds it).
//!
//! Rules:
//! - without a static token, `getToken` is asked before the first request;
//! - after a 401, `getToken` is asked again and the request repeated (the poller
//!   allows this once in a row);
//! - concurrent requests that need a fresh token together share ONE `getToken` call:
//!   a refresh is keyed by the generation of the token that failed, so a request that
//!   failed with an already-replaced token just uses the new one;
//! - a token must be printable ASCII without spaces; it never appears in an error.

use alloc::string::String;
use core::cell::{Cell, RefCell};

use js_sys::{Function, Object, Promise};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::abort::AbortWatch;
use super::errors;
use crate::proto::{Error, ErrorCode};

/// A token and the generation it belongs to.
pub type Versioned = (Option<String>, u32);

/// See the module docs.
pub struct Tokens {
    current: RefCell<Option<String>>,
    generation: Cell<u32>,
    source: Option<Function>,
    inflight: RefCell<Option<Promise>>,
}

fn check(token: &str) -> Result<(), Error> {
    if !token.is_empty() && token.bytes().all(|b| (0x21..0x7f).contains(&b)) {
        Ok(())
    } else {
        Err(Error::invalid_argument(
            "the token must be a non-empty string of printable ASCII characters without spaces",
        ))
    }
}

impl Tokens {
    /// A token source; the static token is checked here.
    pub fn new(token: Option<String>, source: Option<Function>) -> Result<Tokens, Error> {
        if let Some(t) = &token {
            check(t)?;
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

    /// The token for the next request: the current one, or the first from `getToken`.
    /// `Ok(None)` when the source did not answer within `within_ms` (the call's deadline).
    pub async fn get(
        &self,
        abort: &AbortWatch,
        within_ms: u64,
        session_id: &str,
    ) -> Result<Option<Versioned>, JsValue> {
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
    ) -> Result<Option<Versioned>, JsValue> {
        let Some(source) = &self.source else {
            return Ok(Some((self.current.borrow().clone(), self.generation.get())));
        };
        if self.generation.get() != failed {
            return Ok(Some((self.current.borrow().clone(), self.generation.get())));
        }
        let existing = self.inflight.borrow().clone();
        let promise = match existing {
            Some(p) => p,
            None => {
                let p = match source.call0(&JsValue::UNDEFINED) {
                    Ok(v) => Promise::resolve(&v),
                    Err(e) => Promise::reject(&e),
                };
                *self.inflight.borrow_mut() = Some(p.clone());
                p
            }
        };
        // An abort or a deadline leaves the shared call in place for the other requests
        // waiting on it.
        let Some(outcome) = abort
            .race_timeout(&mut JsFuture::from(promise.clone()), within_ms)
            .await?
        else {
            return Ok(None);
        };
        // The first waiter to wake up after the call settled publishes its result.
        let mine = self
            .inflight
            .borrow()
            .as_ref()
            .is_some_and(|p| Object::is(p, &promise));
        if mine {
            *self.inflight.borrow_mut() = None;
        }
        let value = outcome.map_err(|thrown| source_failed(&thrown, session_id))?;
        let token = value
            .as_string()
            .ok_or_else(|| {
                Error::invalid_argument("getToken() must return (or resolve to) a string")
            })
            .and_then(|t| check(&t).map(|_| t))
            .map_err(|e| errors::without_body(&e, Some(session_id)))?;
        if mine {
            *self.current.borrow_mut() = Some(token);
            self.generation.set(failed.wrapping_add(1));
        }
        Ok(Some((self.current.borrow().clone(), self.generation.get())))
    }
}

fn source_failed(thrown: &JsValue, session_id: &str) -> JsValue {
    let mut m = String::from("getToken() failed");
    let why = super::js::describe(thrown);
    if !why.is_empty() {
        m.push_str(": ");
        m.push_str(&why);
    }
    errors::plain(ErrorCode::Unauthorized, &m, Some(session_id))
}

//! A client's token and its refreshes, single-flight: the rules of `wasm/token.rs`'s
//! `getToken` calls, decided here and performed there.
//!
//! - Without a static token, the source is asked before the first request.
//! - After a refusal (a 401, or a 403 that refuses the token), a fresh token is asked for,
//!   the source told which token was refused; requests that need one together share ONE
//!   call: a refresh is keyed by the generation of the token that failed, so a request that
//!   failed with an already-replaced token just uses the new one.
//! - A refresh lives only as long as someone waits for it: when it settles its token is
//!   published (once, and only if no newer token came meanwhile) and it is forgotten; when
//!   every waiter has left (aborted, or its deadline passed) it is forgotten too, so that a
//!   source that hung once, or a token nobody took, is never reused.

use alloc::string::String;

/// A token (none: no `Authorization` header) and the generation it belongs to.
pub type Versioned = (Option<String>, u32);

/// What a request that needs a token does next (`H`: the IO layer's handle of a refresh
/// in flight, e.g. the promise of its `getToken()` call).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenStep<H> {
    /// Carry this token.
    Use(Versioned),
    /// Wait for refresh `n` (its handle), already asked for by another request.
    Wait(u32, H),
    /// Ask the source (refresh `n`), telling it the token it `refused`; hand the call's
    /// handle to [`TokenState::started`]; then wait for it.
    Ask {
        /// The refresh's number.
        refresh: u32,
        /// The token the service refused (the source may drop it from a cache).
        refused: Option<String>,
    },
}

/// The refresh in flight.
#[derive(Clone, Debug)]
struct InFlight<H> {
    id: u32,
    /// The generation of the token it replaces.
    replaces: u32,
    waiters: u32,
    /// The IO layer's handle (set by [`TokenState::started`]).
    handle: Option<H>,
}

/// A client's token, its generation and its refresh in flight (with the IO layer's handle
/// of it, `H`).
///
/// ```
/// use eka_voice::proto::{TokenState, TokenStep};
/// let mut t = TokenState::new(None, true);
/// // Two requests need the first token: one call of the source for both.
/// let TokenStep::Ask { refresh, refused: None } = t.first() else { panic!() };
/// t.started(refresh, "the call");
/// assert_eq!(t.first(), TokenStep::Wait(refresh, "the call"));
/// assert_eq!(t.settled(refresh, Some("tok-1".into())), (Some("tok-1".into()), 1));
/// // A request refused with generation 0's token just uses the new one.
/// assert_eq!(t.replace(0), TokenStep::Use((Some("tok-1".into()), 1)));
/// ```
#[derive(Clone, Debug)]
pub struct TokenState<H> {
    current: Option<String>,
    generation: u32,
    has_source: bool,
    inflight: Option<InFlight<H>>,
    next_id: u32,
}

impl<H: Clone> TokenState<H> {
    /// A static `token` (or none), and whether there is a source to ask (`getToken`).
    pub fn new(token: Option<String>, has_source: bool) -> TokenState<H> {
        TokenState {
            current: token,
            generation: 0,
            has_source,
            inflight: None,
            next_id: 0,
        }
    }

    /// The token the next request carries.
    pub fn current(&self) -> Option<&str> {
        self.current.as_deref()
    }

    /// The token and its generation.
    pub fn versioned(&self) -> Versioned {
        (self.current.clone(), self.generation)
    }

    /// The token for a request about to start: the current one, or (none yet, a source to
    /// ask) the first from the source.
    pub fn first(&mut self) -> TokenStep<H> {
        match self.current.is_some() || !self.has_source {
            true => TokenStep::Use(self.versioned()),
            false => self.replace(self.generation),
        }
    }

    /// A fresh token instead of the one of generation `failed`: the newer one when it was
    /// already replaced, the refresh in flight for it, or a new one.
    pub fn replace(&mut self, failed: u32) -> TokenStep<H> {
        if !self.has_source || self.generation != failed {
            return TokenStep::Use(self.versioned());
        }
        if let Some(r) = self.inflight.as_mut().filter(|r| r.replaces == failed) {
            if let Some(handle) = r.handle.clone() {
                r.waiters += 1;
                return TokenStep::Wait(r.id, handle);
            }
        }
        let id = self.next_id;
        self.next_id = id.wrapping_add(1);
        self.inflight = Some(InFlight {
            id,
            replaces: failed,
            waiters: 1,
            handle: None,
        });
        TokenStep::Ask {
            refresh: id,
            refused: self.current.clone(),
        }
    }

    /// Refresh `id` settled (each of its waiters says so): the first to say publishes its
    /// `token` (`None`: the source failed, or gave no token) unless a newer token came
    /// meanwhile, and the refresh is forgotten. Answers the token to carry now.
    pub fn settled(&mut self, id: u32, token: Option<String>) -> Versioned {
        if let Some(r) = self.inflight.take_if(|r| r.id == id) {
            if let (Some(t), true) = (token, self.generation == r.replaces) {
                self.current = Some(t);
                self.generation = r.replaces.wrapping_add(1);
            }
        }
        self.versioned()
    }

    /// A waiter of refresh `id` left before it settled; the last one to leave forgets it.
    pub fn left(&mut self, id: u32) {
        if let Some(r) = self.inflight.as_mut().filter(|r| r.id == id) {
            r.waiters = r.waiters.saturating_sub(1);
            if r.waiters == 0 {
                self.inflight = None;
            }
        }
    }

    /// The IO layer asked the source for refresh `id`: `handle` is what later waiters wait
    /// for (dropped with the refresh).
    pub fn started(&mut self, id: u32, handle: H) {
        if let Some(r) = self.inflight.as_mut().filter(|r| r.id == id) {
            r.handle = Some(handle);
        }
    }

    /// The refresh in flight, if any.
    pub fn in_flight(&self) -> Option<u32> {
        self.inflight.as_ref().map(|r| r.id)
    }
}

//! (Feature `server`.) A client's request budget in the request path: every request of the
//! client waits for a token of the core's [`RequestBudget`], and a 429's `Retry-After`
//! pauses the whole client. Set by `pollMany({ maxRequestsPerSecond })` through
//! `setRequestBudget`; a client without one sends as before.

use core::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::abort::AbortWatch;
use super::api::VoiceClient;
use super::client::Client;
use super::errors::Failure;
use super::fetch::Exchange;
use crate::proto::{parse_retry_after, RequestBudget};

/// The budget slot of a client (none until `setRequestBudget`).
pub type BudgetSlot = RefCell<Option<RequestBudget>>;

impl Client {
    /// Waits until the budget lets a request start; `expired` when that would be past the
    /// call's deadline (`within` ms from now).
    pub(crate) async fn take_budget(
        &self,
        abort: &AbortWatch,
        within: u64,
        expired: impl Fn() -> Failure,
    ) -> Result<(), Failure> {
        loop {
            let wait = match self.budget().borrow_mut().as_mut() {
                Some(b) => b.take(js_sys::Date::now() as u64),
                None => 0,
            };
            if wait == 0 {
                return Ok(());
            }
            if wait >= within {
                return Err(expired());
            }
            abort.sleep(wait).await?;
        }
    }

    /// A 429 with `Retry-After` pauses every request of the client, not this one only.
    pub(crate) fn note_answer(&self, exchanged: &Exchange) {
        let Exchange::Answer(a) = exchanged else {
            return;
        };
        let now = js_sys::Date::now() as u64;
        let pause = a
            .retry_after
            .as_deref()
            .and_then(|v| parse_retry_after(v, now));
        if let (429, Some(ms), Some(b)) = (a.status, pause, self.budget().borrow_mut().as_mut()) {
            b.pause_until(now.saturating_add(ms));
        }
    }
}

#[wasm_bindgen]
impl VoiceClient {
    /// `client.setRequestBudget(perSecond)`: from now on all requests of this client share
    /// a budget of `perSecond` requests a second (0: no budget).
    #[wasm_bindgen(js_name = setRequestBudget)]
    pub fn set_request_budget(&self, per_second: u32) {
        let budget = (per_second > 0).then(|| RequestBudget::new(per_second));
        *self.client_ref().budget().borrow_mut() = budget;
    }
}

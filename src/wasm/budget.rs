//! (Feature `server`.) A client's request budget in the request path: every request of the
//! client waits for a token of the core's [`RequestBudget`], and a 429's `Retry-After`
//! pauses the whole client. Set by `pollMany({ maxRequestsPerSecond })` through
//! `setRequestBudget` (server.rs); a client without one sends as before.

use super::abort::AbortWatch;
use super::client::{now, Client};
use super::errors::Failure;
use super::fetch::Exchange;

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
                Some(b) => b.take(now()),
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

    /// Tells the budget of each answer (the core's rule: a 429's `Retry-After` pauses the
    /// whole client).
    pub(crate) fn note_answer(&self, exchanged: &Exchange) {
        if let (Exchange::Answer(a), Some(b)) = (exchanged, self.budget().borrow_mut().as_mut()) {
            b.on_answer(now(), a.status, a.retry_after.as_deref());
        }
    }
}

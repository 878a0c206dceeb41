//! The request budget of one client (`pollMany`'s `maxRequestsPerSecond`): every request of
//! the client takes a token from one bucket, and a 429's `Retry-After` pauses the whole
//! client, not the one poll that got it. Sans-IO: the clock comes in, a wait goes out.
//!
//! The bucket holds at most one second of requests (`burst = rate`), so that no window of
//! one second ever sees more than `rate` requests beyond the first burst, and starts full.

/// A token bucket shared by all requests of a client, with a client-wide pause.
///
/// ```
/// use eka_voice::proto::RequestBudget;
/// let mut b = RequestBudget::new(2);
/// assert_eq!((b.take(0), b.take(0)), (0, 0), "a full bucket: two at once");
/// assert_eq!(b.take(0), 500, "then one every 500 ms");
/// assert_eq!(b.take(500), 0);
/// b.pause_until(10_000); // a 429 with Retry-After
/// assert_eq!(b.take(2_000), 8_000);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RequestBudget {
    per_second: u32,
    /// Tokens, in thousandths (integers: no float drift).
    milli_tokens: u64,
    last_ms: u64,
    paused_until_ms: u64,
}

impl RequestBudget {
    /// A budget of `per_second` requests a second (at least 1).
    pub fn new(per_second: u32) -> RequestBudget {
        let per_second = per_second.max(1);
        RequestBudget {
            per_second,
            milli_tokens: u64::from(per_second) * 1000,
            last_ms: 0,
            paused_until_ms: 0,
        }
    }

    /// The budget's rate, requests per second.
    pub fn per_second(&self) -> u32 {
        self.per_second
    }

    /// A request wants to start at `now_ms`: `0` when it may (a token is taken), else how
    /// long to wait before asking again.
    pub fn take(&mut self, now_ms: u64) -> u64 {
        if now_ms < self.paused_until_ms {
            return self.paused_until_ms - now_ms;
        }
        let capacity = u64::from(self.per_second) * 1000;
        let elapsed = now_ms.saturating_sub(self.last_ms);
        // per_second tokens a second = per_second thousandths of a token a millisecond.
        self.milli_tokens =
            (self.milli_tokens + elapsed * u64::from(self.per_second)).min(capacity);
        self.last_ms = self.last_ms.max(now_ms);
        if self.milli_tokens >= 1000 {
            self.milli_tokens -= 1000;
            return 0;
        }
        let missing = 1000 - self.milli_tokens;
        missing.div_ceil(u64::from(self.per_second))
    }

    /// Nobody starts a request before `until_ms` (a 429's `Retry-After`); a later pause
    /// wins over an earlier one.
    pub fn pause_until(&mut self, until_ms: u64) {
        self.paused_until_ms = self.paused_until_ms.max(until_ms);
    }
}

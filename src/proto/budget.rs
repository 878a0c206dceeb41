//! The request budget of one client (`pollMany`'s `maxRequestsPerSecond`): every request of
//! the client waits for its turn, and a 429's `Retry-After` pauses the whole client, not the
//! one poll that got it. Sans-IO: the clock comes in, a wait goes out.
//!
//! Requests are spaced evenly, `1 s / rate` apart, with no burst (a generic cell rate with
//! no tolerance): no window of one second ever holds more than `rate` starts, which is what
//! "at most N requests a second" means to a service that counts them. A batch script loses
//! nothing by it: its polls wait in line.

/// The pacing shared by all requests of a client, with a client-wide pause.
///
/// ```
/// use eka_voice::proto::RequestBudget;
/// let mut b = RequestBudget::new(2);
/// assert_eq!(b.take(0), 0);
/// assert_eq!(b.take(0), 500, "the next one 500 ms later");
/// assert_eq!(b.take(500), 0);
/// b.pause_until(10_000); // a 429 with Retry-After
/// assert_eq!(b.take(2_000), 8_000);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RequestBudget {
    per_second: u32,
    /// The time between two starts, in microseconds.
    interval_us: u64,
    /// The earliest start of the next request, in microseconds.
    next_us: u64,
    paused_until_ms: u64,
}

impl RequestBudget {
    /// A budget of `per_second` requests a second (at least 1).
    pub fn new(per_second: u32) -> RequestBudget {
        let per_second = per_second.max(1);
        RequestBudget {
            per_second,
            interval_us: 1_000_000u64.div_ceil(u64::from(per_second)),
            next_us: 0,
            paused_until_ms: 0,
        }
    }

    /// The budget's rate, requests per second.
    pub fn per_second(&self) -> u32 {
        self.per_second
    }

    /// A request wants to start at `now_ms`: `0` when it may (its turn is taken), else how
    /// long to wait before asking again.
    pub fn take(&mut self, now_ms: u64) -> u64 {
        if now_ms < self.paused_until_ms {
            return self.paused_until_ms - now_ms;
        }
        let now_us = now_ms.saturating_mul(1000);
        if now_us < self.next_us {
            return (self.next_us - now_us).div_ceil(1000);
        }
        self.next_us = now_us.saturating_add(self.interval_us);
        0
    }

    /// Nobody starts a request before `until_ms` (a 429's `Retry-After`); a later pause
    /// wins over an earlier one.
    pub fn pause_until(&mut self, until_ms: u64) {
        self.paused_until_ms = self.paused_until_ms.max(until_ms);
    }

    /// An answer arrived at `now_ms` (its HTTP status, its raw `Retry-After`): a 429 that
    /// says when to come back pauses every request of the client until then, not only the
    /// one that got it. Anything else changes nothing.
    ///
    /// ```
    /// use eka_voice::proto::RequestBudget;
    /// let mut b = RequestBudget::new(10);
    /// b.on_answer(1_000, 429, Some("2"));
    /// assert_eq!(b.take(1_500), 1_500);
    /// b.on_answer(1_500, 503, Some("60"));
    /// assert_eq!(b.take(3_000), 0);
    /// ```
    pub fn on_answer(&mut self, now_ms: u64, status: u16, retry_after: Option<&str>) {
        let pause = retry_after.and_then(|v| super::retry_after::parse_retry_after(v, now_ms));
        if let (429, Some(ms)) = (status, pause) {
            self.pause_until(now_ms.saturating_add(ms));
        }
    }
}

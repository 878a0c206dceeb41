//! Capped exponential backoff with "equal jitter": the n-th retry (0-based) waits a
//! random time in `[cap/2, cap)`, where `cap = min(max_ms, base_ms * 2^n)`. The random
//! number is an INPUT (`rand01` in `[0, 1)`), so tests can replay exact delays; only
//! the IO layer calls `Math.random()`.

/// Backoff parameters.
///
/// ```
/// use eka_voice::proto::Backoff;
/// let b = Backoff::default();
/// assert_eq!(b.delay_ms(0, 0.0), 250);
/// assert_eq!(b.delay_ms(1, 0.0), 500);
/// assert_eq!(b.delay_ms(30, 0.0), 10_000); // capped at max_ms / 2 .. max_ms
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// The cap of the first retry's delay.
    pub base_ms: u64,
    /// The largest cap of any retry's delay.
    pub max_ms: u64,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base_ms: 500,
            max_ms: 20_000,
        }
    }
}

impl Backoff {
    /// The delay before retry number `attempt` (0-based), given `rand01` in `[0, 1)`.
    pub fn delay_ms(&self, attempt: u32, rand01: f64) -> u64 {
        let cap = self
            .base_ms
            .saturating_mul(1u64.checked_shl(attempt.min(63)).unwrap_or(u64::MAX))
            .min(self.max_ms);
        let r = if rand01.is_finite() {
            rand01.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let half = cap / 2;
        half + ((cap - half) as f64 * r) as u64
    }
}

//! The sans-IO protocol core: no web-sys, no clock, no randomness of its own.
//!
//! | module | concern |
//! |---|---|
//! | [`url`](self::url) | base-URL policy, percent-encoded session ids, filters |
//! | [`classify`](self::classify) | the whole answer table, rules at the top |
//! | [`retry_after`](self::retry_after) | `Retry-After` delta-seconds or HTTP-date → ms |
//! | [`backoff`](self::backoff) | capped exponential backoff with jitter (random as input) |
//! | [`poll`](self::poll) | [`Poller`]: `on_*(now, …) -> Action` |
//! | [`error`](self::error) | [`Error`] with a stable [`ErrorCode`] |
//!
//! Everything here runs and is tested on the host with `cargo test`.

pub mod backoff;
pub mod classify;
pub mod error;
pub mod poll;
pub mod retry_after;
pub mod url;

pub use backoff::Backoff;
pub use classify::{classify, expects_session_body, http_error, BodyFacts, SessionStatus, Verdict};
pub use error::{push_decimal, Error, ErrorCode};
pub use poll::{Action, PollConfig, Poller, Transport, MAX_TIMER_MS};
pub use retry_after::{parse_http_date, parse_retry_after, MAX_RETRY_AFTER_MS};
pub use url::{check_session_id, push_encoded, session_url, BaseUrl, Filter, DEFAULT_BASE_URL};

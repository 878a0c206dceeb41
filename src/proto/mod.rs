//! The sans-IO protocol core: no web-sys, no clock, no randomness of its own.
//!
//! | module | concern |
//! |---|---|
//! | [`url`] | base-URL policy, percent-encoded session ids, filters |
//! | [`classify`](mod@classify) | the whole answer table, rules at the top |
//! | [`retry_after`] | `Retry-After` delta-seconds or HTTP-date → ms |
//! | [`backoff`] | capped exponential backoff with jitter (random as input) |
//! | [`poll`] | [`Poller`]: `on_*(now, …) -> Action` |
//! | [`lifecycle`] | Create / upload / End bodies and URLs, the upload ledger |
//! | [`sessions`] | what a client remembers of a session: upload target, ledger (bounded) |
//! | [`transcribe`] | the deadline of `transcribe`, counted from the last chunk |
//! | [`audio`] | audio formats: names, MIME types, sniffing, size limit |
//! | [`error`] | [`Error`] with a stable [`ErrorCode`] |
//!
//! Everything here runs and is tested on the host with `cargo test`.

pub mod audio;
pub mod backoff;
pub mod classify;
pub mod error;
pub mod lifecycle;
pub mod poll;
pub mod retry_after;
pub mod sessions;
pub mod transcribe;
pub mod url;

pub use audio::{
    check_chunk_size, file_name, resolve_format, AudioFormat, MAX_CHUNK_BYTES, SNIFF_BYTES,
};
pub use backoff::Backoff;
pub use classify::{
    classify, classify_answer, expects_session_body, http_error, BodyFacts, Op, SessionStatus,
    Verdict, DEFAULT_MAX_RESPONSE_BYTES, MAX_FIELD_CHARS, MAX_MESSAGE_CHARS, SESSION_BODY_STATUSES,
};
pub use error::{push_decimal, redact, Error, ErrorCode, MIN_SECRET_CHARS, REDACTED};
pub use lifecycle::{
    check_presigned_url, create_url, default_upload_url, end_body, end_url, mime_of,
    presigned_fields, push_json_string, raw_upload_url, CreateSession, Phase, UploadLedger,
    UploadProgress, UploadType, MAX_ADDITIONAL_DATA_BYTES,
};
pub use poll::{Action, PollConfig, Poller, Transport, MAX_TIMER_MS, MIN_INTERVAL_MS};
pub use retry_after::{parse_http_date, parse_retry_after, MAX_RETRY_AFTER_MS};
pub use sessions::{SessionState, Sessions, Target, MAX_SESSIONS};
pub use transcribe::TranscribeDeadline;
pub use url::{
    check_session_id, push_encoded, session_path_url, session_url, BaseUrl, Filter,
    DEFAULT_BASE_URL,
};

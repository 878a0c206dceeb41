//! The one error type of the crate: a stable [`ErrorCode`], the HTTP status when
//! there was one, the service's own error code, and a readable message.
//!
//! Messages are built from the client's own words plus, when the service sent one,
//! the service's message. They never contain a token: nothing in this module ever
//! sees one.

use alloc::string::String;
/// The stable, documented category of a failure. Its [`ErrorCode::as_str`] form is the
/// `code` property of a JS `VoiceApiError`.
///
/// ```
/// use eka_voice::proto::ErrorCode;
/// assert_eq!(ErrorCode::NotFound.as_str(), "not_found");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// 404: no such session (or template / document). Never retried.
    NotFound,
    /// 401: the token is missing, expired or wrong (after one refresh, when possible).
    Unauthorized,
    /// 403: the token is valid but not allowed to do this.
    Forbidden,
    /// Any other 4xx answer.
    BadRequest,
    /// 429 answers, after the retries ran out.
    RateLimited,
    /// 5xx answers, after the retries ran out.
    ServerError,
    /// The request never got an answer (connection failure, request timeout, 408), after
    /// the retries ran out.
    Network,
    /// The answer is not what the API documents: a body that is not JSON, not a session,
    /// an unknown `status` in a final answer, or an unexpected HTTP status.
    InvalidResponse,
    /// The whole operation ran past its `timeoutMs` deadline.
    Timeout,
    /// The caller passed something unusable; no request was sent.
    InvalidArgument,
    /// 409: the session is in the wrong state for this (e.g. `session_already_committed`).
    Conflict,
    /// 410 on a lifecycle call: the session expired.
    Expired,
    /// 413: the audio chunk is too large for the service.
    TooLarge,
    /// `transcribe`: one or more audio chunks could not be uploaded.
    UploadFailed,
    /// A webhook's signature does not match its body under the signing key.
    InvalidSignature,
    /// A webhook's signature is valid but its timestamp is beyond the tolerance.
    StaleSignature,
    /// The token source (`getToken`) could not give a token for a reason that may pass: it
    /// threw a network error, an error whose `status` is 408, 429 or 5xx, or an error that
    /// does not say (see [`token_source_error`](super::token_source_error)), or it gave
    /// something that is not a token (an error page). Retried like a network failure; this
    /// is the error once the retries ran out. (A token source that refuses for good — an
    /// error with another 4xx `status` — is [`ErrorCode::Unauthorized`].)
    TokenUnavailable,
    /// The audio cannot be transcribed: a chunk that is not audio in a supported format
    /// (by its MIME type or its bytes), an empty chunk, a chunk over 10 MiB, or a file the
    /// recorder's `splitRecording` cannot read. Found before a session is created when it
    /// is the first chunk. (A bad `format` option is [`ErrorCode::InvalidArgument`].)
    InvalidAudio,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 18] = [
        ErrorCode::NotFound,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::BadRequest,
        ErrorCode::RateLimited,
        ErrorCode::ServerError,
        ErrorCode::Network,
        ErrorCode::InvalidResponse,
        ErrorCode::Timeout,
        ErrorCode::InvalidArgument,
        ErrorCode::Conflict,
        ErrorCode::Expired,
        ErrorCode::TooLarge,
        ErrorCode::UploadFailed,
        ErrorCode::InvalidSignature,
        ErrorCode::StaleSignature,
        ErrorCode::TokenUnavailable,
        ErrorCode::InvalidAudio,
    ];

    /// The code of a name ([`ErrorCode::as_str`]'s inverse).
    ///
    /// ```
    /// use eka_voice::proto::ErrorCode;
    /// assert_eq!(ErrorCode::parse("stale_signature"), Some(ErrorCode::StaleSignature));
    /// assert_eq!(ErrorCode::parse("nope"), None);
    /// ```
    pub fn parse(name: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The snake_case name used in JS (`error.code`) and in the docs.
    ///
    /// ```
    /// use eka_voice::proto::ErrorCode;
    /// assert_eq!(ErrorCode::RateLimited.as_str(), "rate_limited");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::ServerError => "server_error",
            ErrorCode::Network => "network",
            ErrorCode::InvalidResponse => "invalid_response",
            ErrorCode::Timeout => "timeout",
            ErrorCode::InvalidArgument => "invalid_argument",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Expired => "expired",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::UploadFailed => "upload_failed",
            ErrorCode::InvalidSignature => "invalid_signature",
            ErrorCode::StaleSignature => "stale_signature",
            ErrorCode::TokenUnavailable => "token_unavailable",
            ErrorCode::InvalidAudio => "invalid_audio",
        }
    }
}

/// A failure of the client, the network or the service.
///
/// ```
/// use eka_voice::proto::{Error, ErrorCode};
/// let e = Error::invalid_argument("sessionId must not be empty");
/// assert_eq!(e.code, ErrorCode::InvalidArgument);
/// assert_eq!(e.status, None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The stable category.
    pub code: ErrorCode,
    /// The HTTP status of the answer that caused it, when there was an answer.
    pub status: Option<u16>,
    /// The service's own error code (`error.code` of any envelope), when it sent one.
    pub api_code: Option<String>,
    /// A readable message; includes the service's message when the body had one.
    pub message: String,
}

impl Error {
    /// An error with no HTTP status and no service code.
    ///
    /// ```
    /// use eka_voice::proto::{Error, ErrorCode};
    /// assert_eq!(Error::new(ErrorCode::Timeout, "late").message, "late");
    /// ```
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            status: None,
            api_code: None,
            message: message.into(),
        }
    }

    /// An [`ErrorCode::InvalidArgument`] error (a bad call; nothing was sent).
    ///
    /// ```
    /// use eka_voice::proto::{Error, ErrorCode};
    /// assert_eq!(Error::invalid_argument("x").code, ErrorCode::InvalidArgument);
    /// ```
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidArgument, message)
    }
}

impl Error {
    /// The same error, with the HTTP status of the answer it is (or that answers it).
    ///
    /// ```
    /// use eka_voice::proto::Error;
    /// assert_eq!(Error::invalid_argument("bad id").with_status(400).status, Some(400));
    /// ```
    pub fn with_status(mut self, status: u16) -> Error {
        self.status = Some(status);
        self
    }
}

/// What replaces a secret in a message.
pub const REDACTED: &str = "[redacted]";

impl Error {
    /// Removes secrets from the message (see [`redact`]): the bearer `token` the failed
    /// request carried, wherever it appears, and anything in the `Bearer <credentials>`
    /// form. A service that echoes the `Authorization` header in its error message must
    /// not put the token into `error.message` (nor into a stack or a log line).
    ///
    /// ```
    /// use eka_voice::proto::{Error, ErrorCode};
    /// let mut e = Error::new(ErrorCode::Unauthorized, "bad token s3cr3t-t0k3n (Authorization: Bearer s3cr3t-t0k3n)");
    /// e.redact(Some("s3cr3t-t0k3n"));
    /// assert_eq!(e.message, "bad token [redacted] (Authorization: Bearer [redacted])");
    /// ```
    pub fn redact(&mut self, token: Option<&str>) {
        if let Some(clean) = redact(&self.message, token) {
            self.message = clean;
        }
    }
}

/// The shortest `secret` that [`redact`] replaces wherever it appears: a shorter one (no
/// real bearer token is) would mangle every message it occurs in as a word or a letter.
pub const MIN_SECRET_CHARS: usize = 8;

/// `text` without secrets, or `None` when it holds none: every occurrence of `secret`
/// (when it has at least [`MIN_SECRET_CHARS`] bytes) becomes [`REDACTED`], and so do the
/// credentials of every `Bearer <credentials>`, whatever their length (case-insensitive;
/// the credentials run to the next space, quote, comma, semicolon or bracket).
///
/// ```
/// use eka_voice::proto::redact;
/// assert_eq!(redact("token abcdefgh!", Some("abcdefgh")).as_deref(), Some("token [redacted]!"));
/// assert_eq!(redact("a tiny token", Some("t")), None);
/// assert_eq!(redact("auth: bearer x.y.z, ok", None).as_deref(), Some("auth: bearer [redacted], ok"));
/// assert_eq!(redact("nothing here", Some("abc")), None);
/// ```
pub fn redact(text: &str, secret: Option<&str>) -> Option<String> {
    // A byte scan (no substring searcher, no panicking slices: they cost wasm size). Every
    // cut starts and ends at an ASCII byte, so every piece is a whole `str`.
    let b = text.as_bytes();
    let secret = secret
        .map(str::as_bytes)
        .filter(|s| s.len() >= MIN_SECRET_CHARS);
    let mut out = String::new();
    let (mut i, mut copied) = (0, 0);
    while let Some(rest) = b.get(i..).filter(|r| !r.is_empty()) {
        let cut = match secret {
            Some(s) if rest.starts_with(s) => Some((0, s.len())),
            _ => bearer_credentials(rest),
        };
        let Some((from, to)) = cut else {
            i += 1;
            continue;
        };
        out.push_str(text.get(copied..i + from).unwrap_or_default());
        out.push_str(REDACTED);
        i += to;
        copied = i;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    Some(out)
}

/// Whether a byte ends `Bearer` credentials: ASCII white space, a quote, a separator or
/// a bracket.
fn ends_credentials(c: u8) -> bool {
    c.is_ascii_whitespace() || b"\"',;()[]{}<>".contains(&c)
}

/// Where the credentials of a `Bearer <credentials>` at the start of `s` lie (`from..to`
/// in `s`), unless they are already [`REDACTED`].
fn bearer_credentials(s: &[u8]) -> Option<(usize, usize)> {
    if !s.get(..6)?.eq_ignore_ascii_case(b"bearer") {
        return None;
    }
    let from = 6 + s
        .get(6..)?
        .iter()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count();
    let creds = s.get(from..)?;
    let len = creds.iter().take_while(|&&c| !ends_credentials(c)).count();
    (from > 6 && len > 0 && !creds.starts_with(REDACTED.as_bytes())).then_some((from, from + len))
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.code.as_str())?;
        f.write_str(": ")?;
        f.write_str(&self.message)
    }
}

impl core::error::Error for Error {}

/// Writes `n` in decimal to `out` (no `format!`: it keeps the wasm small).
///
/// ```
/// let mut s = String::from("HTTP ");
/// eka_voice::proto::push_decimal(&mut s, 404);
/// assert_eq!(s, "HTTP 404");
/// ```
pub fn push_decimal(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in buf.get(i..).unwrap_or(&[]) {
        out.push(b as char);
    }
}

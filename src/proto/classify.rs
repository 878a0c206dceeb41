//! The answer table: EVERY decision about what an HTTP answer means lives here, for
//! every operation ([`Op`]).
//!
//! Get Session (from the Voice API contract, `get-session.md`):
//!
//! | HTTP | body `status` | verdict |
//! |---|---|---|
//! | 202 | `initialized` / `processing` / `created` | [`Verdict::Pending`] (poll again) |
//! | 202 | anything else, or missing | `Pending` too: the HTTP status is the signal, and the snapshot still reaches `onProgress` |
//! | 202 | not a JSON object | `Fatal(invalid_response)` |
//! | 200 | `completed` / `failed` | [`Verdict::Finished`] (`failed` is a 200 that is a failure: read `status`) |
//! | 206 | `partial` | `Finished` |
//! | 410 | `expired` | `Finished` (a body, not an error envelope) |
//! | 200 / 206 / 410 | another KNOWN terminal status | `Finished` (the body's status wins) |
//! | 200 / 206 | a pending status | `Pending` (an inconsistent server: keep polling) |
//! | 200 / 206 / 410 | unknown status, no status, or not a JSON object | `Fatal(invalid_response)` (the body is kept on the error) |
//!
//! Lifecycle calls (`lifecycle.md`) succeed with [`Verdict::Done`]:
//!
//! | operation | success | else |
//! |---|---|---|
//! | Create Session | 200 / 201 with a JSON object holding a string `session_id` | `Fatal(invalid_response)` |
//! | Upload audio (raw) | 200 / 201 / 204 | — |
//! | Upload audio (presigned storage) | 200 / 201 / 204 (any body) | — |
//! | End Session | 200 / 202 | — |
//!
//! Errors, every operation:
//!
//! | HTTP | verdict |
//! |---|---|
//! | 401 | [`Verdict::Unauthorized`] (refresh the token once, then fatal) |
//! | 403 with the service's code `invalid_token` or `missing_token` (the provider's own server's auth layer) | `Unauthorized` too (code `unauthorized`, status 403, the service's code in `api_code`): a rotated or malformed token is refreshed like an expired one |
//! | 403 | `Fatal(forbidden)` |
//! | 404 to Get Session Audio with the service's code `audio_not_available` | `Transient(not_found)`: the combined recording is prepared after End Session, and the provider's document says to ask again after a short delay |
//! | 404 to an operation whose row says what it means ([`OpRow::none`](super::OpRow::none): Get Sessions, "No sessions found") | [`Verdict::Nothing`]: the call resolves with the row's empty answer |
//! | 404 | `Fatal(not_found)`, never retried |
//! | 408 | [`Verdict::Transient`] (`network`) |
//! | 409 | `Fatal(conflict)` |
//! | 410 (not Get Session) | `Fatal(expired)` |
//! | 413 | `Fatal(too_large)` |
//! | 429 | `Transient(rate_limited)`, `Retry-After` honoured |
//! | 5xx | `Transient(server_error)`, `Retry-After` honoured |
//! | other 4xx (400 `session_ended`, 422, …) | `Fatal(bad_request)`, the service's code in `api_code` |
//! | 3xx, or 0 (a browser's opaque redirect) | `Fatal(invalid_response)`: redirects are never followed (the IO layer sends every request with `redirect: "manual"`), so neither the token nor audio bytes can be forwarded to another origin, and a foreign answer is never taken for the session |
//! | anything else (1xx, other 2xx) | `Fatal(invalid_response)` |
//!
//! Error messages take the service's own message from whichever envelope it used:
//! `{"error": {"code", "message"}}`, `{"status": "failed", "error": {"code", "message",
//! "display_message"}}`, `{"message": "…"}`, `{"error": "…"}`, or FastAPI's (the provider's
//! own server): `{"detail": "…"}` (a snake_case word is also the service's code:
//! `{"detail": "invalid_token"}`) or `{"detail": [{"type", "loc", "msg"}, …]}` (the first
//! entry's `msg` is the message, its `type` the code).

use super::error::{push_decimal, Error, ErrorCode};
use alloc::string::String;

/// The session states the API documents.
///
/// ```
/// use eka_voice::proto::SessionStatus;
/// assert_eq!(SessionStatus::parse("partial"), Some(SessionStatus::Partial));
/// assert_eq!(SessionStatus::parse("paused"), None);
/// assert!(SessionStatus::Failed.is_terminal());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionStatus {
    /// Created, nothing ended yet (Create Session's word on some deployments).
    Created,
    /// Exists, not ended yet (202).
    Initialized,
    /// Ended, work in progress (202).
    Processing,
    /// Finished; transcript and templates present (200).
    Completed,
    /// Finished, some documents failed (206).
    Partial,
    /// Processing failed (200).
    Failed,
    /// Expired before processing started (410).
    Expired,
}

impl SessionStatus {
    /// The status for a wire string, `None` when unknown.
    pub fn parse(s: &str) -> Option<SessionStatus> {
        Some(match s {
            "created" => SessionStatus::Created,
            "initialized" => SessionStatus::Initialized,
            "processing" => SessionStatus::Processing,
            "completed" => SessionStatus::Completed,
            "partial" => SessionStatus::Partial,
            "failed" => SessionStatus::Failed,
            "expired" => SessionStatus::Expired,
            _ => return None,
        })
    }

    /// True for the states that end a poll.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            SessionStatus::Completed
                | SessionStatus::Partial
                | SessionStatus::Failed
                | SessionStatus::Expired
        )
    }
}

/// What the IO layer read from an answer's body: only what a decision or a message needs.
/// The body itself stays with the IO layer and is handed to the caller untouched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BodyFacts {
    /// The body parsed as a JSON object.
    pub object: bool,
    /// The `status` field, when it is a string.
    pub status: Option<String>,
    /// The service's error code: `error.code` when a string, else FastAPI's `detail` when
    /// it is a snake_case word, else `detail[0].type`.
    pub api_code: Option<String>,
    /// The `session_id` field, when it is a string (Create Session's answer must have it).
    pub session_id: Option<String>,
    /// The service's readable message, first found of `error.message`,
    /// `error.display_message`, `message`, `error`, `detail`, `detail[0].msg` (when a
    /// string).
    pub message: Option<String>,
}

/// The paths of the fields [`BodyFacts::read`] looks at, in order of preference.
const MESSAGE_PATHS: [&[&str]; 6] = [
    &["error", "message"],
    &["error", "display_message"],
    &["message"],
    &["error"],
    &["detail"],
    &["detail", "0", "msg"],
];

/// Whether FastAPI's `detail` string is a code (`invalid_token`), not a sentence: 1 to 64
/// lowercase ASCII letters, digits and `_`.
fn is_code_word(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The most characters of `status`, `session_id` and the service's error code that
/// [`BodyFacts::read`] asks for: longer values are cut by the IO layer (a real one is a
/// short word; an enormous one never grows the client's memory).
pub const MAX_FIELD_CHARS: usize = 256;

/// The most characters of the service's message that [`BodyFacts::read`] asks for.
pub const MAX_MESSAGE_CHARS: usize = 1024;

impl BodyFacts {
    /// Reads the facts of a JSON object through `get`, which returns the string at a
    /// path of keys, cut to at most the given number of characters ([`MAX_FIELD_CHARS`],
    /// [`MAX_MESSAGE_CHARS`]), or `None` when absent or not a string. Only what the
    /// answer's HTTP status can need is read (each read crosses into JS): `status` always,
    /// `session_id` for 200/201, the service's error code and message for anything but a
    /// 2xx session.
    ///
    /// ```
    /// use eka_voice::proto::BodyFacts;
    /// let f = BodyFacts::read(404, |path, _max| match path {
    ///     ["error", "code"] => Some("session_not_found".into()),
    ///     ["message"] => Some("gone".into()),
    ///     _ => None,
    /// });
    /// assert_eq!(f.api_code.as_deref(), Some("session_not_found"));
    /// assert_eq!(f.message.as_deref(), Some("gone"));
    /// let pending = BodyFacts::read(202, |path, _| (path == ["status"]).then(|| "processing".into()));
    /// assert_eq!((pending.status.as_deref(), pending.message), (Some("processing"), None));
    /// ```
    pub fn read(http: u16, get: impl Fn(&[&str], usize) -> Option<String>) -> BodyFacts {
        let status = get(&["status"], MAX_FIELD_CHARS);
        let error_facts = !(200..300).contains(&http) || status.is_none();
        BodyFacts {
            object: true,
            session_id: matches!(http, 200 | 201)
                .then(|| get(&["session_id"], MAX_FIELD_CHARS))
                .flatten(),
            api_code: error_facts
                .then(|| {
                    get(&["error", "code"], MAX_FIELD_CHARS)
                        .or_else(|| get(&["detail"], MAX_FIELD_CHARS).filter(|d| is_code_word(d)))
                        .or_else(|| get(&["detail", "0", "type"], MAX_FIELD_CHARS))
                })
                .flatten(),
            message: error_facts
                .then(|| {
                    MESSAGE_PATHS
                        .iter()
                        .find_map(|p| get(p, MAX_MESSAGE_CHARS).filter(|m| !m.trim().is_empty()))
                })
                .flatten(),
            status,
        }
    }
}

pub use super::ops::Op;

/// What an answer means for the operation that asked.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub enum Verdict {
    /// Still processing: the body is a snapshot; poll again.
    Pending,
    /// Finished: the body is the result (completed, partial, failed or expired).
    Finished(SessionStatus),
    /// A lifecycle call succeeded: the body is the result.
    Done,
    /// The answer says there is nothing (a 404 the row gives a meaning): the result is
    /// this JSON text (the row's [`none`](super::OpRow::none)), not the body.
    Nothing(&'static str),
    /// 401: refresh the token once and repeat; else fail with the error.
    Unauthorized(Error),
    /// Worth retrying (with backoff, honouring `Retry-After`).
    Transient(Error),
    /// Not worth retrying.
    Fatal(Error),
}

/// Classifies an answer to any operation; see the module docs for the table.
///
/// ```
/// use eka_voice::proto::{classify_answer, ErrorCode, Op, Verdict};
/// assert_eq!(classify_answer(Op::UploadAudio, 200, None), Verdict::Done);
/// match classify_answer(Op::EndSession, 410, None) {
///     Verdict::Fatal(e) => assert_eq!(e.code, ErrorCode::Expired),
///     other => panic!("{other:?}"),
/// }
/// ```
pub fn classify_answer(op: Op, http: u16, facts: Option<&BodyFacts>) -> Verdict {
    let success = match op {
        Op::GetSession => {
            return classify_get(http, facts).unwrap_or_else(|| classify_error(op, http, facts))
        }
        Op::CreateSession => matches!(http, 200 | 201),
        Op::UploadAudio | Op::PresignedUpload => matches!(http, 200 | 201 | 204),
        Op::EndSession => matches!(http, 200 | 202),
        // The others: any success (their documented 200, 201 or 202).
        _ => matches!(http, 200..=206),
    };
    if !success {
        return classify_error(op, http, facts);
    }
    if op == Op::CreateSession
        && facts
            .and_then(|f| f.session_id.as_deref())
            .is_none_or(str::is_empty)
    {
        return Verdict::Fatal(http_error(
            ErrorCode::InvalidResponse,
            http,
            facts,
            "the answer to Create Session has no `session_id`",
        ));
    }
    Verdict::Done
}

/// The session answers of Get Session (202, 200, 206, 410); `None` for the others.
fn classify_get(http: u16, facts: Option<&BodyFacts>) -> Option<Verdict> {
    let status = facts.and_then(|f| f.status.as_deref());
    Some(match http {
        202 if facts.is_some() => Verdict::Pending,
        202 => Verdict::Fatal(http_error(
            ErrorCode::InvalidResponse,
            http,
            None,
            "the 202 answer is not a session (no JSON object)",
        )),
        200 | 206 | 410 => match status.map(|s| (s, SessionStatus::parse(s))) {
            Some((_, Some(s))) if s.is_terminal() => Verdict::Finished(s),
            Some((_, Some(_))) if http != 410 => Verdict::Pending,
            Some((raw, _)) => {
                let mut m = String::from("unexpected session status \"");
                m.push_str(raw);
                m.push_str("\" in a final answer");
                Verdict::Fatal(http_error(ErrorCode::InvalidResponse, http, facts, &m))
            }
            None => Verdict::Fatal(http_error(
                ErrorCode::InvalidResponse,
                http,
                facts,
                "the answer is not a session (no JSON object with a string `status`)",
            )),
        },
        _ => return None,
    })
}

/// The failures, common to every operation.
fn classify_error(op: Op, http: u16, facts: Option<&BodyFacts>) -> Verdict {
    let e = |code, what| http_error(code, http, facts, what);
    if let (404, Some(answer)) = (http, op.row().none) {
        return Verdict::Nothing(answer);
    }
    match http {
        401 => Verdict::Unauthorized(e(ErrorCode::Unauthorized, "unauthorized")),
        403 if refuses_token(http, facts) => {
            Verdict::Unauthorized(e(ErrorCode::Unauthorized, "token refused"))
        }
        403 => Verdict::Fatal(e(ErrorCode::Forbidden, "forbidden")),
        404 if op == Op::GetSessionAudio && api_code(facts) == Some("audio_not_available") => {
            Verdict::Transient(e(
                ErrorCode::NotFound,
                "the session's audio is not ready yet",
            ))
        }
        404 => Verdict::Fatal(e(ErrorCode::NotFound, "not found")),
        408 => Verdict::Transient(e(ErrorCode::Network, "request timeout")),
        409 => Verdict::Fatal(e(ErrorCode::Conflict, "conflict")),
        410 if op != Op::GetSession => Verdict::Fatal(e(ErrorCode::Expired, "session expired")),
        413 => Verdict::Fatal(e(ErrorCode::TooLarge, "too large")),
        429 => Verdict::Transient(e(ErrorCode::RateLimited, "rate limited")),
        500..=599 => Verdict::Transient(e(ErrorCode::ServerError, "server error")),
        400..=499 => Verdict::Fatal(e(ErrorCode::BadRequest, "bad request")),
        0 | 300..=399 => Verdict::Fatal(e(ErrorCode::InvalidResponse, "redirect not followed")),
        _ => Verdict::Fatal(e(ErrorCode::InvalidResponse, "unexpected HTTP status")),
    }
}

/// Whether an answer refuses the token itself — a 401, or a 403 with the provider's own
/// server's `invalid_token` / `missing_token` (not a call that is not allowed) — so that a
/// fresh token and one retry may help, whatever the operation.
///
/// ```
/// use eka_voice::proto::{refuses_token, BodyFacts};
/// let f = BodyFacts { object: true, api_code: Some("invalid_token".into()), ..Default::default() };
/// assert!(refuses_token(401, None) && refuses_token(403, Some(&f)));
/// assert!(!refuses_token(403, None));
/// ```
#[inline]
pub fn refuses_token(http: u16, facts: Option<&BodyFacts>) -> bool {
    http == 401 || http == 403 && matches!(api_code(facts), Some("invalid_token" | "missing_token"))
}

/// The service's error code of an answer, if it gave one.
fn api_code(facts: Option<&BodyFacts>) -> Option<&str> {
    facts.and_then(|f| f.api_code.as_deref())
}

/// The largest answer body a client reads unless told otherwise (`maxResponseBytes`):
/// 32 MiB, some thirty times the largest session seen. A bigger answer is not read and
/// fails with `invalid_response` (see [`Poller::on_oversized`](super::Poller::on_oversized)).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

/// The HTTP statuses whose answers carry a session body (parsed as JSON directly); other
/// answers carry error bodies, which may not be JSON at all.
pub const SESSION_BODY_STATUSES: &[u16] = &[200, 201, 202, 206, 410];

/// Builds an error for an HTTP answer: `"<what> (HTTP <n>): <service message>"`.
///
/// ```
/// use eka_voice::proto::{http_error, BodyFacts, ErrorCode};
/// let f = BodyFacts { object: true, message: Some("Session not found".into()),
///                     api_code: Some("session_not_found".into()), ..Default::default() };
/// let e = http_error(ErrorCode::NotFound, 404, Some(&f), "not found");
/// assert_eq!(e.message, "not found (HTTP 404): Session not found");
/// assert_eq!(e.api_code.as_deref(), Some("session_not_found"));
/// ```
pub fn http_error(code: ErrorCode, http: u16, facts: Option<&BodyFacts>, what: &str) -> Error {
    let mut message = String::with_capacity(64);
    message.push_str(what);
    message.push_str(" (HTTP ");
    push_decimal(&mut message, u64::from(http));
    message.push(')');
    if let Some(m) = facts.and_then(|f| f.message.as_deref()) {
        message.push_str(": ");
        message.push_str(m);
    }
    Error {
        code,
        status: Some(http),
        api_code: facts.and_then(|f| f.api_code.clone()),
        message,
    }
}

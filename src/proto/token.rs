//! The bearer token's syntax: what may go into `Authorization: Bearer <token>`.

use super::error::{push_decimal, Error, ErrorCode};
use alloc::string::String;

/// Checks a token (a static `token`, or what `getToken()` returned): a non-empty string of
/// printable ASCII without spaces — anything else could not be sent as a header, or would
/// split it.
///
/// ```
/// use eka_voice::proto::check_token;
/// assert!(check_token("eyJhbGciOi.x-y_z").is_ok());
/// assert!(check_token("two words").is_err());
/// assert!(check_token("").is_err());
/// ```
pub fn check_token(token: &str) -> Result<(), Error> {
    if !token.is_empty() && token.bytes().all(|b| (0x21..0x7f).contains(&b)) {
        Ok(())
    } else {
        Err(Error::invalid_argument(
            "the token must be a non-empty string of printable ASCII characters without spaces",
        ))
    }
}

/// What a token source's failure says of itself, read from the value it threw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ThrownFacts<'a> {
    /// Its `status` property, when that is an HTTP status (100–599): e.g. the token
    /// endpoint's, as the README's `getToken` attaches it.
    pub status: Option<u16>,
    /// Its `code` property, when a string (a `VoiceApiError`'s, e.g. `clientCredentials`').
    pub code: Option<&'a str>,
    /// A short description (its message, and its cause's).
    pub description: &'a str,
}

/// The codes of a thrown `VoiceApiError` that say a token source refused for good.
const FINAL_CODES: [ErrorCode; 5] = [
    ErrorCode::Unauthorized,
    ErrorCode::Forbidden,
    ErrorCode::InvalidArgument,
    ErrorCode::BadRequest,
    ErrorCode::NotFound,
];

/// The error of a token source that threw (or rejected).
///
/// It is [`ErrorCode::TokenUnavailable`] — retried like a network failure — unless the
/// thrown value says the refusal is final: a `status` that is a 4xx other than 408 and 429
/// (e.g. the app's backend answered 401: the user is logged out), or the `code` of a final
/// error (`unauthorized`, `forbidden`, `invalid_argument`, `bad_request`, `not_found`: e.g.
/// `clientCredentials` with a wrong secret). Then it is
/// [`ErrorCode::Unauthorized`]. A value that says nothing (a fetch `TypeError`, a plain
/// `Error`) may pass, and is retried. The status is kept on the error.
///
/// ```
/// use eka_voice::proto::{token_source_error, ErrorCode, ThrownFacts};
/// let e = |status, code| token_source_error(&ThrownFacts { status, code, description: "x" }).code;
/// assert_eq!(e(Some(502), None), ErrorCode::TokenUnavailable);
/// assert_eq!(e(Some(401), None), ErrorCode::Unauthorized);
/// assert_eq!(e(None, Some("network")), ErrorCode::TokenUnavailable);
/// assert_eq!(e(None, Some("unauthorized")), ErrorCode::Unauthorized);
/// assert_eq!(e(None, None), ErrorCode::TokenUnavailable);
/// ```
pub fn token_source_error(t: &ThrownFacts<'_>) -> Error {
    let passing = match (t.status, t.code) {
        (Some(s), _) => matches!(s, 408 | 429 | 500..=599),
        (None, Some(code)) => !FINAL_CODES.iter().any(|c| c.as_str() == code),
        _ => true,
    };
    let code = if passing {
        ErrorCode::TokenUnavailable
    } else {
        ErrorCode::Unauthorized
    };
    let mut m = String::from("getToken() failed");
    if !t.description.is_empty() {
        m.push_str(": ");
        m.push_str(t.description);
    }
    let mut e = Error::new(code, m);
    e.status = t.status;
    e
}

/// The error of a token source that gave something that is not a token (`bytes`: the
/// UTF-8 length of the string it gave, when it gave one) — often an error page read as the
/// token: [`ErrorCode::TokenUnavailable`], retried.
///
/// ```
/// let e = eka_voice::proto::not_a_token(Some(1234));
/// assert_eq!(e.code, eka_voice::proto::ErrorCode::TokenUnavailable);
/// assert!(e.message.contains("1234 bytes"));
/// ```
pub fn not_a_token(bytes: Option<usize>) -> Error {
    let mut m = String::from("getToken() gave ");
    match bytes {
        Some(n) => {
            m.push_str("a string of ");
            push_decimal(&mut m, n as u64);
            m.push_str(" bytes that is not a token (printable ASCII without spaces)");
        }
        None => m.push_str("no string"),
    }
    m.push_str(": check the token endpoint's answer (`res.ok`) before reading the token from it");
    Error::new(ErrorCode::TokenUnavailable, m)
}

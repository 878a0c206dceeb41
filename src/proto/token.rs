//! The bearer token's syntax: what may go into `Authorization: Bearer <token>`.

use super::error::Error;

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

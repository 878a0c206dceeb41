//! Discovery (`GET /voice/v1/.well-known/medscribealliance`): how long a client keeps its
//! answer (the answer's own `Cache-Control`), and what a Create Session is checked against
//! while it is kept.
//!
//! Choices, where the provider's document is silent:
//! - `max-age=N` keeps the answer N seconds (at most [`MAX_KEPT_MS`]); `no-store`,
//!   `no-cache`, no header, or one that cannot be read: not kept (every call asks).
//! - A create is checked only against an answer the client already keeps (an app that calls
//!   `getDiscovery` once gets the checks): the check never costs a request, and a Discovery
//!   that cannot be reached never stops a consultation.
//! - What is checked: `model` is one of the answer's `models[].id`, and every `language_hint`
//!   is among the languages of that model (or, with no model, `languages.supported`). A list
//!   the answer does not give checks nothing. Templates cannot be checked from Discovery (it
//!   names only `templates_url`): a wrong template id is the service's 400, as before.

use alloc::string::String;
use alloc::vec::Vec;

use super::error::Error;

/// The longest a Discovery answer is kept (one day), whatever its `max-age` says.
pub const MAX_KEPT_MS: u64 = 24 * 60 * 60 * 1000;

/// How long an answer with this `Cache-Control` header may be kept, in milliseconds (0: not
/// at all).
///
/// ```
/// use eka_voice::proto::discovery::max_age_ms;
/// assert_eq!(max_age_ms(Some("public, max-age=10800")), 10_800_000);
/// assert_eq!(max_age_ms(Some("max-age=60, no-store")), 0);
/// assert_eq!(max_age_ms(Some("max-age=soon")), 0);
/// assert_eq!(max_age_ms(None), 0);
/// ```
pub fn max_age_ms(cache_control: Option<&str>) -> u64 {
    let mut kept = 0;
    for directive in cache_control.unwrap_or("").split(',') {
        let (name, value) = directive.split_once('=').unwrap_or((directive, ""));
        let name = name.trim();
        if name.eq_ignore_ascii_case("no-store") || name.eq_ignore_ascii_case("no-cache") {
            return 0;
        }
        if name.eq_ignore_ascii_case("max-age") && kept == 0 {
            let value = value.trim();
            let digits = value.strip_prefix('"').and_then(|v| v.strip_suffix('"'));
            let digits = digits.unwrap_or(value);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return 0;
            }
            let seconds = digits.bytes().fold(0u64, |n, b| {
                n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
            });
            kept = seconds.saturating_mul(1000);
        }
    }
    kept.min(MAX_KEPT_MS)
}

/// What a Discovery answer offers, as far as a create is checked against it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Offer {
    /// `models[]`: each model's `id` and its `languages` (empty: not given).
    pub models: Vec<(String, Vec<String>)>,
    /// `languages.supported` (empty: not given).
    pub languages: Vec<String>,
}

impl Offer {
    /// Checks a create's `model` and `language_hint` against the offer.
    ///
    /// ```
    /// use eka_voice::proto::discovery::Offer;
    /// let offer = Offer {
    ///     models: vec![("lite".into(), vec!["en".into()]), ("pro".into(), vec!["en".into(), "hi".into()])],
    ///     languages: vec!["en".into(), "hi".into()],
    /// };
    /// assert!(offer.check(Some("pro"), &["hi".into()]).is_ok());
    /// let e = offer.check(Some("lite"), &["hi".into()]).unwrap_err();
    /// assert_eq!(e.message, "`languageHint` \"hi\" is not a language of model \"lite\" (Discovery: en)");
    /// let e = offer.check(Some("turbo"), &[]).unwrap_err();
    /// assert_eq!(e.message, "`model` \"turbo\" is not a model of the service (Discovery: lite, pro)");
    /// ```
    pub fn check(&self, model: Option<&str>, language_hint: &[String]) -> Result<(), Error> {
        let mut languages = &self.languages;
        if let Some(m) = model {
            match self.models.iter().find(|(id, _)| id == m) {
                Some((_, own)) if !own.is_empty() => languages = own,
                Some(_) => {}
                None if self.models.is_empty() => {}
                None => {
                    let mut e = String::from("`model` \"");
                    e.extend(m.chars().take(64));
                    e.push_str("\" is not a model of the service");
                    return Err(offered(e, self.models.iter().map(|(id, _)| id.as_str())));
                }
            }
        }
        if languages.is_empty() {
            return Ok(());
        }
        let Some(l) = language_hint.iter().find(|l| !languages.contains(l)) else {
            return Ok(());
        };
        let mut e = String::from("`languageHint` \"");
        e.extend(l.chars().take(64));
        match model {
            Some(m) => {
                e.push_str("\" is not a language of model \"");
                e.push_str(m);
                e.push('"');
            }
            None => e.push_str("\" is not a language of the service"),
        }
        Err(offered(e, languages.iter().map(String::as_str)))
    }
}

/// `invalid_argument`: `message (Discovery: a, b)`.
fn offered<'a>(mut message: String, offered: impl Iterator<Item = &'a str>) -> Error {
    message.push_str(" (Discovery: ");
    for (i, item) in offered.enumerate() {
        if i > 0 {
            message.push_str(", ");
        }
        message.push_str(item);
    }
    message.push(')');
    Error::invalid_argument(message)
}

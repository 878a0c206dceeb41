//! URL policy: which base URLs are acceptable, and how a session URL is built.
//!
//! Rules:
//! - the base URL must be `https://`, or `http://` when its host is loopback
//!   (`localhost`, `127.0.0.0/8`, `[::1]`), so that a bearer token never travels in
//!   clear text over a network;
//! - it may carry a path prefix (a proxy such as `https://emr.example/eka`) but no
//!   query, fragment or credentials, and no white space, control characters or
//!   backslashes (which URL parsers drop or rewrite);
//! - the session id is percent-encoded as ONE path segment: a `/`, `?`, `#` or `%` in
//!   it never changes the path or the query, and the ids `.` and `..` (dot segments, which
//!   URL parsers resolve away, encoded or not) are refused;
//! - at most one filter is sent: `template_id` or `document_id`, never both;
//! - the bearer token goes to the base URL's origin, and to no other origin except those
//!   the app names as trusted for uploads (`trustedUploadOrigins`: the service's own origin
//!   when the client talks to it through a gateway, whose `upload_url`s name the service's
//!   origin). Each must be an origin alone (`https://host[:port]`, `http://` for loopback
//!   only), with no path.

use super::error::Error;
use alloc::{string::String, string::ToString, vec::Vec};

/// The default base URL of the real service.
pub const DEFAULT_BASE_URL: &str = "https://api.eka.care";

/// A validated base URL, without a trailing slash.
///
/// ```
/// use eka_voice::proto::BaseUrl;
/// let b = BaseUrl::parse("https://api.eka.care/").unwrap();
/// assert_eq!(b.as_str(), "https://api.eka.care");
/// assert_eq!(b.origin(), "https://api.eka.care");
/// assert!(BaseUrl::parse("http://api.eka.care").is_err());
/// assert!(BaseUrl::parse("http://127.0.0.1:8080").is_ok());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl {
    url: String,
    origin_len: usize,
    /// Other origins the token may go to for uploads (`trustedUploadOrigins`), each
    /// followed by a space (no origin holds one).
    upload_origins: String,
}

impl BaseUrl {
    /// Validates `input` against the rules of this module.
    pub fn parse(input: &str) -> Result<BaseUrl, Error> {
        BaseUrl::parse_as(input, "baseUrl ")
    }

    /// Trusts `origins` for uploads besides the base URL's own: a string `upload_url` on
    /// one of them gets the token (see the module docs).
    ///
    /// ```
    /// use eka_voice::proto::BaseUrl;
    /// let b = BaseUrl::parse("https://gateway.example/eka").unwrap()
    ///     .trust_upload_origins(&["https://Scribe.internal.example/".into()]).unwrap();
    /// assert!(b.sends_token_to("https://scribe.internal.example"));
    /// assert!(b.sends_token_to("https://gateway.example"));
    /// assert!(!b.sends_token_to("https://evil.example"));
    /// let path = BaseUrl::default().trust_upload_origins(&["https://a.example/x".into()]);
    /// assert!(path.is_err());
    /// ```
    pub fn trust_upload_origins(mut self, origins: &[String]) -> Result<BaseUrl, Error> {
        for o in origins {
            let u = BaseUrl::parse_as(o, "trustedUploadOrigins: ")?;
            if u.as_str() != u.origin() {
                return Err(Error::invalid_argument(
                    "trustedUploadOrigins: each must be an origin (scheme://host[:port]) without a path",
                ));
            }
            self.upload_origins.push_str(&u.url);
            self.upload_origins.push(' ');
        }
        Ok(self)
    }

    /// Whether the bearer token may go to `origin`: the base URL's, or one trusted for
    /// uploads.
    pub fn sends_token_to(&self, origin: &str) -> bool {
        origin == self.origin() || self.upload_origins.split(' ').any(|o| o == origin)
    }

    fn parse_as(input: &str, what: &str) -> Result<BaseUrl, Error> {
        let bad = |why: &str| {
            let mut m = String::from(what);
            m.push_str(why);
            Error::invalid_argument(m)
        };
        let input = input.trim();
        // No panicking slices and no substring searchers here: they cost wasm size.
        let (scheme, rest) = input
            .find(':')
            .and_then(|i| input.split_at_checked(i))
            .and_then(|(scheme, rest)| Some((scheme, rest.strip_prefix("://")?)))
            .ok_or_else(|| bad("must start with https:// (or http:// for a loopback host)"))?;
        let secure = if scheme.eq_ignore_ascii_case("https") {
            true
        } else if scheme.eq_ignore_ascii_case("http") {
            false
        } else {
            return Err(bad(
                "must start with https:// (or http:// for a loopback host)",
            ));
        };
        if rest.contains(['?', '#']) {
            return Err(bad("must not have a query or a fragment"));
        }
        // What a URL parser would drop or rewrite (white space, controls, a backslash read
        // as a slash) would make the URL used differ from the one checked.
        if rest.bytes().any(|b| b <= b' ' || b == 0x7f || b == b'\\') {
            return Err(bad(
                "must not contain spaces, control characters or backslashes",
            ));
        }
        let (authority, path) = rest
            .split_at_checked(rest.find('/').unwrap_or(rest.len()))
            .unwrap_or((rest, ""));
        if authority.contains('@') {
            return Err(bad("must not carry credentials"));
        }
        let host = host_of(authority).ok_or_else(|| bad("has no valid host"))?;
        if !secure && !is_loopback(host) {
            return Err(bad("must use https:// unless its host is loopback"));
        }
        let path = path.trim_end_matches('/');
        let scheme = if secure { "https://" } else { "http://" };
        let mut url = String::with_capacity(scheme.len() + rest.len());
        url.push_str(scheme);
        url.push_str(&authority.to_ascii_lowercase());
        let origin_len = url.len();
        url.push_str(path);
        Ok(BaseUrl {
            url,
            origin_len,
            upload_origins: String::new(),
        })
    }

    /// The whole base URL, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// `scheme://host[:port]`: the only origin the bearer token is ever sent to.
    pub fn origin(&self) -> &str {
        self.url.get(..self.origin_len).unwrap_or(&self.url)
    }
}

impl Default for BaseUrl {
    fn default() -> Self {
        BaseUrl {
            url: DEFAULT_BASE_URL.to_string(),
            origin_len: DEFAULT_BASE_URL.len(),
            upload_origins: String::new(),
        }
    }
}

/// The host of an authority (`host[:port]` or `[v6][:port]`), when it is well formed.
fn host_of(authority: &str) -> Option<&str> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        v6.split_once(']')?
    } else {
        let i = authority.find(':').unwrap_or(authority.len());
        authority.split_at_checked(i)?
    };
    let port_ok = match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => {
            !digits.is_empty() && digits.len() <= 5 && digits.bytes().all(|b| b.is_ascii_digit())
        }
    };
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b':' | b'_'));
    (port_ok && host_ok).then_some(host)
}

/// `localhost`, `127.0.0.0/8` or `::1`.
fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host == "::1" {
        return true;
    }
    let mut parts = host.split('.');
    let first = parts.next();
    let rest: Vec<&str> = parts.collect();
    first == Some("127")
        && rest.len() == 3
        && rest
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

/// Which documents a Get Session answer should be restricted to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter<'a> {
    /// All documents.
    None,
    /// `?template_id=` — the documents of one template.
    Template(&'a str),
    /// `?document_id=` — one document.
    Document(&'a str),
}

impl<'a> Filter<'a> {
    /// Builds the filter from the two optional caller options; both given is an error,
    /// and so is an empty one.
    ///
    /// ```
    /// use eka_voice::proto::Filter;
    /// assert_eq!(Filter::from_options(Some("t"), None).unwrap(), Filter::Template("t"));
    /// assert!(Filter::from_options(Some("t"), Some("d")).is_err());
    /// ```
    pub fn from_options(
        template_id: Option<&'a str>,
        document_id: Option<&'a str>,
    ) -> Result<Self, Error> {
        match (template_id, document_id) {
            (Some(_), Some(_)) => Err(Error::invalid_argument(
                "templateId and documentId cannot both be given",
            )),
            (Some(""), _) => Err(Error::invalid_argument("templateId must not be empty")),
            (_, Some("")) => Err(Error::invalid_argument("documentId must not be empty")),
            (Some(t), None) => Ok(Filter::Template(t)),
            (None, Some(d)) => Ok(Filter::Document(d)),
            (None, None) => Ok(Filter::None),
        }
    }
}

/// Checks a session id given by a caller: a non-blank string that is not `.` or `..`.
///
/// The id is percent-encoded as one path segment, but `.` and `..` are unreserved
/// characters: `sessions/..` would be resolved by every URL parser (and so would
/// `%2E%2E`) to the parent path, sending the request — with the bearer token — to another
/// endpoint. Such ids are refused before anything is sent.
///
/// ```
/// assert!(eka_voice::proto::check_session_id(" ").is_err());
/// assert!(eka_voice::proto::check_session_id("..").is_err());
/// assert!(eka_voice::proto::check_session_id("ses_1").is_ok());
/// assert!(eka_voice::proto::check_session_id("...").is_ok());
/// ```
pub fn check_session_id(id: &str) -> Result<(), Error> {
    if id.trim().is_empty() {
        Err(Error::invalid_argument(
            "sessionId must be a non-empty string",
        ))
    } else if id == "." || id == ".." {
        Err(Error::invalid_argument("sessionId must not be `.` or `..`"))
    } else {
        Ok(())
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters (UTF-8 bytes).
///
/// ```
/// let mut s = String::new();
/// eka_voice::proto::push_encoded(&mut s, "a b/ü~");
/// assert_eq!(s, "a%20b%2F%C3%BC~");
/// ```
pub fn push_encoded(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

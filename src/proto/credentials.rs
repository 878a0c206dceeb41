//! Tokens from client credentials (lifecycle §0; servers only): the login and refresh
//! requests, when to use, refresh or log in again, and what the auth endpoints' answers
//! mean. Sans-IO: the clock and the answers come in, the next step goes out.
//!
//! Rules (decisions where the spec is silent, written down here):
//! - a token is used until 80 % of its lifetime ([`REFRESH_AT_PERCENT`]), then refreshed
//!   through the refresh endpoint while the refresh token lives; without one, or once a
//!   refresh was refused, the client logs in again;
//! - a refresh refused by the service (400/401/403) drops the tokens: the next step is a
//!   login (once per call: a login refused after that is the error);
//! - a token the API refused (the client's `getToken({ refused })` after a 401/403: it
//!   expired early, the service revoked it, the clock jumped) is never handed out again when
//!   it is the cached one: the next step is a refresh (while the refresh token lives; a
//!   refused refresh then logs in) or a login ([`Credentials::on_refused`]);
//! - an `expires_in` that is not positive counts as [`MIN_LIFETIME_S`]: the token is used
//!   (until refused) instead of a login on every call;
//! - the login and the refresh are rows of the operation table (`Op::Login`,
//!   `Op::RefreshToken`), performed by the client's one driver: a transient failure
//!   (network, 408, 429, 5xx) is retried with backoff and `Retry-After`, each request cut
//!   after [`AUTH_REQUEST_TIMEOUT_MS`], the whole within [`AUTH_TIMEOUT_MS`] (then
//!   `timeout`); an answer over [`MAX_AUTH_ANSWER_BYTES`] is `invalid_response`, unread;
//! - the auth endpoints' errors (`{code, error}` bodies, or the gateway envelopes) become
//!   [`ErrorCode::Unauthorized`] (401/403, a refused login: wrong credentials) or the codes
//!   of the answer table for other statuses, `apiCode` the service's `code`;
//! - the client secret is never in an error, a message or `Debug` output.

use alloc::string::String;
use core::fmt;

use super::classify::{http_error, BodyFacts, Op};
use super::error::{Error, ErrorCode};
use super::json::JsonObject;
use super::ops::{LOGIN_PATH, REFRESH_PATH};
use super::url::BaseUrl;

/// A token is refreshed once this share of its lifetime has passed.
pub const REFRESH_AT_PERCENT: u64 = 80;

/// The lifetime, in seconds, of a token whose `expires_in` is not positive.
pub const MIN_LIFETIME_S: f64 = 60.0;

/// The longest a login or a refresh may take, retries included (then `timeout`).
pub const AUTH_TIMEOUT_MS: u64 = 30_000;

/// The longest one auth request may take before it is cut and retried (`network`).
pub const AUTH_REQUEST_TIMEOUT_MS: u64 = 10_000;

/// The largest auth answer read, in bytes (a token answer is a few hundred).
pub const MAX_AUTH_ANSWER_BYTES: u32 = 64 * 1024;

/// What the auth endpoints answered: the fields of the body, read by the IO layer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuthAnswer {
    /// `access_token`.
    pub access_token: Option<String>,
    /// `expires_in`, seconds.
    pub expires_in: Option<f64>,
    /// `refresh_token`.
    pub refresh_token: Option<String>,
    /// `refresh_expires_in`, seconds.
    pub refresh_expires_in: Option<f64>,
    /// The service's `code` (or `error.code`) of an error body.
    pub code: Option<String>,
    /// The service's `error` (or `message`) of an error body.
    pub message: Option<String>,
}

impl AuthAnswer {
    /// Reads an auth answer's fields through `string(path)` (the string at a path of keys,
    /// cut to `MAX_FIELD_CHARS`… by the IO layer; `None` when absent or not a string) and
    /// `number(key)` (a finite number at a top-level key): the tokens and their lifetimes,
    /// and an error body's code (`code`, `error.code`) and message (`error`,
    /// `error.message`, `message`).
    ///
    /// ```
    /// use eka_voice::proto::AuthAnswer;
    /// let a = AuthAnswer::read(
    ///     |p| match p { ["code"] => Some("invalid_credentials".into()), ["error"] => Some("no".into()), _ => None },
    ///     |_| None,
    /// );
    /// assert_eq!((a.code.as_deref(), a.message.as_deref()), (Some("invalid_credentials"), Some("no")));
    /// ```
    pub fn read(
        string: impl Fn(&[&str]) -> Option<String>,
        number: impl Fn(&str) -> Option<f64>,
    ) -> AuthAnswer {
        AuthAnswer {
            access_token: string(&["access_token"]),
            expires_in: number("expires_in"),
            refresh_token: string(&["refresh_token"]),
            refresh_expires_in: number("refresh_expires_in"),
            code: string(&["code"]).or_else(|| string(&["error", "code"])),
            message: string(&["error"])
                .or_else(|| string(&["error", "message"]))
                .or_else(|| string(&["message"])),
        }
    }
}

/// The next step of a `getToken` call.
#[derive(Clone, PartialEq)]
pub enum CredentialStep {
    /// The token is good: hand it out.
    Use(String),
    /// `POST {url}` with the JSON `body` (no Authorization).
    Login {
        /// The login URL.
        url: String,
        /// `{"client_id","client_secret"}`.
        body: String,
    },
    /// `POST {url}` with `Authorization: Bearer {access_token}`, `Client-Id: {client_id}`
    /// and the JSON `body`.
    Refresh {
        /// The refresh URL.
        url: String,
        /// The access token being refreshed (its Authorization header).
        access_token: String,
        /// The `Client-Id` header.
        client_id: String,
        /// `{"refresh_token","access_token"}`.
        body: String,
    },
}

impl fmt::Debug for CredentialStep {
    /// Names the step only: the bodies and tokens are secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CredentialStep::Use(_) => "Use(..)",
            CredentialStep::Login { .. } => "Login { .. }",
            CredentialStep::Refresh { .. } => "Refresh { .. }",
        })
    }
}

#[derive(Clone)]
struct Tokens {
    access: String,
    refresh: Option<String>,
    /// When to refresh (80 % of the access token's lifetime).
    refresh_at_ms: u64,
    /// When the refresh token stops working (0: none).
    refresh_until_ms: u64,
}

/// The client-credentials machine of one `getToken`.
///
/// ```
/// use eka_voice::proto::{AuthAnswer, BaseUrl, CredentialStep, Credentials};
/// let mut c = Credentials::new(BaseUrl::parse("http://127.0.0.1:8787").unwrap(), "id", "secret").unwrap();
/// assert!(matches!(c.next(0), CredentialStep::Login { .. }));
/// let answer = AuthAnswer { access_token: Some("at".into()), expires_in: Some(100.0), ..Default::default() };
/// assert_eq!(c.on_login(0, 200, &answer).unwrap(), "at");
/// assert_eq!(c.next(79_000), CredentialStep::Use("at".into()));
/// assert!(matches!(c.next(80_000), CredentialStep::Login { .. }), "no refresh token: log in again");
/// assert!(!format!("{c:?}").contains("secret"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    base: BaseUrl,
    client_id: String,
    client_secret: String,
    tokens: Option<Tokens>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("base", &self.base.as_str())
            .field("client_id", &self.client_id)
            .field("has_tokens", &self.tokens.is_some())
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// A machine for these credentials (both non-empty, else `invalid_argument`).
    pub fn new(base: BaseUrl, client_id: &str, client_secret: &str) -> Result<Credentials, Error> {
        if client_id.is_empty() || client_secret.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                String::from("clientCredentials needs a clientId and a clientSecret"),
            ));
        }
        Ok(Credentials {
            base,
            client_id: String::from(client_id),
            client_secret: String::from(client_secret),
            tokens: None,
        })
    }

    /// What to do now to hand out a token.
    pub fn next(&self, now_ms: u64) -> CredentialStep {
        match &self.tokens {
            Some(t) if now_ms < t.refresh_at_ms => CredentialStep::Use(t.access.clone()),
            Some(Tokens {
                access,
                refresh: Some(refresh),
                refresh_until_ms,
                ..
            }) if now_ms < *refresh_until_ms => {
                let mut body = JsonObject::new();
                body.string("refresh_token", refresh);
                body.string("access_token", access);
                CredentialStep::Refresh {
                    url: self.url(REFRESH_PATH),
                    access_token: access.clone(),
                    client_id: self.client_id.clone(),
                    body: body.finish(),
                }
            }
            _ => {
                let mut body = JsonObject::new();
                body.string("client_id", &self.client_id);
                body.string("client_secret", &self.client_secret);
                CredentialStep::Login {
                    url: self.url(LOGIN_PATH),
                    body: body.finish(),
                }
            }
        }
    }

    /// The API refused `token` (`getToken({ refused })`): when it is the cached one, it is
    /// not handed out again — the next step refreshes it, or logs in.
    ///
    /// ```
    /// use eka_voice::proto::{AuthAnswer, BaseUrl, CredentialStep, Credentials};
    /// let mut c = Credentials::new(BaseUrl::default(), "id", "secret").unwrap();
    /// let a = AuthAnswer { access_token: Some("at".into()), expires_in: Some(1800.0), ..Default::default() };
    /// c.on_login(0, 200, &a).unwrap();
    /// c.on_refused("another");
    /// assert_eq!(c.next(1), CredentialStep::Use("at".into()));
    /// c.on_refused("at");
    /// assert!(matches!(c.next(1), CredentialStep::Login { .. }), "no refresh token: a login");
    /// ```
    pub fn on_refused(&mut self, token: &str) {
        if let Some(t) = self.tokens.as_mut().filter(|t| t.access == token) {
            t.refresh_at_ms = 0;
        }
    }

    /// The login answered `status`: the token, or the error (wrong credentials:
    /// `unauthorized`).
    pub fn on_login(&mut self, now_ms: u64, status: u16, a: &AuthAnswer) -> Result<String, Error> {
        self.take(now_ms, status, a, "the login")
    }

    /// The refresh answered `status`: the token; `Ok(None)` when the service refused the
    /// refresh (the tokens are dropped: [`Credentials::next`] logs in again); or the error.
    pub fn on_refresh(
        &mut self,
        now_ms: u64,
        status: u16,
        a: &AuthAnswer,
    ) -> Result<Option<String>, Error> {
        if matches!(status, 400 | 401 | 403) {
            self.tokens = None;
            return Ok(None);
        }
        self.take(now_ms, status, a, "the token refresh").map(Some)
    }

    fn take(
        &mut self,
        now_ms: u64,
        status: u16,
        a: &AuthAnswer,
        what: &str,
    ) -> Result<String, Error> {
        if !(200..300).contains(&status) {
            let mut e = auth_error(status, a, what);
            // A service that echoes what it was sent never puts the secret in an error.
            e.redact(Some(&self.client_secret));
            if let Some(t) = &self.tokens {
                e.redact(Some(&t.access));
            }
            return Err(e);
        }
        let (Some(access), Some(expires_in)) = (a.access_token.clone(), a.expires_in) else {
            let mut m = String::from(what);
            m.push_str(" answered without access_token and expires_in");
            return Err(Error::new(ErrorCode::InvalidResponse, m));
        };
        let lifetime_s = if expires_in > 0.0 {
            expires_in
        } else {
            MIN_LIFETIME_S
        };
        let lifetime_ms = (lifetime_s * 1000.0) as u64;
        self.tokens = Some(Tokens {
            access: access.clone(),
            refresh: a.refresh_token.clone(),
            refresh_at_ms: now_ms.saturating_add(lifetime_ms / 100 * REFRESH_AT_PERCENT),
            refresh_until_ms: a
                .refresh_expires_in
                .map_or(0, |s| now_ms.saturating_add((s.max(0.0) * 1000.0) as u64)),
        });
        Ok(access)
    }

    fn url(&self, path: &str) -> String {
        let mut u = String::from(self.base.as_str());
        u.push_str(path);
        u
    }
}

/// An auth endpoint's error answer: 401/403 are `unauthorized` (the credentials), other
/// statuses as the answer table says; `apiCode` is the service's `code`.
fn auth_error(status: u16, a: &AuthAnswer, what: &str) -> Error {
    let facts = BodyFacts {
        object: true,
        api_code: a.code.clone(),
        message: a.message.clone(),
        ..Default::default()
    };
    let mut e = http_error(ErrorCode::Unauthorized, status, Some(&facts), what);
    if !matches!(status, 401 | 403) {
        if let super::classify::Verdict::Fatal(f) | super::classify::Verdict::Transient(f) =
            super::classify::classify_answer(Op::CreateSession, status, Some(&facts))
        {
            e.code = f.code;
        }
    }
    e
}

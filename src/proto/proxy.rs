//! The rules of the browser proxy (`voiceProxy` in `eka-voice/server`): a backend route that
//! forwards a page's voice-session requests to the Voice API with the BACKEND's token, so
//! that the page never holds a provider credential.
//!
//! - Only what a recording page needs is forwarded ([`proxy_route`]): Create Session
//!   (`POST /voice/v1/sessions[?version=v2]`), Upload Audio (`POST
//!   /voice/v1/sessions/{id}/audio/audio_<n>.<ext>`), End Session (`POST
//!   /voice/v1/sessions/{id}/end`) and Get Session (`GET /voice/v1/sessions/{id}[?template_id=…
//!   | ?document_id=…]`). Anything else is 404 (another path), 405 (another method) or 400 (a
//!   query or an id the client never sends): the proxy is not an open relay for the token.
//! - The upstream URL is rebuilt from the parts by the client's own URL builders (ids
//!   percent-decoded, checked and encoded again), never concatenated from the page's text.
//! - A 401 (or a 403 that refuses the token) gets one fresh token and one retry
//!   ([`refuses_token`](super::refuses_token): the client's own rule).
//! - A string `upload_url` under the upstream's sessions is rewritten to the proxy's public
//!   URL ([`proxy_upload_url`]): the page uploads through the proxy too (a presigned form
//!   goes to storage directly, with no token).
//! - Answers are handed back with the token redacted from their text.

use super::audio::AudioFormat;
use super::classify::Op;
use super::create::create_url;
use super::error::Error;
use super::ops::{match_op, op_url, session_url};
use super::url::{BaseUrl, Filter};
use alloc::string::String;
use alloc::vec::Vec;

/// The largest request body the proxy takes from a page: one audio chunk (10 MiB, the
/// service's own limit) — a Create Session body is far smaller.
pub const PROXY_MAX_BODY_BYTES: u64 = super::audio::MAX_CHUNK_BYTES;

/// Where a page's request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyRoute {
    /// The operation.
    pub op: Op,
    /// The session it concerns (`None` for Create Session).
    pub session_id: Option<String>,
    /// The upstream URL.
    pub url: String,
}

/// `s` percent-decoded, when every `%` starts a valid escape of a printable ASCII
/// character (ids and template ids are ASCII; anything else is refused, not guessed).
fn percent_decode(s: &str) -> Option<String> {
    let hex = |c: u8| (c as char).to_digit(16);
    let b = s.as_bytes();
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = if b[i] == b'%' {
            let v = hex(*b.get(i + 1)?)? * 16 + hex(*b.get(i + 2)?)?;
            i += 3;
            v as u8
        } else {
            i += 1;
            b[i - 1]
        };
        if !(0x20..0x7f).contains(&c) {
            return None;
        }
        out.push(c as char);
    }
    Some(out)
}

/// The upstream request for a page's `method`, `path` (below the proxy's mount point, e.g.
/// `/voice/v1/sessions/s1/end`) and `query` (without `?`), or the refusal (an error whose
/// `status` is the proxy's answer: 404, 405 or 400). The operations are the table's rows
/// a page may send ([`match_op`]); see the module docs.
///
/// ```
/// use eka_voice::proto::{proxy_route, BaseUrl, Op};
/// let up = BaseUrl::default();
/// let r = proxy_route(&up, "POST", "/voice/v1/sessions/s%201/end", "").unwrap();
/// assert_eq!((r.op, r.url.as_str()), (Op::EndSession, "https://api.eka.care/voice/v1/sessions/s%201/end"));
/// assert_eq!(proxy_route(&up, "DELETE", "/voice/v1/sessions/s1", "").unwrap_err().status, Some(405));
/// assert_eq!(proxy_route(&up, "GET", "/voice/v1/templates", "").unwrap_err().status, Some(404));
/// ```
pub fn proxy_route(
    upstream: &BaseUrl,
    method: &str,
    path: &str,
    query: &str,
) -> Result<ProxyRoute, Error> {
    let (row, raw) = match_op(method, path, true)?;
    let bad = |what: &str| Error::invalid_argument(what).with_status(400);
    let mut params = Vec::with_capacity(raw.len());
    for p in raw {
        params.push(percent_decode(p).ok_or_else(|| bad("a bad path parameter"))?);
    }
    let id = params.first().map_or("", String::as_str);
    let (key, value) =
        one_query(query).ok_or_else(|| bad("a query this proxy does not forward"))?;
    if !key.is_empty() && !row.query.contains(&key) {
        return Err(bad("a query this proxy does not forward"));
    }
    let url = match row.op {
        Op::CreateSession => match (key, value.as_str()) {
            ("", _) => Ok(create_url(upstream, false)),
            ("version", "v2") => Ok(create_url(upstream, true)),
            _ => return Err(bad("a query this proxy does not forward")),
        },
        Op::GetSession => {
            let filter = match key {
                "template_id" => Filter::Template(&value),
                "document_id" => Filter::Document(&value),
                _ => Filter::None,
            };
            session_url(upstream, id, filter)
        }
        Op::UploadAudio if !is_audio_file(&params[1]) => {
            return Err(bad("not an audio_<n>.<ext> file name"));
        }
        op => {
            let values: Vec<&str> = params.iter().map(String::as_str).collect();
            op_url(upstream, op, &values)
        }
    }
    .map_err(|e| bad(&e.message))?;
    let session_id = row.about_session().then(|| id.into());
    Ok(ProxyRoute {
        op: row.op,
        session_id,
        url,
    })
}

/// A query of at most one parameter (the client never sends more): `("", "")` for none,
/// else its key and decoded, non-empty value.
fn one_query(query: &str) -> Option<(&str, String)> {
    if query.is_empty() {
        return Some(("", String::new()));
    }
    let (key, value) = query.split_once('=')?;
    if value.contains(['&', '=']) {
        return None; // one parameter only (the client encodes these characters)
    }
    let value = percent_decode(value).filter(|v| !v.is_empty())?;
    Some((key, value))
}

/// Whether `name` is `audio_<n>.<ext>` with a decimal `n` and a supported extension.
fn is_audio_file(name: &str) -> bool {
    let Some((n, ext)) = name.strip_prefix("audio_").and_then(|r| r.split_once('.')) else {
        return false;
    };
    let numeric = !n.is_empty() && n.len() <= 10 && n.bytes().all(|b| b.is_ascii_digit());
    numeric && AudioFormat::parse(ext).is_some_and(|f| f.ext() == ext)
}

/// A Create Session answer's string `upload_url`, as the page must see it: under the
/// upstream's sessions → the same path under `public` (the proxy's own URL, as the page
/// reaches it); `None` (left as it is) otherwise.
///
/// ```
/// use eka_voice::proto::{proxy_upload_url, BaseUrl};
/// let up = BaseUrl::default();
/// assert_eq!(
///     proxy_upload_url("https://api.eka.care/voice/v1/sessions/s1/audio", &up, "https://emr.example/eka").as_deref(),
///     Some("https://emr.example/eka/voice/v1/sessions/s1/audio")
/// );
/// assert_eq!(proxy_upload_url("https://bucket.example/x", &up, "https://emr.example/eka"), None);
/// ```
pub fn proxy_upload_url(upload_url: &str, upstream: &BaseUrl, public: &str) -> Option<String> {
    let rest = upload_url
        .strip_prefix(upstream.as_str())
        .filter(|r| r.starts_with("/voice/v1/sessions/"))?;
    let mut url = String::from(public.trim_end_matches('/'));
    url.push_str(rest);
    Some(url)
}

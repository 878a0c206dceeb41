//! Webhooks (lifecycle §6): the `Eka-Webhook-Signature` header, the HMAC check, the
//! freshness rule, and one normalised event from either documented payload shape.
//!
//! Sans-IO: the raw body, the header, the signing key and the clock come in; a verdict goes
//! out. The order of the checks, a decision where the spec is silent:
//! 1. the header must parse (`t=<unix seconds>`, one or more `v1=<64 hex>`; other schemes
//!    are ignored): else [`ErrorCode::InvalidArgument`];
//! 2. one `v1` must be the HMAC-SHA256 of `"<t>.<body>"` under the key, compared in constant
//!    time (several `v1` values: key rotation). When the raw body does not match, the form
//!    the provider's verifier hashes is tried too — `json.dumps(payload, separators=(',',
//!    ':'))` — derived from the raw text itself ([`python_canonical`]: white space out,
//!    strings as Python writes them, everything else as it is), never from a parse and a
//!    re-serialisation: a body whose meaning differs from what was signed (duplicate keys,
//!    other number spellings, a BOM) never matches, a genuine one (`1.0`, integer-like keys)
//!    does, and an unsigned body costs one bounded pass, never a parse. Else
//!    [`ErrorCode::InvalidSignature`]. Only the bytes that verified are parsed afterwards:
//!    the app gets the signed view;
//! 3. `|now − t|` must be within the tolerance (default [`DEFAULT_TOLERANCE_S`], the spec's
//!    suggestion): else [`ErrorCode::StaleSignature`] — checked after the signature, so that
//!    a forged request is told apart from a replayed one;
//! 4. the payload must be one of the two documented shapes with a session id: else
//!    [`ErrorCode::InvalidResponse`] (it is signed: the sender is the provider, and what it
//!    sent is not what the API documents).

use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::error::{push_decimal, Error, ErrorCode};

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "eka-webhook-signature";

/// The largest `|now − t|` accepted by default, in seconds (the spec's suggestion).
pub const DEFAULT_TOLERANCE_S: u64 = 180;

/// The most `v1` values one header may carry (key rotation needs two or three).
pub const MAX_SIGNATURES: usize = 8;

/// A parsed `Eka-Webhook-Signature` header.
///
/// ```
/// use eka_voice::proto::Signature;
/// let s = Signature::parse(&format!("t=1700000000,v1={}", "ab".repeat(32))).unwrap();
/// assert_eq!((s.timestamp, s.v1.len()), (1_700_000_000, 1));
/// assert_eq!(Signature::parse("v1=00").unwrap_err().code.as_str(), "invalid_argument");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// `t`: when the provider signed, in Unix seconds.
    pub timestamp: u64,
    /// Every `v1` value, decoded.
    pub v1: Vec<[u8; 32]>,
}

impl Signature {
    /// Parses `t=<unix seconds>,v1=<hex>[,v1=<hex>…]` (spaces around the parts allowed;
    /// unknown keys ignored). Never echoes the header in its error.
    pub fn parse(header: &str) -> Result<Signature, Error> {
        let bad = |why: &str| {
            let mut m = String::from("the Eka-Webhook-Signature header is malformed: ");
            m.push_str(why);
            Error::new(ErrorCode::InvalidArgument, m)
        };
        let mut timestamp = None;
        let mut v1 = Vec::new();
        for part in header.split(',') {
            let (key, value) = part
                .trim()
                .split_once('=')
                .ok_or_else(|| bad("a part is not key=value"))?;
            match key.trim() {
                "t" if timestamp.is_some() => return Err(bad("two `t` values")),
                "t" => {
                    timestamp = Some(
                        parse_seconds(value.trim())
                            .ok_or_else(|| bad("`t` is not Unix seconds"))?,
                    )
                }
                "v1" if v1.len() == MAX_SIGNATURES => return Err(bad("too many `v1` values")),
                "v1" => v1.push(
                    parse_hex32(value.trim()).ok_or_else(|| bad("a `v1` is not 64 hex digits"))?,
                ),
                _ => {}
            }
        }
        let timestamp = timestamp.ok_or_else(|| bad("no `t`"))?;
        if v1.is_empty() {
            return Err(bad("no `v1`"));
        }
        Ok(Signature { timestamp, v1 })
    }

    /// Whether one of the `v1` values is the HMAC-SHA256 of `"<t>.<body>"` under `key`.
    /// Each candidate is compared in constant time, and all of them are compared.
    pub fn matches(&self, key: &[u8], body: &[u8]) -> bool {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
            return false; // HMAC takes keys of any length: not reached
        };
        let mut t = String::new();
        push_decimal(&mut t, self.timestamp);
        mac.update(t.as_bytes());
        mac.update(b".");
        mac.update(body);
        let mut any = false;
        for candidate in &self.v1 {
            any |= mac.clone().verify_slice(candidate).is_ok();
        }
        any
    }
}

/// The freshness rule: `|now_s − timestamp_s| ≤ tolerance_s` (a timestamp from the future
/// counts as much as one from the past).
pub fn check_freshness(timestamp_s: u64, now_s: u64, tolerance_s: u64) -> Result<(), Error> {
    if timestamp_s.abs_diff(now_s) <= tolerance_s {
        return Ok(());
    }
    let mut m = String::from("the webhook was signed ");
    push_decimal(&mut m, timestamp_s.abs_diff(now_s));
    m.push_str(if timestamp_s < now_s {
        " s ago"
    } else {
        " s in the future"
    });
    m.push_str(", beyond the tolerance of ");
    push_decimal(&mut m, tolerance_s);
    m.push_str(" s");
    Err(Error::new(ErrorCode::StaleSignature, m))
}

/// The error of a signature that matches neither the body nor its compact JSON form.
pub fn invalid_signature() -> Error {
    Error::new(
        ErrorCode::InvalidSignature,
        String::from("the webhook's signature does not match its body under the signing key"),
    )
}

/// Verifies a delivery in the one order that keeps it cheap and safe: the header's syntax;
/// the signature over the raw `body`; else over the form the provider's verifier hashes,
/// derived from the raw `text` (its UTF-8 reading, `None` when it is not UTF-8) in one
/// bounded pass ([`python_canonical`]) — nothing unsigned is ever parsed; then the
/// timestamp's freshness against `now_s`. Resolves with the SIGNED text (`None`: the raw
/// bytes verified but are not UTF-8), the only view the app should read.
///
/// ```
/// use eka_voice::proto::{verify_delivery, ErrorCode};
/// let e = verify_delivery(b"{}", Some("{}".into()), "t=1,v1=00", b"key", 180, 1).unwrap_err();
/// assert_eq!(e.code, ErrorCode::InvalidArgument); // a malformed header: not even tried
/// ```
pub fn verify_delivery(
    body: &[u8],
    text: Option<String>,
    header: &str,
    key: &[u8],
    tolerance_s: u64,
    now_s: u64,
) -> Result<Option<String>, Error> {
    let sig = Signature::parse(header)?;
    let signed = if sig.matches(key, body) {
        text
    } else {
        let canonical = text.as_deref().and_then(python_canonical);
        Some(
            canonical
                .filter(|c| sig.matches(key, c.as_bytes()))
                .ok_or_else(invalid_signature)?,
        )
    };
    check_freshness(sig.timestamp, now_s, tolerance_s)?;
    Ok(signed)
}

/// The text the provider signs when the body on the wire is not the signed bytes: Python's
/// `json.dumps(payload, separators=(',', ':'))` (`ensure_ascii`), derived from the RAW body
/// text itself — never from a parse of it. Outside strings, white space between tokens goes;
/// inside strings, each character is written as Python writes it (`\"`, `\\`, `\n`,
/// `\r`, `\t`, `\b`, `\f`, other controls and everything past ASCII as `\uXXXX` of its
/// UTF-16 units, lowercase hex; `/` and DEL as they are). Every other byte — numbers
/// (`1.0` stays `1.0`), key order, duplicate keys, a BOM — is kept as it is, so that bytes
/// that differ in meaning from what was signed never match it. `None` for a text that is
/// not well-formed where it matters (a bad escape, an unterminated string). One pass, no
/// recursion: bounded time and memory (at most six bytes out per byte in) whatever the
/// nesting.
///
/// ```
/// use eka_voice::proto::python_canonical;
/// assert_eq!(python_canonical("{ \"a\" : [1.0, \"é\\/\"] }").unwrap(), r#"{"a":[1.0,"\u00e9/"]}"#);
/// assert_eq!(python_canonical(r#"{"a":"\u00E9\ud83d\ude00"}"#).unwrap(), r#"{"a":"\u00e9\ud83d\ude00"}"#);
/// assert!(python_canonical(r#"{"a":"\x"}"#).is_none());
/// ```
pub fn python_canonical(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {}
            '"' => {
                out.push('"');
                string_body(&mut chars, &mut out)?;
                out.push('"');
            }
            c => out.push(c),
        }
    }
    Some(out)
}

/// The rest of a string (after its opening quote), written as Python writes it, through
/// its closing quote (not written).
fn string_body(chars: &mut core::str::Chars<'_>, out: &mut String) -> Option<()> {
    loop {
        let unit = match chars.next()? {
            '"' => return Some(()),
            '\\' => match chars.next()? {
                '"' => u32::from('"'),
                '\\' => u32::from('\\'),
                '/' => u32::from('/'),
                'b' => 8,
                'f' => 12,
                'n' => 10,
                'r' => 13,
                't' => 9,
                'u' => {
                    let mut v = 0;
                    for _ in 0..4 {
                        v = v * 16 + chars.next()?.to_digit(16)?;
                    }
                    v
                }
                _ => return None,
            },
            c => {
                let mut units = [0u16; 2];
                for &u in c.encode_utf16(&mut units).iter() {
                    push_python_unit(out, u32::from(u));
                }
                continue;
            }
        };
        push_python_unit(out, unit);
    }
}

/// One UTF-16 unit of a string as Python's `ensure_ascii` writes it.
fn push_python_unit(out: &mut String, u: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match u {
        0x22 => out.push_str("\\\""),
        0x5c => out.push_str("\\\\"),
        0x0a => out.push_str("\\n"),
        0x0d => out.push_str("\\r"),
        0x09 => out.push_str("\\t"),
        0x08 => out.push_str("\\b"),
        0x0c => out.push_str("\\f"),
        0x20..=0x7f => out.push(char::from(u as u8)),
        _ => {
            out.push_str("\\u");
            for shift in [12, 8, 4, 0] {
                out.push(char::from(HEX[((u >> shift) & 0xf) as usize]));
            }
        }
    }
}

/// One webhook, normalised from either payload shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookEvent {
    /// `v2rx.completed`, or whatever event the provider sent.
    pub event: String,
    /// The session the event is about.
    pub session_id: String,
    /// The session's status, when the payload says it.
    pub status: Option<String>,
    /// When the event happened (ISO text), when the payload says it.
    pub event_time: Option<String>,
}

/// Reads a payload through `read(path)` (the string at that path of the parsed JSON, if
/// any) into a [`WebhookEvent`]. The two documented shapes:
/// - `{event_id, payload: {event, event_time, transaction_id, data: {…}}}` — the session id
///   is `payload.transaction_id`;
/// - `{event, data: {session_id, transaction_id, status}, timestamp}`.
///
/// ```
/// use eka_voice::proto::normalize_event;
/// let e = normalize_event(&|p: &[&str]| match p {
///     ["event"] => Some("v2rx.completed".into()),
///     ["data", "session_id"] => Some("s1".into()),
///     _ => None,
/// }).unwrap();
/// assert_eq!((e.event.as_str(), e.session_id.as_str()), ("v2rx.completed", "s1"));
/// ```
pub fn normalize_event(read: &dyn Fn(&[&str]) -> Option<String>) -> Result<WebhookEvent, Error> {
    let first = |paths: &[&[&str]]| paths.iter().find_map(|p| read(p));
    let (event, session_id, status, event_time) = if read(&["payload", "transaction_id"]).is_some()
    {
        (
            first(&[&["payload", "event"], &["event_id"]]),
            read(&["payload", "transaction_id"]),
            read(&["payload", "data", "status"]),
            read(&["payload", "event_time"]),
        )
    } else {
        (
            read(&["event"]),
            first(&[&["data", "session_id"], &["data", "transaction_id"]]),
            read(&["data", "status"]),
            read(&["timestamp"]),
        )
    };
    // The reader cuts strings past MAX_FIELD_CHARS: an id that long is not cut and used (a
    // Get Session for another id) but refused.
    if session_id
        .as_ref()
        .is_some_and(|id| id.len() >= super::classify::MAX_FIELD_CHARS)
    {
        return Err(Error::new(
            ErrorCode::InvalidResponse,
            String::from("the webhook's session id is 256 characters or more: refused, not cut"),
        ));
    }
    match (event, session_id) {
        (Some(event), Some(session_id)) if !session_id.is_empty() => Ok(WebhookEvent {
            event,
            session_id,
            status,
            event_time,
        }),
        _ => Err(Error::new(
            ErrorCode::InvalidResponse,
            String::from(
                "the webhook's payload is neither documented shape (no event or no session id)",
            ),
        )),
    }
}

/// The HTTP status a webhook receiver answers, from what verifying the delivery gave
/// (`None`: verified). The provider retries anything but 2xx, so:
///
/// | verification | answer | why |
/// |---|---|---|
/// | verified | 204 | the session is fetched after answering |
/// | `invalid_signature`, `stale_signature`, `invalid_argument` (a malformed or missing header) | 401 | not from the provider (or replayed): no retry will fix it, and nothing is done |
/// | `invalid_response` (signed, but neither payload shape) | 202 | from the provider: retrying the same delivery cannot help; the receiver's `onError` hears of it |
/// | anything else (the receiver failed) | 500 | the provider may retry |
///
/// ```
/// use eka_voice::proto::{webhook_answer, ErrorCode};
/// assert_eq!(webhook_answer(None), 204);
/// assert_eq!(webhook_answer(Some(ErrorCode::StaleSignature)), 401);
/// ```
pub fn webhook_answer(failure: Option<ErrorCode>) -> u16 {
    match failure {
        None => 204,
        Some(
            ErrorCode::InvalidSignature | ErrorCode::StaleSignature | ErrorCode::InvalidArgument,
        ) => 401,
        Some(ErrorCode::InvalidResponse) => 202,
        // The receiver's own store (a `dedupe` hook) failed or hung: retry later.
        Some(ErrorCode::Network) => 503,
        Some(_) => 500,
    }
}

/// The sessions whose webhook was already handled, so that each is handled once however
/// often the provider delivers it (retries, duplicates): the last `capacity` ids, the
/// oldest forgotten first. A plain queue searched from the newest end: a receiver handles
/// a few webhooks a second, and 10,000 comparisons take microseconds (a tree or a hash
/// table cost ~8 KB of wasm here).
///
/// ```
/// use eka_voice::proto::SeenSessions;
/// let mut seen = SeenSessions::new(2);
/// assert!(seen.first("a") && seen.first("b") && !seen.first("a"));
/// assert!(seen.first("c") && seen.first("a"), "a was the oldest: forgotten");
/// ```
#[derive(Clone, Debug, Default)]
pub struct SeenSessions {
    capacity: usize,
    order: VecDeque<String>,
}

impl SeenSessions {
    /// A table of at most `capacity` ids (at least 1).
    pub fn new(capacity: usize) -> SeenSessions {
        SeenSessions {
            capacity: capacity.max(1),
            ..SeenSessions::default()
        }
    }

    /// Whether `id` is seen for the first time (and remembers it).
    pub fn first(&mut self, id: &str) -> bool {
        if self.order.iter().rev().any(|seen| seen == id) {
            return false;
        }
        if self.order.len() == self.capacity {
            self.order.pop_front();
        }
        self.order.push_back(String::from(id));
        true
    }

    /// How many ids are remembered.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// `t`: 1 to 12 ASCII digits (Unix seconds until the year 33658).
fn parse_seconds(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// 64 hex digits (either case) -> 32 bytes.
fn parse_hex32(s: &str) -> Option<[u8; 32]> {
    let b = s.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in b.chunks(2).enumerate() {
        let hi = (pair[0] as char).to_digit(16)?;
        let lo = (pair[1] as char).to_digit(16)?;
        out[i] = (hi * 16 + lo) as u8;
    }
    Some(out)
}

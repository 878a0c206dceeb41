//! Audio upload: where a chunk goes and how (raw or presigned), and the bookkeeping of a
//! session's chunks ([`UploadLedger`]).
//!
//! Rules:
//! - a string `upload_url` is used as `POST {upload_url}/audio_<n>.<ext>` ONLY when it is
//!   on the base URL's origin, or on an origin the app trusts for uploads
//!   (`trustedUploadOrigins`: behind a gateway, the service names its own origin); the
//!   bearer token never goes anywhere else; otherwise the answer is `invalid_response`;
//! - without an `upload_url`, a session's audio goes to `{base}/voice/v1/sessions/{id}/audio`;
//! - a presigned (object) `upload_url` gets a multipart form: every field as given (with
//!   `${filename}` in `key` replaced by the STORED name `<n>.<ext>`, not `audio_<n>.<ext>`:
//!   nothing renames objects in storage, and the service collects only `<n>.<ext>` at End),
//!   a `Content-Type` field, then the file (named the same) LAST, and no `Authorization`.

use super::audio::AudioFormat;
use super::error::{push_decimal, Error, ErrorCode};
use super::ops::{op_url, Op};
use super::url::{push_encoded, BaseUrl};
use alloc::{string::String, string::ToString, vec::Vec};

/// `{upload_url}/{file_name}` for a string `upload_url`, which must be an `https://` (or
/// loopback `http://`) URL on the base URL's origin.
///
/// ```
/// use eka_voice::proto::{raw_upload_url, BaseUrl, ErrorCode};
/// let base = BaseUrl::default();
/// assert_eq!(
///     raw_upload_url(&base, "https://api.eka.care/voice/v1/sessions/s/audio/", "audio_0.wav").unwrap(),
///     "https://api.eka.care/voice/v1/sessions/s/audio/audio_0.wav"
/// );
/// let e = raw_upload_url(&base, "https://evil.example/audio", "audio_0.wav").unwrap_err();
/// assert_eq!(e.code, ErrorCode::InvalidResponse);
/// ```
pub fn raw_upload_url(base: &BaseUrl, upload_url: &str, file_name: &str) -> Result<String, Error> {
    let target = BaseUrl::parse(upload_url).map_err(|_| {
        Error::new(
            ErrorCode::InvalidResponse,
            "the session's upload_url is not an https URL this client can upload to",
        )
    })?;
    if !base.sends_token_to(target.origin()) {
        return Err(Error::new(
            ErrorCode::InvalidResponse,
            "the session's upload_url is on another origin than baseUrl: refused, the token is only sent to baseUrl's origin and to trustedUploadOrigins (behind a gateway: name the service's origin there)",
        ));
    }
    let mut url = String::from(target.as_str());
    url.push('/');
    push_encoded(&mut url, file_name);
    Ok(url)
}

/// Checks a presigned storage URL (`uploadData.url`): `https://`, or loopback `http://`.
pub fn check_presigned_url(url: &str) -> Result<(), Error> {
    BaseUrl::parse(url).map(|_| ()).map_err(|_| {
        Error::new(
            ErrorCode::InvalidResponse,
            "the presigned upload URL is not an https URL",
        )
    })
}

/// The form fields of a presigned upload, in order: every given field (`${filename}` in
/// `key` replaced by `object`, the stored name `<n>.<ext>`), then `Content-Type`. The file
/// part goes after all of them.
///
/// ```
/// use eka_voice::proto::{presigned_fields, AudioFormat};
/// let f = presigned_fields(&[("key".into(), "f/${filename}".into()), ("policy".into(), "p".into())],
///                          "0.wav", AudioFormat::Wav);
/// assert_eq!(f, vec![("key".to_string(), "f/0.wav".to_string()), ("policy".into(), "p".into()),
///                    ("Content-Type".into(), "audio/wav".into())]);
/// ```
pub fn presigned_fields(
    fields: &[(String, String)],
    object: &str,
    format: AudioFormat,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fields
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("content-type") && k != "file")
        .map(|(k, v)| {
            let v = if k == "key" {
                replace_file_name(v, object)
            } else {
                v.clone()
            };
            (k.clone(), v)
        })
        .collect();
    out.push(("Content-Type".into(), format.mime().into()));
    out
}

/// Replaces every literal `${filename}` in `template` (a byte scan: no substring
/// searcher, which costs wasm size).
fn replace_file_name(template: &str, file_name: &str) -> String {
    const PLACEHOLDER: &str = "${filename}";
    let mut out = String::with_capacity(template.len() + file_name.len());
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        let (before, from) = rest.split_at_checked(i).unwrap_or((rest, ""));
        out.push_str(before);
        match from.strip_prefix(PLACEHOLDER) {
            Some(after) => {
                out.push_str(file_name);
                rest = after;
            }
            None => {
                out.push('$');
                rest = from.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

/// The default audio endpoint of a session, when the caller has only its id:
/// `{base}/voice/v1/sessions/{id}/audio`.
pub fn default_upload_url(base: &BaseUrl, session_id: &str) -> Result<String, Error> {
    // Get Session Audio's path: where raw uploads go (`…/audio/<file>`).
    op_url(base, Op::GetSessionAudio, &[session_id])
}

/// The bookkeeping of one session's uploads: which chunk gets which number, what was
/// sent and what made it, what the End Session body reports, and whether `transcribe`
/// may go on.
///
/// Rules:
/// - a number is RESERVED when the upload is asked for, before its bytes are read: calls
///   made one after the other get numbers in call order, whatever the time each chunk
///   takes to read (`uploadAudio(s, blob, { index: 5 })` then `uploadAudio(s, bytes)` is
///   5 then 6);
/// - without an `index`, the next number is one more than the highest reserved so far;
/// - a number in flight or uploaded cannot be reserved again (`invalid_argument`); a number
///   whose upload FAILED can: that is a retry of the same chunk, and once it is uploaded it
///   no longer counts as failed (nor twice as sent);
/// - a number released before anything was sent is forgotten (a retry's stays failed).
///
/// ```
/// use eka_voice::proto::{AudioFormat, ErrorCode, UploadLedger};
/// let mut l = UploadLedger::default();
/// let (n0, name0) = l.assign(None, AudioFormat::Wav).unwrap();
/// let (n1, _) = l.assign(None, AudioFormat::Wav).unwrap();
/// assert_eq!((n0, name0.as_str(), n1), (0, "audio_0.wav", 1));
/// l.settle(n0, &name0, true);
/// l.settle(n1, "audio_1.wav", false);
/// assert_eq!(l.end_counts(), (2, 1));
/// assert_eq!(l.check(false).unwrap_err().code, ErrorCode::UploadFailed);
/// assert_eq!(l.check(true).unwrap(), vec!["audio_1.wav".to_string()]);
/// // Chunk 1 again: a retry, not a second chunk.
/// assert_eq!(l.reserve(Some(1)).unwrap(), 1);
/// l.settle(1, "audio_1.wav", true);
/// assert_eq!(l.end_counts(), (2, 2));
/// assert_eq!(l.reserve(Some(1)).unwrap_err().code, ErrorCode::InvalidArgument);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UploadLedger {
    next: u32,
    /// Numbers in flight or uploaded.
    used: Vec<u32>,
    /// Chunks settled (each number once).
    sent: u32,
    uploaded: u32,
    /// Numbers whose last upload failed, with the name they were sent as.
    failed: Vec<(u32, String)>,
}

impl UploadLedger {
    /// Reserves the number of the next chunk: `index` when given (it must not be in
    /// flight or uploaded), else one more than the highest so far.
    pub fn reserve(&mut self, index: Option<u32>) -> Result<u32, Error> {
        let n = index.unwrap_or(self.next);
        if self.used.contains(&n) {
            return Err(Error::invalid_argument(
                "this chunk `index` is already uploaded, or being uploaded, in this session",
            ));
        }
        self.used.push(n);
        self.next = self.next.max(n.saturating_add(1));
        Ok(n)
    }

    /// [`reserve`](Self::reserve), with the file name of the chunk in `format`.
    pub fn assign(
        &mut self,
        index: Option<u32>,
        format: AudioFormat,
    ) -> Result<(u32, String), Error> {
        let n = self.reserve(index)?;
        Ok((n, super::audio::file_name(n, format)))
    }

    /// Forgets a reservation whose upload was never sent (e.g. refused before sending); a
    /// retry's number stays failed.
    pub fn release(&mut self, n: u32) {
        self.used.retain(|&u| u != n);
    }

    /// Records the outcome of chunk `n`'s upload, sent as `file_name`.
    pub fn settle(&mut self, n: u32, file_name: &str, ok: bool) {
        let retried = self.failed.iter().position(|(m, _)| *m == n);
        if retried.is_none() {
            self.sent += 1;
        }
        match (ok, retried) {
            (true, Some(i)) => {
                self.failed.remove(i);
            }
            (false, None) => self.failed.push((n, file_name.to_string())),
            _ => {}
        }
        if ok {
            self.uploaded += 1;
        } else {
            self.release(n);
        }
    }

    /// How many chunks are reserved and not settled (nor released) yet.
    pub fn in_flight(&self) -> u32 {
        (self.used.len() as u32).saturating_sub(self.uploaded)
    }

    /// `(audio_files_sent, audio_files_uploaded)` for End Session: the chunks settled
    /// (each number once, however often it was retried) and those uploaded.
    pub fn end_counts(&self) -> (u32, u32) {
        (self.sent, self.uploaded)
    }

    /// Whether processing may go on: every chunk made it, or (with `allow_partial`) at
    /// least one did. Returns the missing chunks' names, or an `upload_failed` error
    /// naming them (or `invalid_argument` when there was no chunk at all).
    pub fn check(&self, allow_partial: bool) -> Result<Vec<String>, Error> {
        if self.sent == 0 {
            return Err(Error::invalid_argument("no audio chunks were given"));
        }
        let failed: Vec<String> = self.failed.iter().map(|(_, name)| name.clone()).collect();
        if failed.is_empty() || (allow_partial && self.uploaded > 0) {
            return Ok(failed);
        }
        let mut m = String::from("could not upload ");
        push_decimal(&mut m, failed.len() as u64);
        m.push_str(" of ");
        push_decimal(&mut m, u64::from(self.sent));
        m.push_str(" audio chunks: ");
        for (i, name) in failed.iter().enumerate() {
            if i > 0 {
                m.push_str(", ");
            }
            m.push_str(name);
        }
        Err(Error::new(ErrorCode::UploadFailed, m))
    }
}

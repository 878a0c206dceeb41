//! Audio upload: where a chunk goes and how (raw or presigned), and the bookkeeping of a
//! session's chunks ([`UploadLedger`]).
//!
//! Rules:
//! - a string `upload_url` is used as `POST {upload_url}/audio_<n>.<ext>` ONLY when it is
//!   on the base URL's origin (the bearer token never goes anywhere else); otherwise the
//!   answer is `invalid_response`;
//! - without an `upload_url`, a session's audio goes to `{base}/voice/v1/sessions/{id}/audio`;
//! - a presigned (object) `upload_url` gets a multipart form: every field as given (with
//!   `${filename}` in `key` replaced by the file name), a `Content-Type` field, then the
//!   file LAST, and no `Authorization`.

use super::audio::AudioFormat;
use super::error::{push_decimal, Error, ErrorCode};
use super::url::{push_encoded, session_path_url, BaseUrl};
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
    if target.origin() != base.origin() {
        return Err(Error::new(
            ErrorCode::InvalidResponse,
            "the session's upload_url is on another origin than baseUrl: refused, the token is only sent to baseUrl's origin",
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
/// `key` replaced), then `Content-Type`. The file part goes after all of them.
///
/// ```
/// use eka_voice::proto::{presigned_fields, AudioFormat};
/// let f = presigned_fields(&[("key".into(), "f/${filename}".into()), ("policy".into(), "p".into())],
///                          "audio_0.wav", AudioFormat::Wav);
/// assert_eq!(f, vec![("key".to_string(), "f/audio_0.wav".to_string()), ("policy".into(), "p".into()),
///                    ("Content-Type".into(), "audio/wav".into())]);
/// ```
pub fn presigned_fields(
    fields: &[(String, String)],
    file_name: &str,
    format: AudioFormat,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fields
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("content-type") && k != "file")
        .map(|(k, v)| {
            let v = if k == "key" {
                replace_file_name(v, file_name)
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
    session_path_url(base, session_id, "/audio")
}

/// The bookkeeping of one session's uploads: which chunk gets which number, what was
/// sent and what made it, what the End Session body reports, and whether `transcribe`
/// may go on.
///
/// ```
/// use eka_voice::proto::{AudioFormat, UploadLedger};
/// let mut l = UploadLedger::default();
/// let (n0, name0) = l.assign(None, AudioFormat::Wav).unwrap();
/// let (n1, _) = l.assign(None, AudioFormat::Wav).unwrap();
/// assert_eq!((n0, name0.as_str(), n1), (0, "audio_0.wav", 1));
/// l.settle(&name0, true);
/// l.settle("audio_1.wav", false);
/// assert_eq!(l.end_counts(), (2, 1));
/// assert_eq!(l.check(false).unwrap_err().code, eka_voice::proto::ErrorCode::UploadFailed);
/// assert_eq!(l.check(true).unwrap(), vec!["audio_1.wav".to_string()]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UploadLedger {
    next: u32,
    used: Vec<u32>,
    sent: u32,
    uploaded: u32,
    failed: Vec<String>,
}

impl UploadLedger {
    /// The number and file name of the next chunk: `index` when given (it must not be
    /// used yet), else one more than the highest so far.
    pub fn assign(
        &mut self,
        index: Option<u32>,
        format: AudioFormat,
    ) -> Result<(u32, String), Error> {
        let n = index.unwrap_or(self.next);
        if self.used.contains(&n) {
            return Err(Error::invalid_argument(
                "this chunk `index` was already uploaded in this session",
            ));
        }
        self.used.push(n);
        self.next = self.next.max(n.saturating_add(1));
        Ok((n, super::audio::file_name(n, format)))
    }

    /// Forgets a number whose upload was never attempted (e.g. rejected before sending).
    pub fn release(&mut self, n: u32) {
        self.used.retain(|&u| u != n);
    }

    /// Records the outcome of one attempted chunk.
    pub fn settle(&mut self, file_name: &str, ok: bool) {
        self.sent += 1;
        if ok {
            self.uploaded += 1;
        } else {
            self.failed.push(file_name.to_string());
        }
    }

    /// How many chunks got a number but have not settled (nor been released) yet.
    pub fn in_flight(&self) -> u32 {
        (self.used.len() as u32).saturating_sub(self.sent)
    }

    /// `(audio_files_sent, audio_files_uploaded)` for End Session.
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
        if self.failed.is_empty() || (allow_partial && self.uploaded > 0) {
            return Ok(self.failed.clone());
        }
        let mut m = String::from("could not upload ");
        push_decimal(&mut m, self.failed.len() as u64);
        m.push_str(" of ");
        push_decimal(&mut m, u64::from(self.sent));
        m.push_str(" audio chunks: ");
        for (i, name) in self.failed.iter().enumerate() {
            if i > 0 {
                m.push_str(", ");
            }
            m.push_str(name);
        }
        Err(Error::new(ErrorCode::UploadFailed, m))
    }
}

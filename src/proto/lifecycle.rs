//! The session lifecycle around Get Session (`lifecycle.md`): request bodies and URLs of
//! Create Session, audio upload (raw and presigned) and End Session, and the bookkeeping
//! of a chunked upload ([`UploadLedger`]).
//!
//! Rules:
//! - bodies use the API's snake_case names; `communication_protocol` is always `"http"`
//!   (chunked and single uploads), End Session always sends `audio_files_sent` (older
//!   deployments require it) and `audio_files_uploaded`;
//! - a client-chosen `session_id` has 16–32 characters; `additional_data` is a JSON object
//!   of at most 4 KB without `_protocol` (the service's own key);
//! - a string `upload_url` is used as `POST {upload_url}/audio_<n>.<ext>` ONLY when it is
//!   on the base URL's origin (the bearer token never goes anywhere else); otherwise the
//!   answer is `invalid_response`;
//! - a presigned (object) `upload_url` gets a multipart form: every field as given (with
//!   `${filename}` in `key` replaced by the file name), a `Content-Type` field, then the
//!   file LAST, and no `Authorization`.

use super::audio::AudioFormat;
use super::error::{push_decimal, Error, ErrorCode};
use super::url::{push_encoded, session_path_url, BaseUrl};
use alloc::{string::String, string::ToString, vec::Vec};

/// Appends `s` as a JSON string literal.
///
/// ```
/// let mut out = String::new();
/// eka_voice::proto::push_json_string(&mut out, "a\"b\n\u{1}");
/// assert_eq!(out, r#""a\"b\n\u0001""#);
/// ```
pub fn push_json_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A JSON object under construction.
struct JsonObject(String);

impl JsonObject {
    fn new() -> Self {
        JsonObject(String::from("{"))
    }
    fn key(&mut self, k: &str) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        push_json_string(&mut self.0, k);
        self.0.push(':');
        &mut self.0
    }
    fn string(&mut self, k: &str, v: &str) {
        let out = self.key(k);
        push_json_string(out, v);
    }
    fn strings(&mut self, k: &str, v: &[String]) {
        let out = self.key(k);
        out.push('[');
        for (i, s) in v.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_json_string(out, s);
        }
        out.push(']');
    }
    fn number(&mut self, k: &str, v: u64) {
        let out = self.key(k);
        push_decimal(out, v);
    }
    fn raw(&mut self, k: &str, json: &str) {
        self.key(k).push_str(json);
    }
    fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// How the audio will be sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum UploadType {
    /// Numbered files `audio_0`, `audio_1`, … while the consultation goes on.
    #[default]
    Chunked,
    /// One whole file, `audio_0.<ext>`.
    Single,
}

impl UploadType {
    /// `chunked` | `single`.
    pub fn parse(s: &str) -> Result<UploadType, Error> {
        match s {
            "chunked" => Ok(UploadType::Chunked),
            "single" => Ok(UploadType::Single),
            _ => Err(Error::invalid_argument(
                "`uploadType` must be 'chunked' or 'single'",
            )),
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            UploadType::Chunked => "chunked",
            UploadType::Single => "single",
        }
    }
}

/// What Create Session is asked for. Free-form objects (`patient_details`,
/// `additional_data`) come as JSON text (the IO layer serialises them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateSession {
    /// `upload_type`.
    pub upload_type: UploadType,
    /// `templates`: template ids to generate.
    pub templates: Option<Vec<String>>,
    /// `model`: `pro` or `lite`.
    pub model: Option<String>,
    /// `language_hint`: ISO 639-1 codes or `["auto_detect"]`.
    pub language_hint: Option<Vec<String>>,
    /// `transcript_language`.
    pub transcript_language: Option<String>,
    /// `session_mode`: `consultation` or `dictation`.
    pub session_mode: Option<String>,
    /// `patient_details` as JSON object text.
    pub patient_details_json: Option<String>,
    /// `additional_data` as JSON object text.
    pub additional_data_json: Option<String>,
    /// Whether `additional_data` has a `_protocol` key (not allowed).
    pub additional_data_has_protocol: bool,
    /// A client-chosen `session_id` (16–32 characters).
    pub session_id: Option<String>,
}

/// The largest `additional_data` the service takes, as JSON text.
pub const MAX_ADDITIONAL_DATA_BYTES: usize = 4096;

impl CreateSession {
    /// The JSON body, after checking the rules of this module.
    ///
    /// ```
    /// use eka_voice::proto::CreateSession;
    /// let body = CreateSession { templates: Some(vec!["eka_emr_template".into()]), ..Default::default() }
    ///     .to_json().unwrap();
    /// assert_eq!(body, r#"{"upload_type":"chunked","communication_protocol":"http","templates":["eka_emr_template"]}"#);
    /// ```
    pub fn to_json(&self) -> Result<String, Error> {
        if let Some(id) = &self.session_id {
            let n = id.chars().fold(0usize, |n, _| n + 1);
            if !(16..=32).contains(&n) {
                return Err(Error::invalid_argument(
                    "`sessionId` must have 16 to 32 characters",
                ));
            }
        }
        for (name, json) in [
            ("patientDetails", &self.patient_details_json),
            ("additionalData", &self.additional_data_json),
        ] {
            if json.as_deref().is_some_and(|j| !j.starts_with('{')) {
                let mut m = String::from("`");
                m.push_str(name);
                m.push_str("` must be a plain object");
                return Err(Error::invalid_argument(m));
            }
        }
        if self
            .additional_data_json
            .as_ref()
            .is_some_and(|j| j.len() > MAX_ADDITIONAL_DATA_BYTES)
        {
            return Err(Error::invalid_argument(
                "`additionalData` must be at most 4 KB as JSON",
            ));
        }
        if self.additional_data_has_protocol {
            return Err(Error::invalid_argument(
                "`additionalData` must not contain `_protocol` (the service's own key)",
            ));
        }
        let mut o = JsonObject::new();
        o.string("upload_type", self.upload_type.as_str());
        o.string("communication_protocol", "http");
        if let Some(t) = &self.templates {
            o.strings("templates", t);
        }
        let strings = [
            ("model", &self.model),
            ("transcript_language", &self.transcript_language),
            ("session_mode", &self.session_mode),
            ("session_id", &self.session_id),
        ];
        for (k, v) in strings {
            if let Some(v) = v {
                o.string(k, v);
            }
        }
        if let Some(l) = &self.language_hint {
            o.strings("language_hint", l);
        }
        if let Some(p) = &self.patient_details_json {
            o.raw("patient_details", p);
        }
        if let Some(a) = &self.additional_data_json {
            o.raw("additional_data", a);
        }
        Ok(o.finish())
    }
}

/// `POST {base}/voice/v1/sessions`, with `?version=v2` to ask for a presigned `upload_url`.
///
/// ```
/// use eka_voice::proto::{create_url, BaseUrl};
/// assert_eq!(create_url(&BaseUrl::default(), true), "https://api.eka.care/voice/v1/sessions?version=v2");
/// ```
pub fn create_url(base: &BaseUrl, presigned: bool) -> String {
    let mut url = String::from(base.as_str());
    url.push_str("/voice/v1/sessions");
    if presigned {
        url.push_str("?version=v2");
    }
    url
}

/// `POST {base}/voice/v1/sessions/{id}/end`.
///
/// ```
/// use eka_voice::proto::{end_url, BaseUrl};
/// assert_eq!(end_url(&BaseUrl::default(), "a/b").unwrap(), "https://api.eka.care/voice/v1/sessions/a%2Fb/end");
/// assert!(end_url(&BaseUrl::default(), ".").is_err());
/// ```
pub fn end_url(base: &BaseUrl, session_id: &str) -> Result<String, Error> {
    session_path_url(base, session_id, "/end")
}

/// The default audio endpoint of a session, when the caller has only its id:
/// `{base}/voice/v1/sessions/{id}/audio`.
pub fn default_upload_url(base: &BaseUrl, session_id: &str) -> Result<String, Error> {
    session_path_url(base, session_id, "/audio")
}

/// The End Session body: `{"audio_files_sent": n, "audio_files_uploaded": m}`.
///
/// ```
/// assert_eq!(eka_voice::proto::end_body(3, 2), r#"{"audio_files_sent":3,"audio_files_uploaded":2}"#);
/// ```
pub fn end_body(sent: u32, uploaded: u32) -> String {
    let mut o = JsonObject::new();
    o.number("audio_files_sent", u64::from(sent));
    o.number("audio_files_uploaded", u64::from(uploaded));
    o.finish()
}

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
    out.push(("Content-Type".into(), mime_of(format).into()));
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

/// The MIME type of a format, from the service's allow-list.
pub fn mime_of(format: AudioFormat) -> &'static str {
    match format {
        AudioFormat::Wav => "audio/wav",
        AudioFormat::Webm => "audio/webm;codecs=opus",
        AudioFormat::Ogg => "audio/ogg",
        AudioFormat::Mp3 => "audio/mp3",
        AudioFormat::M4a => "audio/m4a",
        AudioFormat::Mp4 => "audio/mp4",
    }
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

    /// The chunks that failed.
    pub fn failed(&self) -> &[String] {
        &self.failed
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

/// The phases `transcribe` reports through `onProgress`, in the order they come.
///
/// ```
/// use eka_voice::proto::Phase;
/// assert_eq!(Phase::ALL.map(Phase::as_str), ["creating", "uploading", "ending", "processing"]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Create Session is under way.
    Creating,
    /// Chunks are being uploaded (reported at the start and after each chunk).
    Uploading,
    /// End Session is under way.
    Ending,
    /// The service is processing (reported with each 202 snapshot).
    Processing,
}

impl Phase {
    /// Every phase, in order.
    pub const ALL: [Phase; 4] = [
        Phase::Creating,
        Phase::Uploading,
        Phase::Ending,
        Phase::Processing,
    ];

    /// The `phase` string of a progress event.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Creating => "creating",
            Phase::Uploading => "uploading",
            Phase::Ending => "ending",
            Phase::Processing => "processing",
        }
    }
}

/// How far the uploads of a `transcribe` are: chunks settled (uploaded or finally failed)
/// and bytes uploaded, against the totals when the input's size is known up front (an
/// array), so that a UI can draw a real progress bar.
///
/// ```
/// use eka_voice::proto::UploadProgress;
/// let mut p = UploadProgress::new(Some(2), Some(300));
/// p.settle(100, true);
/// assert_eq!((p.chunks_done, p.bytes_done, p.fraction()), (1, 100, Some(1.0 / 3.0)));
/// p.settle(200, false); // failed: settled, but its bytes did not arrive
/// assert_eq!((p.chunks_done, p.bytes_done), (2, 100));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UploadProgress {
    /// Chunks settled so far.
    pub chunks_done: u32,
    /// Chunks in all, when known.
    pub chunks_total: Option<u32>,
    /// Bytes uploaded so far.
    pub bytes_done: u64,
    /// Bytes in all, when known.
    pub bytes_total: Option<u64>,
}

impl UploadProgress {
    /// Nothing done yet, out of these totals.
    pub fn new(chunks_total: Option<u32>, bytes_total: Option<u64>) -> UploadProgress {
        UploadProgress {
            chunks_total,
            bytes_total,
            ..UploadProgress::default()
        }
    }

    /// One chunk of `bytes` settled: uploaded (`ok`) or finally failed.
    pub fn settle(&mut self, bytes: u64, ok: bool) {
        self.chunks_done = self.chunks_done.saturating_add(1);
        if ok {
            self.bytes_done = self.bytes_done.saturating_add(bytes);
        }
    }

    /// The share of the bytes uploaded, when the total is known (1.0 for an empty total).
    pub fn fraction(&self) -> Option<f64> {
        self.bytes_total.map(|t| {
            if t == 0 {
                1.0
            } else {
                self.bytes_done as f64 / t as f64
            }
        })
    }
}

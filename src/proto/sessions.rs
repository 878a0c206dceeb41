//! What a client remembers of the sessions it uploads to: where their audio goes (the
//! `upload_url` in any of its forms) and their [`UploadLedger`]. Forgotten at End Session.
//!
//! Rules:
//! - a session's state is created by Create Session or by its first upload, and removed
//!   when End Session succeeds;
//! - the table is bounded ([`MAX_SESSIONS`]): a script that creates sessions and never
//!   ends them must not grow the client's memory without end. When a new session would
//!   pass the bound, the entry touched longest ago WITHOUT an upload in flight is
//!   forgotten (an upload in flight is never forgotten, so nothing in progress is lost).
//!   A forgotten session is as one this client never saw: End Session then needs
//!   `audioFilesSent`, and uploads without an `index` count from 0 again.

use super::audio::{file_name, resolve_format, stored_name, AudioFormat};
use super::classify::Op;
use super::error::{Error, ErrorCode};
use super::upload::{
    check_presigned_url, default_upload_url, presigned_fields, raw_upload_url, UploadLedger,
};
use super::url::{check_session_id, BaseUrl};
use alloc::{string::String, string::ToString, vec::Vec};

/// How many sessions a client remembers at most (see the module docs).
pub const MAX_SESSIONS: usize = 4096;

/// Where a session's audio goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A string `upload_url`: `POST {url}/audio_<n>.<ext>`, raw body, bearer token.
    Raw(String),
    /// An object `upload_url`: multipart POST to `url` with `fields`, no token.
    Presigned {
        /// `uploadData.url`.
        url: String,
        /// `uploadData.fields`, in order.
        fields: Vec<(String, String)>,
    },
}

/// Where a presigned `upload_url` keeps its parts: `{"uploadData": {"url": "…", "fields":
/// {"key": "…", …}}}` (the service's presigned form: a storage URL and its form fields).
pub const PRESIGNED_KEYS: [&str; 3] = ["uploadData", "url", "fields"];

/// An `upload_url` as the IO layer read it from an answer (or from the caller's session
/// object), before any decision: the IO layer only reads the keys of [`PRESIGNED_KEYS`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UploadUrlRead {
    /// Absent (`undefined` or `null`).
    Absent,
    /// A string.
    Text(String),
    /// Anything else: `uploadData.url` when it is a string; `uploadData.fields`' entries,
    /// in order, each value when it is a string, when `fields` is an object.
    Other {
        /// `uploadData.url`.
        url: Option<String>,
        /// `uploadData.fields`.
        fields: Option<Vec<(String, Option<String>)>>,
    },
}

impl Target {
    /// The target an `upload_url` names (`None` when it is absent: the default endpoint);
    /// `invalid_response` when it is neither a URL nor a presigned upload whose fields
    /// are all strings.
    ///
    /// ```
    /// use eka_voice::proto::{Target, UploadUrlRead};
    /// assert_eq!(Target::from_read(UploadUrlRead::Absent), Ok(None));
    /// let t = Target::from_read(UploadUrlRead::Other {
    ///     url: Some("https://s3.example/b".into()),
    ///     fields: Some(vec![("key".into(), Some("a/${filename}".into()))]),
    /// });
    /// assert!(matches!(t, Ok(Some(Target::Presigned { .. }))));
    /// let bad = Target::from_read(UploadUrlRead::Other { url: None, fields: None });
    /// assert_eq!(bad.unwrap_err().code, eka_voice::proto::ErrorCode::InvalidResponse);
    /// ```
    pub fn from_read(read: UploadUrlRead) -> Result<Option<Target>, Error> {
        let refused = |m: &str| Error::new(ErrorCode::InvalidResponse, m);
        match read {
            UploadUrlRead::Absent => Ok(None),
            UploadUrlRead::Text(url) => Ok(Some(Target::Raw(url))),
            UploadUrlRead::Other {
                url: Some(url),
                fields: Some(fields),
            } => {
                let mut strings = Vec::with_capacity(fields.len());
                for (k, v) in fields {
                    let v = v.ok_or_else(|| refused("uploadData.fields must hold strings"))?;
                    strings.push((k, v));
                }
                Ok(Some(Target::Presigned {
                    url,
                    fields: strings,
                }))
            }
            UploadUrlRead::Other { .. } => Err(refused(
                "upload_url is neither a URL nor a presigned upload (uploadData.url, uploadData.fields)",
            )),
        }
    }
}

/// What a client remembers of a session it uploads to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionState {
    /// Where its audio goes, once known.
    pub target: Option<Target>,
    /// Its chunk numbers and outcomes.
    pub ledger: UploadLedger,
}

/// One chunk's upload, planned: its number, file name and request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadPlan {
    /// `n` of `audio_<n>.<ext>`.
    pub n: u32,
    /// `audio_<n>.<ext>`.
    pub name: String,
    /// The audio format (the presigned form's `Content-Type` field is its MIME type).
    pub format: AudioFormat,
    /// Where and how it is sent.
    pub request: UploadRequest,
}

/// How a chunk is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UploadRequest {
    /// `POST url` with the raw bytes and the bearer token ([`Op::UploadAudio`]).
    Raw {
        /// `{upload_url}/audio_<n>.<ext>`, on the base URL's origin.
        url: String,
    },
    /// A multipart `POST url` of `fields` then the file, without the token
    /// ([`Op::PresignedUpload`]).
    Presigned {
        /// `uploadData.url`.
        url: String,
        /// Every form field in order, `Content-Type` last (`${filename}` in `key` replaced
        /// by `object`).
        fields: Vec<(String, String)>,
        /// The object's name, `<n>.<ext>` ([`stored_name`]): the file part's file name too.
        object: String,
    },
}

impl UploadRequest {
    /// The operation whose answers are classified (and whether the token goes along:
    /// [`Op::sends_token`]).
    pub fn op(&self) -> Op {
        match self {
            UploadRequest::Raw { .. } => Op::UploadAudio,
            UploadRequest::Presigned { .. } => Op::PresignedUpload,
        }
    }
}

impl SessionState {
    /// Plans the upload of one chunk of session `id`: its format (`format`, else the
    /// Blob's `mime`, else the bytes of `head`), its number (`index`, else the next one)
    /// and where it goes (`given`, which becomes the session's target, else the target
    /// Create Session answered, else the default endpoint under `base`). A target that
    /// cannot be used (a string `upload_url` on another origin, a presigned URL that is not
    /// https) is `invalid_response`, and nothing is counted.
    ///
    /// ```
    /// use eka_voice::proto::{BaseUrl, SessionState, UploadRequest};
    /// let mut s = SessionState::default();
    /// let plan = s.plan_upload(&BaseUrl::default(), "ses_1", None, None, None, None, b"OggS").unwrap();
    /// assert_eq!(plan.name, "audio_0.ogg");
    /// assert_eq!(plan.request, UploadRequest::Raw { url: "https://api.eka.care/voice/v1/sessions/ses_1/audio/audio_0.ogg".into() });
    /// ```
    #[allow(clippy::too_many_arguments)]
    pub fn plan_upload(
        &mut self,
        base: &BaseUrl,
        id: &str,
        given: Option<Target>,
        index: Option<u32>,
        format: Option<&str>,
        mime: Option<&str>,
        head: &[u8],
    ) -> Result<UploadPlan, Error> {
        check_session_id(id)?;
        let n = self.ledger.reserve(index)?;
        self.plan_reserved(base, id, given, n, format, mime, head)
    }

    /// Plans the upload of chunk `n`, whose number was reserved when the upload was asked
    /// for ([`UploadLedger::reserve`]), before its bytes were read; see
    /// [`plan_upload`](Self::plan_upload). When it cannot be planned, the number is
    /// released and nothing is counted.
    #[allow(clippy::too_many_arguments)]
    pub fn plan_reserved(
        &mut self,
        base: &BaseUrl,
        id: &str,
        given: Option<Target>,
        n: u32,
        format: Option<&str>,
        mime: Option<&str>,
        head: &[u8],
    ) -> Result<UploadPlan, Error> {
        let planned = self.plan(base, id, given, n, format, mime, head);
        if planned.is_err() {
            // Refused before sending: the number is free again, nothing was sent.
            self.ledger.release(n);
        }
        planned
    }

    #[allow(clippy::too_many_arguments)]
    fn plan(
        &mut self,
        base: &BaseUrl,
        id: &str,
        given: Option<Target>,
        n: u32,
        format: Option<&str>,
        mime: Option<&str>,
        head: &[u8],
    ) -> Result<UploadPlan, Error> {
        check_session_id(id)?;
        let format = resolve_format(format, mime, head)?;
        if given.is_some() {
            self.target = given;
        }
        let target = match &self.target {
            Some(t) => t.clone(),
            None => Target::Raw(default_upload_url(base, id)?),
        };
        let name = file_name(n, format);
        let request = match target {
            Target::Raw(upload_url) => UploadRequest::Raw {
                url: raw_upload_url(base, &upload_url, &name)?,
            },
            Target::Presigned { url, fields } => {
                check_presigned_url(&url)?;
                let object = stored_name(n, format);
                UploadRequest::Presigned {
                    url,
                    fields: presigned_fields(&fields, &object, format),
                    object,
                }
            }
        };
        Ok(UploadPlan {
            n,
            name,
            format,
            request,
        })
    }

    /// Records how a planned upload ended: uploaded (`ok`) or failed after its retries.
    pub fn settle(&mut self, plan: &UploadPlan, ok: bool) {
        self.ledger.settle(plan.n, &plan.name, ok);
    }
}

/// The per-session state of one client, bounded by [`MAX_SESSIONS`] (see the module
/// docs). A list, not a map: lookups are rare (one per upload) and a map costs wasm size.
///
/// ```
/// use eka_voice::proto::{AudioFormat, Sessions};
/// let mut t = Sessions::default();
/// t.with("s1", |s| s.ledger.assign(None, AudioFormat::Wav).unwrap());
/// assert_eq!(t.peek("s1", |s| s.ledger.in_flight()), Some(1));
/// t.remove("s1");
/// assert_eq!(t.len(), 0);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Sessions {
    list: Vec<(String, u64, SessionState)>,
    clock: u64,
    capacity: Option<usize>,
}

impl Sessions {
    /// A table that remembers at most `capacity` sessions (at least 1).
    pub fn with_capacity(capacity: usize) -> Sessions {
        Sessions {
            capacity: Some(capacity.max(1)),
            ..Sessions::default()
        }
    }

    /// Runs `f` on the state of session `id`, created when missing (which may forget the
    /// stalest idle session, see the module docs).
    pub fn with<R>(&mut self, id: &str, f: impl FnOnce(&mut SessionState) -> R) -> R {
        f(self.entry(id))
    }

    /// The state of session `id`, created when missing (not generic: one copy in the wasm).
    fn entry(&mut self, id: &str) -> &mut SessionState {
        self.clock += 1;
        let i = match self.list.iter().position(|(k, _, _)| k == id) {
            Some(i) => i,
            None => {
                self.make_room();
                self.list.push((id.to_string(), 0, SessionState::default()));
                self.list.len() - 1
            }
        };
        let entry = &mut self.list[i];
        entry.1 = self.clock;
        &mut entry.2
    }

    /// Runs `f` on the state of session `id`, when there is one.
    pub fn peek<R>(&self, id: &str, f: impl FnOnce(&SessionState) -> R) -> Option<R> {
        self.list
            .iter()
            .find(|(k, _, _)| k == id)
            .map(|(_, _, s)| f(s))
    }

    /// Forgets session `id`.
    pub fn remove(&mut self, id: &str) {
        self.list.retain(|(k, _, _)| k != id);
    }

    /// How many sessions are remembered.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether no session is remembered.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Forgets idle sessions, stalest first, until one more fits (or none is idle).
    fn make_room(&mut self) {
        while self.list.len() >= self.capacity.unwrap_or(MAX_SESSIONS) {
            // `touched` values are unique: the stalest idle entry is the one with the least.
            let stalest = self
                .list
                .iter()
                .filter(|(_, _, s)| s.ledger.in_flight() == 0)
                .map(|(_, touched, _)| *touched)
                .min();
            match stalest {
                Some(t) => self.list.retain(|(_, touched, _)| *touched != t),
                None => return,
            }
        }
    }
}

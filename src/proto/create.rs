//! Create Session (`POST /voice/v1/sessions`): its body and URL.
//!
//! Rules:
//! - the body uses the API's snake_case names; `communication_protocol` is always `"http"`
//!   (chunked and single uploads);
//! - a client-chosen `session_id` has 16–32 characters; `additional_data` is a JSON object
//!   of at most 4 KB without `_protocol` (the service's own key);
//! - `?version=v2` asks for the presigned form of `upload_url`.

use super::error::Error;
use super::json::JsonObject;
use super::url::BaseUrl;
use alloc::{string::String, vec::Vec};

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
    /// `language_hint`: language codes, e.g. `["en"]`, `["en", "hi"]`. The provider's own
    /// server requires at least one on create and takes `en`, `hi`, `en-hi` (it refuses
    /// `["auto_detect"]`, which its OpenAPI document suggests: not advertised here); its
    /// 400 message names what it takes and reaches the error's message.
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
    /// Whether to ask for the presigned form of `upload_url` (`?version=v2`; not in the
    /// body). Not by default: raw uploads to the service's own endpoint.
    pub presigned: bool,
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
        self.check()?;
        Ok(self.write())
    }

    /// Checks the rules of this module.
    fn check(&self) -> Result<(), Error> {
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
        Ok(())
    }

    /// The body, in the API's snake_case.
    fn write(&self) -> String {
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
        o.finish()
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
    url.push_str(super::ops::Op::CreateSession.row().path);
    if presigned {
        url.push_str("?version=v2");
    }
    url
}

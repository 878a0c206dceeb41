//! Typed views of the API's session bodies, for Rust/wasm users (the JS API hands out the
//! parsed objects themselves and never uses these).
//!
//! [`session_from_js`] reads a session body (what `poll_session` / `get_session` read for
//! the caller, or any JS session object) into a [`Session`] with
//! serde-wasm-bindgen, straight from the JS object: no JSON text is involved, and each
//! template's `data` stays the JS value the API sent (`serde_wasm_bindgen::preserve`), so a
//! large document is not converted at all unless the caller asks for it. Every field the
//! API documents as optional or nullable is an `Option` or defaults to empty; `templates`
//! accepts the `{}` form of expired sessions; unknown fields are ignored here (they stay on
//! the JS object).
//!
//! ```ignore
//! let session = client.poll_session("ses_1", PollOptions::default(), &|_| {}).await?;
//! for d in session.documents() {
//!     match d.data() {
//!         DocumentData::Markdown(text) => render_markdown(&text),
//!         DocumentData::Json(object) => render_form(&object),
//!         DocumentData::None => {}
//!     }
//! }
//! ```

use alloc::{string::String, string::ToString, vec::Vec};
use js_sys::{Array, Object};
use serde::de::Deserializer;
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};

use crate::proto::{Error, ErrorCode, SessionStatus};

/// A timestamp: RFC 3339 text, or epoch seconds on some deployments.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Timestamp {
    /// `2026-06-06T14:21:07Z`.
    Text(String),
    /// Seconds since the epoch.
    Epoch(f64),
}

/// A session, in any state.
#[derive(Clone, Debug, Deserialize)]
pub struct Session {
    /// `session_id`.
    pub session_id: String,
    /// `status` as sent (see [`Session::state`]).
    pub status: String,
    /// The HTTP status of the answer (added by this client).
    #[serde(default)]
    pub http_status: Option<u16>,
    /// `created_at`.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// `completed_at`.
    #[serde(default)]
    pub completed_at: Option<Timestamp>,
    /// `transcript`.
    #[serde(default)]
    pub transcript: Option<String>,
    /// `model_used`.
    #[serde(default)]
    pub model_used: Option<String>,
    /// `language_detected`.
    #[serde(default)]
    pub language_detected: Option<String>,
    /// `audio_files`.
    #[serde(default)]
    pub audio_files: Vec<String>,
    /// `audio_files_received`.
    #[serde(default)]
    pub audio_files_received: Option<u32>,
    /// `templates`, one entry per document (empty for the `{}` form).
    #[serde(default, deserialize_with = "templates")]
    pub templates: Vec<SessionDocument>,
    /// `processing_errors` of a partial session.
    #[serde(default)]
    pub processing_errors: Vec<ProcessingError>,
    /// `error` of a failed session.
    #[serde(default)]
    pub error: Option<ServiceError>,
    /// `missing_chunks` of a `transcribe` that went on with some chunks missing.
    #[serde(default)]
    pub missing_chunks: Vec<String>,
}

impl Session {
    /// The status as a known state; `None` for a status this client does not know.
    pub fn state(&self) -> Option<SessionStatus> {
        SessionStatus::parse(&self.status)
    }

    /// Every document, in the API's order (the JS `documents(session)`); empty for a
    /// session without documents.
    pub fn documents(&self) -> &[SessionDocument] {
        &self.templates
    }

    /// The document of one template (the JS `findDocument(session, templateId)`).
    pub fn find_document(&self, template_id: &str) -> Option<&SessionDocument> {
        self.templates.iter().find(|d| d.template_id == template_id)
    }
}

/// One generated document: an entry of `templates`, flattened (the JS `SessionDocument`).
#[derive(Clone, Debug)]
pub struct SessionDocument {
    /// The template id (the entry's only key).
    pub template_id: String,
    /// `status`: `success`, `partial_success`, `failure`, `in-progress`, …
    pub status: String,
    /// `document_id`.
    pub document_id: Option<String>,
    /// `document_type`.
    pub document_type: Option<String>,
    /// `data` exactly as the API sent it (a JS object or string).
    pub raw_data: JsValue,
}

/// A template's `data`, by form.
#[derive(Clone, Debug)]
pub enum DocumentData {
    /// Markdown text (custom templates).
    Markdown(String),
    /// Structured JSON (integration templates), the parsed JS object.
    Json(JsValue),
    /// Absent or `null`.
    None,
}

impl SessionDocument {
    /// `data` when it is markdown text.
    pub fn markdown(&self) -> Option<String> {
        self.raw_data.as_string()
    }

    /// Whether generating this document failed (`status == "failure"`).
    pub fn failed(&self) -> bool {
        self.status == "failure"
    }

    /// `data` by form.
    pub fn data(&self) -> DocumentData {
        if let Some(text) = self.raw_data.as_string() {
            DocumentData::Markdown(text)
        } else if self.raw_data.is_object() {
            DocumentData::Json(self.raw_data.clone())
        } else {
            DocumentData::None
        }
    }
}

/// An entry of `processing_errors`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct ProcessingError {
    /// `type`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// `message`.
    #[serde(default)]
    pub message: Option<String>,
    /// `file`.
    #[serde(default)]
    pub file: Option<String>,
}

/// The `error` of a failed session.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct ServiceError {
    /// `code`.
    #[serde(default)]
    pub code: Option<String>,
    /// `message`.
    #[serde(default)]
    pub message: Option<String>,
}

#[derive(Deserialize)]
struct RawDocument {
    #[serde(default)]
    status: String,
    #[serde(default)]
    document_id: Option<String>,
    #[serde(default)]
    document_type: Option<String>,
    #[serde(default = "undefined", with = "serde_wasm_bindgen::preserve")]
    data: JsValue,
}

fn undefined() -> JsValue {
    JsValue::UNDEFINED
}

/// `templates` as sent: a list of one-key objects, or `{}` (then no templates). Read
/// from the JS value itself, so that each `data` stays the object the API sent.
fn templates<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<SessionDocument>, D::Error> {
    let raw: JsValue = serde_wasm_bindgen::preserve::deserialize(d)?;
    let Some(list) = raw.dyn_ref::<Array>() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for entry in list.iter() {
        let Some(entry) = entry.dyn_ref::<Object>() else {
            return Err(serde::de::Error::custom(
                "a templates entry is not an object",
            ));
        };
        for pair in Object::entries(entry).iter() {
            let pair: Array = pair.unchecked_into();
            let doc: RawDocument =
                serde_wasm_bindgen::from_value(pair.get(1)).map_err(serde::de::Error::custom)?;
            out.push(SessionDocument {
                template_id: pair.get(0).as_string().unwrap_or_default(),
                status: doc.status,
                document_id: doc.document_id,
                document_type: doc.document_type,
                raw_data: doc.data,
            });
        }
    }
    Ok(out)
}

/// Reads a session body (a result of `poll` / `get`, or a progress snapshot) into a
/// [`Session`]. A body that does not fit is an `invalid_response` error.
pub fn session_from_js(value: &JsValue) -> Result<Session, Error> {
    serde_wasm_bindgen::from_value(value.clone()).map_err(|e| {
        let mut m = String::from("the body does not read as a session: ");
        m.push_str(&e.to_string());
        Error::new(ErrorCode::InvalidResponse, m)
    })
}

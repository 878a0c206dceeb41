//! What a client remembers of the sessions it uploads to: where their audio goes (the
//! `upload_url` in any of its forms) and their upload ledger. Forgotten at End Session.

use alloc::{string::String, string::ToString, vec::Vec};
use core::cell::RefCell;

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use crate::proto::{Error, ErrorCode, UploadLedger};

/// Where a session's audio goes.
#[derive(Clone, Debug)]
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

/// What a client remembers of a session it uploads to.
#[derive(Default)]
pub struct SessionState {
    /// Where its audio goes, once known.
    pub target: Option<Target>,
    /// Its chunk numbers and outcomes.
    pub ledger: UploadLedger,
}

/// Per-session upload state of one client (forgotten at End Session). A short list: a
/// client uploads to a few sessions at a time, and a map would cost wasm size.
#[derive(Default)]
pub struct Sessions(RefCell<Vec<(String, SessionState)>>);

impl Sessions {
    /// Runs `f` on the state of session `id`, created when missing.
    pub fn with<R>(&self, id: &str, f: impl FnOnce(&mut SessionState) -> R) -> R {
        let mut list = self.0.borrow_mut();
        let i = match list.iter().position(|(k, _)| k == id) {
            Some(i) => i,
            None => {
                list.push((id.to_string(), SessionState::default()));
                list.len() - 1
            }
        };
        f(&mut list[i].1)
    }

    /// Runs `f` on the state of session `id`, when there is one.
    pub fn peek<R>(&self, id: &str, f: impl FnOnce(&SessionState) -> R) -> Option<R> {
        self.0
            .borrow()
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, s)| f(s))
    }

    /// Forgets session `id`.
    pub fn remove(&self, id: &str) {
        self.0.borrow_mut().retain(|(k, _)| k != id);
    }
}

/// Reads `upload_url` in any of its forms.
pub fn target_of(upload_url: &JsValue) -> Result<Option<Target>, Error> {
    let t = super::js::upload_target(upload_url).map_err(|e| {
        Error::new(
            ErrorCode::InvalidResponse,
            e.as_string().unwrap_or_default(),
        )
    })?;
    if let Some(url) = t.as_string() {
        return Ok(Some(Target::Raw(url)));
    }
    let Some(flat) = t.dyn_ref::<Array>() else {
        return Ok(None);
    };
    let mut strings = flat.iter().map(|v| v.as_string().unwrap_or_default());
    let url = strings.next().unwrap_or_default();
    let mut fields = Vec::new();
    while let (Some(k), Some(v)) = (strings.next(), strings.next()) {
        fields.push((k, v));
    }
    Ok(Some(Target::Presigned { url, fields }))
}

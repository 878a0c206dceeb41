//! What a client remembers of the sessions it uploads to: where their audio goes (the
//! `upload_url` in any of its forms) and their upload ledger. Forgotten at End Session.

use alloc::{string::String, string::ToString, vec::Vec};
use core::cell::RefCell;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::proto::{Error, ErrorCode, UploadLedger};

fn bad_response(message: &str) -> Error {
    Error::new(ErrorCode::InvalidResponse, message)
}

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
    if upload_url.is_undefined() || upload_url.is_null() {
        return Ok(None);
    }
    if let Some(s) = upload_url.as_string() {
        return Ok(Some(Target::Raw(s)));
    }
    let data = Reflect::get(upload_url, &"uploadData".into()).unwrap_or(JsValue::UNDEFINED);
    let url = Reflect::get(&data, &"url".into())
        .ok()
        .and_then(|u| u.as_string());
    let fields = Reflect::get(&data, &"fields".into())
        .ok()
        .filter(|f| f.is_object());
    let (Some(url), Some(fields)) = (url, fields) else {
        return Err(bad_response("upload_url is neither a URL nor a presigned upload (uploadData.url, uploadData.fields)"));
    };
    let mut list = Vec::new();
    for entry in Object::entries(fields.unchecked_ref()).iter() {
        let pair: Array = entry.unchecked_into();
        let (k, v) = (pair.get(0).as_string(), pair.get(1).as_string());
        match (k, v) {
            (Some(k), Some(v)) => list.push((k, v)),
            _ => return Err(bad_response("uploadData.fields must hold strings")),
        }
    }
    Ok(Some(Target::Presigned { url, fields: list }))
}

//! What a client remembers of the sessions it uploads to (the core's bounded
//! [`proto::Sessions`](crate::proto::Sessions), behind a `RefCell`), and the reading of
//! an `upload_url` from JS.

use alloc::vec::Vec;
use core::cell::RefCell;

use wasm_bindgen::JsValue;

use crate::proto::{Error, ErrorCode, SessionState, Target};

/// The per-session state of one client (see [`crate::proto::sessions`]).
#[derive(Default)]
pub struct Sessions(RefCell<crate::proto::Sessions>);

impl Sessions {
    /// Runs `f` on the state of session `id`, created when missing.
    pub fn with<R>(&self, id: &str, f: impl FnOnce(&mut SessionState) -> R) -> R {
        self.0.borrow_mut().with(id, f)
    }

    /// Runs `f` on the state of session `id`, when there is one.
    pub fn peek<R>(&self, id: &str, f: impl FnOnce(&SessionState) -> R) -> Option<R> {
        self.0.borrow().peek(id, f)
    }

    /// Forgets session `id`.
    pub fn remove(&self, id: &str) {
        self.0.borrow_mut().remove(id);
    }
}

/// Reads `upload_url` in any of its forms: `None` when absent, an `invalid_response`
/// error when it is neither a string nor a presigned object.
pub fn target_of(upload_url: &JsValue) -> Result<Option<Target>, Error> {
    let t = super::js::upload_target(upload_url).map_err(|e| {
        Error::new(
            ErrorCode::InvalidResponse,
            e.as_string()
                .unwrap_or_else(|| "upload_url could not be read".into()),
        )
    })?;
    let Some(t) = t else {
        return Ok(None);
    };
    let Some(flat) = t.fields() else {
        return Ok(Some(Target::Raw(t.url())));
    };
    let mut strings = flat.iter().map(|v| v.as_string().unwrap_or_default());
    let mut fields = Vec::new();
    while let (Some(k), Some(v)) = (strings.next(), strings.next()) {
        fields.push((k, v));
    }
    Ok(Some(Target::Presigned {
        url: t.url(),
        fields,
    }))
}

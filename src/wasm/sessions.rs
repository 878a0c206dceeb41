//! What a client remembers of the sessions it uploads to (the core's bounded
//! [`proto::Sessions`](crate::proto::Sessions), behind a `RefCell`), and the reading of
//! an `upload_url` from JS.

use alloc::vec::Vec;
use core::cell::RefCell;

use wasm_bindgen::JsValue;

use alloc::string::String;
use js_sys::Reflect;

use super::js::get;

use crate::proto::{Error, SessionState, Target, UploadUrlRead, PRESIGNED_KEYS};

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

/// Reads `upload_url` in any of its forms — only the keys the core names
/// ([`PRESIGNED_KEYS`]), through `Reflect` (what a caller's object throws reads as absent) —
/// and lets the core decide ([`Target::from_read`]).
pub fn target_of(upload_url: &JsValue) -> Result<Option<Target>, Error> {
    let read = if upload_url.is_undefined() || upload_url.is_null() {
        UploadUrlRead::Absent
    } else if let Some(url) = upload_url.as_string() {
        UploadUrlRead::Text(url)
    } else {
        let [data, url, fields] = PRESIGNED_KEYS;
        let data = get(upload_url, data);
        UploadUrlRead::Other {
            url: get(&data, url).as_string(),
            fields: entries(&get(&data, fields)),
        }
    };
    Target::from_read(read)
}

/// An object's own string keys (symbols skipped) and their values (each when a string), in order; `None`
/// when it is not an object or cannot be read.
fn entries(o: &JsValue) -> Option<Vec<(String, Option<String>)>> {
    if !o.is_object() {
        return None;
    }
    let keys = Reflect::own_keys(o).ok()?;
    let mut out = Vec::new();
    for key in keys.iter() {
        let Some(name) = key.as_string() else {
            continue; // a symbol
        };
        let value = get(o, &name).as_string();
        out.push((name, value));
    }
    Some(out)
}

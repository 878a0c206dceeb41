//! The client's kept Discovery answer: `getDiscovery` answers from it while it is fresh (a
//! copy each time), and a create is checked against it. How long it is kept and what is
//! checked are the core's rules (`proto::discovery`); this holds the answer and reads its
//! lists (bounded: at most 64 models and 64 languages, none over the field limit).

use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use super::js::{self, get};
use crate::proto::discovery::Offer;
use crate::proto::{CreateSession, Error, MAX_FIELD_CHARS};

/// The most models, and languages per list, read from an answer.
const MAX_ITEMS: u32 = 64;

/// A kept answer: its body, until when it is fresh (ms), what it offers.
struct Kept {
    body: JsValue,
    until: u64,
    offer: Offer,
}

/// A client's kept Discovery answer (none until a `getDiscovery` whose answer may be kept).
#[derive(Default)]
pub struct KeptDiscovery(RefCell<Option<Kept>>);

impl KeptDiscovery {
    /// `f` of the kept answer, while it is fresh at `now`.
    fn fresh<R>(&self, now: u64, f: impl FnOnce(&Kept) -> R) -> Option<R> {
        self.0.borrow().as_ref().filter(|k| now < k.until).map(f)
    }

    /// A copy of the kept answer, while it is fresh at `now`.
    pub fn answer(&self, now: u64) -> Option<JsValue> {
        self.fresh(now, |k| js::copy(&k.body))
    }

    /// Keeps (a copy of) `body` for `max_age_ms` from `now` (0: forgets what was kept).
    pub fn keep(&self, body: &JsValue, max_age_ms: u64, now: u64) {
        *self.0.borrow_mut() = (max_age_ms > 0).then(|| Kept {
            body: js::copy(body),
            until: now.saturating_add(max_age_ms),
            offer: offer_of(body),
        });
    }

    /// Checks a create against the kept answer, while it is fresh at `now` (else: nothing).
    pub fn check(&self, req: &CreateSession, now: u64) -> Result<(), Error> {
        let hint = req.language_hint.as_deref().unwrap_or(&[]);
        let checked = self.fresh(now, |k| k.offer.check(req.model.as_deref(), hint));
        checked.unwrap_or(Ok(()))
    }
}

/// What an answer offers: `models[].id` with `models[].languages`, `languages.supported`.
fn offer_of(body: &JsValue) -> Offer {
    let mut offer = Offer {
        models: Vec::new(),
        languages: strings(&get(&get(body, "languages"), "supported")),
    };
    for_items(&get(body, "models"), |m| {
        if let Some(id) = js::field(&m, "id", None, None, MAX_FIELD_CHARS as u32) {
            offer.models.push((id, strings(&get(&m, "languages"))));
        }
    });
    offer
}

/// Calls `f` with each of the first [`MAX_ITEMS`] items of `v` when it is an array.
fn for_items(v: &JsValue, mut f: impl FnMut(JsValue)) {
    if let Some(a) = v.dyn_ref::<Array>() {
        for i in 0..a.length().min(MAX_ITEMS) {
            f(a.get(i));
        }
    }
}

/// The strings among the first [`MAX_ITEMS`] items of `v` (none longer than the field
/// limit: no language code is).
fn strings(v: &JsValue) -> Vec<String> {
    let mut out = Vec::new();
    for_items(v, |s| {
        if let Some(s) = s.as_string().filter(|s| s.len() <= MAX_FIELD_CHARS) {
            out.push(s);
        }
    });
    out
}

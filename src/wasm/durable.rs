//! The store of a durable transcription (a recording's: `recorder.transcribe`,
//! `resumeTranscription`, or any app's own): the caller's `durable` hooks, and the
//! performing of the core's storage actions through them (`Store`, `Load`, `Drop`, `Save`,
//! `Forget`). What to store, when, and what a failure means is the core's
//! ([`Transcriber`]); this only calls the hooks.

use alloc::vec::Vec;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::chunk;
use super::errors::Failure;
use super::js;
use crate::proto::{Error, TranscribeAction, Transcriber};

/// The hooks a `durable` object must have, in this order:
/// - `putChunk(index, bytes, state)`: store chunk `index` AND the state that counts it, in
///   one transaction; reject when it could not be stored (a full disk);
/// - `getChunk(index)`: the stored bytes of chunk `index` (a Blob, ArrayBuffer or view),
///   or `undefined` when there are none;
/// - `dropChunk(index)`: the service has chunk `index`: its stored bytes may go;
/// - `save(state)`: store the state (an opaque string: store it as it is);
/// - `forget()`: the transcription is over: remove what is stored of it.
pub const DURABLE_HOOKS: [&str; 5] = ["putChunk", "getChunk", "dropChunk", "save", "forget"];

/// The caller's hooks, read once.
pub struct Durable {
    hooks: Vec<Function>,
    /// The chunks' bodies, kept until the service has them (a retry sends them again).
    bodies: Vec<(u32, JsValue)>,
}

impl Durable {
    /// Reads the hooks of a `durable` option (each once); a missing one is
    /// `invalid_argument`.
    pub fn read(o: &JsValue) -> Result<Durable, Error> {
        let names: Array = DURABLE_HOOKS.iter().map(|n| JsValue::from_str(n)).collect();
        let fns = js::hook_fns(o, &names).map_err(|m| {
            Error::invalid_argument(
                m.as_string()
                    .unwrap_or_else(|| "durable: unreadable".into()),
            )
        })?;
        Ok(Durable {
            hooks: fns.iter().map(|f| f.unchecked_into()).collect(),
            bodies: Vec::new(),
        })
    }

    /// Calls hook `i` with up to three arguments: what it resolves with, or what it threw.
    async fn call(
        &self,
        i: usize,
        a: JsValue,
        b: &JsValue,
        c: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let p: Promise = js::call_hook(&self.hooks[i], &a, b, c);
        JsFuture::from(p).await
    }

    /// Keeps chunk `n`'s body until the service has it.
    pub fn keep(&mut self, n: u32, body: JsValue) {
        self.bodies.push((n, body));
    }

    /// Chunk `n`'s body, when kept.
    pub fn body(&self, n: u32) -> JsValue {
        self.bodies
            .iter()
            .find(|(m, _)| *m == n)
            .map(|(_, b)| b.clone())
            .unwrap_or(JsValue::UNDEFINED)
    }

    /// Performs a storage action of the machine; `false` when `action` is none.
    pub async fn perform(
        &mut self,
        m: &mut Transcriber,
        action: &TranscribeAction,
        now: impl Fn() -> u64,
    ) -> Result<bool, Failure> {
        let none = JsValue::UNDEFINED;
        match action {
            TranscribeAction::Store { n, state } => {
                let body = self.body(*n);
                let stored = self
                    .call(0, (*n).into(), &body, &JsValue::from_str(state))
                    .await;
                m.on_stored(*n, stored.is_ok());
            }
            TranscribeAction::Load { n } => {
                let found = self.call(1, (*n).into(), &none, &none).await;
                self.load(m, *n, found.unwrap_or(JsValue::UNDEFINED), now())
                    .await;
            }
            TranscribeAction::Drop { n } => {
                self.bodies.retain(|(m, _)| m != n);
                let _ = self.call(2, (*n).into(), &none, &none).await;
            }
            TranscribeAction::Save { state } => {
                let _ = self.call(3, JsValue::from_str(state), &none, &none).await;
            }
            TranscribeAction::Forget => {
                let _ = self.call(4, none.clone(), &none, &none).await;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// A stored chunk read back (resuming): taken and told to the machine.
    async fn load(&mut self, m: &mut Transcriber, n: u32, value: JsValue, now: u64) {
        if value.is_undefined() || value.is_null() {
            return m.on_loaded(now, n, None);
        }
        let read = match chunk::take(&value) {
            Ok(taken) => taken.read().await,
            Err(e) => Err(e),
        };
        match read {
            Ok(c) => {
                m.on_loaded(now, n, Some((c.size, c.mime.as_deref(), &c.head)));
                self.keep(n, c.body);
            }
            Err(_) => m.on_loaded(now, n, None),
        }
    }
}

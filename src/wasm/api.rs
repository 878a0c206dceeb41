//! The `#[wasm_bindgen]` exports: `VoiceClient`, `pollSession`, `getSession` and the
//! `VoiceApiError` class. Every promise-returning export reports bad arguments by
//! rejecting (never by throwing); the `VoiceClient` constructor throws.

use alloc::rc::Rc;
use alloc::{boxed::Box, string::String, string::ToString};

use core::future::Future;
use core::pin::Pin;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use wasm_bindgen_futures::future_to_promise;

use super::abort::AbortWatch;
use super::chunk;
use super::client::Client;
use super::errors;
use super::lifecycle::UploadOptions;
use super::options::{
    call_options, client_options, create_options, read, ClientOptions, PollOptions, CALL_LEN,
    CLIENT, CLIENT_LEN, CREATE_LEN,
};
use super::transcribe::TranscribeOptions;
use crate::proto::{check_session_id, Error};

/// A Voice API client. JS: `new VoiceClient({ baseUrl?, token?, getToken? })`.
///
/// Rust/wasm users build it with [`VoiceClient::with_options`] and call
/// [`VoiceClient::poll`] / [`VoiceClient::get`].
#[wasm_bindgen]
pub struct VoiceClient {
    inner: Rc<Client>,
}

#[wasm_bindgen]
impl VoiceClient {
    /// `new VoiceClient(options?)`; throws a `VoiceApiError` (`invalid_argument`) for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<VoiceClient, JsValue> {
        let v = read(&options, CLIENT).map_err(|e| errors::without_body(&e, None))?;
        VoiceClient::with_options(client_options(&v, 0))
    }

    /// `client.getSession(sessionId, { templateId?, documentId?, signal?, requestTimeoutMs? })`:
    /// one request, resolves with the session in any state (202 bodies included).
    #[wasm_bindgen(js_name = getSession)]
    pub fn get_session_js(&self, session_id: JsValue, options: JsValue) -> Promise {
        self.start(session_id, &options, true)
    }

    /// `client.pollSession(sessionId, options?)`: polls while 202, resolves on 200/206/410.
    #[wasm_bindgen(js_name = pollSession)]
    pub fn poll_session_js(&self, session_id: JsValue, options: JsValue) -> Promise {
        self.start(session_id, &options, false)
    }

    /// `client.createSession(options?)`: `POST /voice/v1/sessions`.
    #[wasm_bindgen(js_name = createSession)]
    pub fn create_session_js(&self, options: JsValue) -> Promise {
        let parsed = read(&options, concat!(spec!(create), " ", spec!(call))).and_then(|v| {
            let (req, presigned) = create_options(&v, 0)?;
            Ok((req, presigned, call_options(&v, CREATE_LEN, None)))
        });
        match parsed {
            Ok((req, presigned, call)) => {
                let inner = self.inner.clone();
                spawn(async move {
                    let abort = AbortWatch::new(call.signal.clone());
                    inner.create(&req, presigned, &call, &abort).await
                })
            }
            Err(e) => reject(&e, None),
        }
    }

    /// `client.uploadAudio(session | sessionId, chunk, { index?, format?, signal? })`.
    #[wasm_bindgen(js_name = uploadAudio)]
    pub fn upload_audio_js(&self, session: JsValue, chunk: JsValue, options: JsValue) -> Promise {
        let parsed =
            read(&options, concat!("nindex sformat ", spec!(call))).map(|v| UploadOptions {
                index: v.count(0),
                format: v.string(1),
                call: call_options(&v, 2, None),
            });
        let o = match parsed {
            Ok(o) => o,
            Err(e) => return reject(&e, session.as_string().as_deref()),
        };
        // The session and the chunk are read now, once: the caller may reuse them.
        let (id, target) = match Client::upload_session(&session) {
            Ok(s) => s,
            Err((_, e)) => return Promise::reject(&e),
        };
        let taken = chunk::take(&chunk);
        let inner = self.inner.clone();
        spawn(async move {
            let abort = AbortWatch::new(o.call.signal.clone());
            inner
                .upload(&id, target, taken, &o, &abort)
                .await
                .map_err(|(_, e)| e)
        })
    }

    /// `client.endSession(sessionId, { audioFilesSent?, audioFilesUploaded?, signal? })`.
    #[wasm_bindgen(js_name = endSession)]
    pub fn end_session_js(&self, session_id: JsValue, options: JsValue) -> Promise {
        let spec = concat!("naudioFilesSent naudioFilesUploaded ", spec!(call));
        let parsed = read(&options, spec).and_then(|v| {
            let id = checked_id(&session_id)?;
            Ok((id, v.count(0), v.count(1), call_options(&v, 2, None)))
        });
        match parsed {
            Ok((id, sent, uploaded, call)) => {
                let inner = self.inner.clone();
                spawn(async move {
                    let abort = AbortWatch::new(call.signal.clone());
                    inner.end(&id, sent, uploaded, &call, &abort).await
                })
            }
            Err(e) => reject(&e, session_id.as_string().as_deref()),
        }
    }

    /// `client.transcribe(chunks, options?)`: create → upload → end → poll.
    pub fn transcribe(&self, chunks: JsValue, options: JsValue) -> Promise {
        match TranscribeOptions::read(&options) {
            Ok(o) => spawn(self.inner.clone().transcribe(chunks, o)),
            Err(e) => reject(&e, None),
        }
    }
}

/// Turns a call into a Promise. Every export goes through this one (boxed, type-erased)
/// instantiation of `future_to_promise`: one copy of the executor glue in the wasm.
fn spawn(call: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    let boxed: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>> = Box::pin(call);
    future_to_promise(boxed)
}

fn reject(e: &Error, session_id: Option<&str>) -> Promise {
    Promise::reject(&errors::without_body(e, session_id))
}

impl VoiceClient {
    /// A client from Rust-side options.
    pub fn with_options(o: ClientOptions) -> Result<VoiceClient, JsValue> {
        let inner = Client::new(o).map_err(|e| errors::without_body(&e, None))?;
        Ok(VoiceClient {
            inner: Rc::new(inner),
        })
    }

    /// Polls a session until it is final (Rust API of `pollSession`).
    pub async fn poll(&self, session_id: &str, options: PollOptions) -> Result<JsValue, JsValue> {
        self.inner
            .clone()
            .run(session_id.to_string(), options, false)
            .await
    }

    /// Gets a session once, in any state (Rust API of `getSession`).
    pub async fn get(&self, session_id: &str, options: PollOptions) -> Result<JsValue, JsValue> {
        self.inner
            .clone()
            .run(session_id.to_string(), options, true)
            .await
    }

    fn start(&self, session_id: JsValue, options: &JsValue, once: bool) -> Promise {
        let parsed = read(options, concat!(spec!(call), " fonProgress"))
            .and_then(|v| Ok((checked_id(&session_id)?, poll_options(&v, 0))));
        match parsed {
            Ok((id, o)) => spawn(self.inner.clone().run(id, o, once)),
            Err(e) => reject(&e, session_id.as_string().as_deref()),
        }
    }
}

/// The poll options (spec [`CALL`] then `onProgress`) read from `v` at `at`.
fn poll_options(v: &super::options::Values, at: u32) -> PollOptions {
    call_options(v, at, v.function(at + CALL_LEN))
}

/// The `sessionId` argument of an export: a string the core accepts as a session id.
fn checked_id(session_id: &JsValue) -> Result<String, Error> {
    let id = session_id
        .as_string()
        .ok_or_else(|| Error::invalid_argument("sessionId must be a non-empty string"))?;
    check_session_id(&id)?;
    Ok(id)
}

fn one_shot(session_id: JsValue, options: JsValue, once: bool) -> Promise {
    let parsed = read(
        &options,
        concat!(spec!(client), " ", spec!(call), " fonProgress"),
    )
    .and_then(|v| {
        let client = Client::new(client_options(&v, 0))?;
        Ok((
            Rc::new(client),
            checked_id(&session_id)?,
            poll_options(&v, CLIENT_LEN),
        ))
    });
    match parsed {
        Ok((inner, id, o)) => spawn(inner.run(id, o, once)),
        Err(e) => reject(&e, session_id.as_string().as_deref()),
    }
}

/// `pollSession(sessionId, { ...clientOptions, ...pollOptions })`: a one-shot client.
#[wasm_bindgen(js_name = pollSession)]
pub fn poll_session(session_id: JsValue, options: JsValue) -> Promise {
    one_shot(session_id, options, false)
}

/// `getSession(sessionId, { ...clientOptions, templateId?, documentId?, signal? })`.
#[wasm_bindgen(js_name = getSession)]
pub fn get_session(session_id: JsValue, options: JsValue) -> Promise {
    one_shot(session_id, options, true)
}

/// The `VoiceApiError` class (the package re-exports it as `VoiceApiError`).
#[wasm_bindgen(js_name = __voiceApiError)]
pub fn voice_api_error() -> JsValue {
    errors::voice_api_error_class()
}

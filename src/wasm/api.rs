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
use super::client::Client;
use super::errors;
use super::lifecycle::UploadOptions;
use super::options::{
    client_options, create_options, poll_options, poll_options_without_progress, ClientOptions,
    PollOptions, Reader,
};
use super::transcribe::transcribe_options;
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
        let o = Reader::new(&options)
            .and_then(|r| client_options(&r))
            .map_err(|e| errors::without_body(&e, None))?;
        VoiceClient::with_options(o)
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
        let parsed = Reader::new(&options).and_then(|r| {
            Ok((
                create_options(&r)?,
                r.boolean("presignedUpload")?.unwrap_or(false),
                call_options(&r)?,
            ))
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
        let parsed = Reader::new(&options).and_then(|r| {
            Ok(UploadOptions {
                index: r.count("index")?,
                format: r.string("format")?,
                call: call_options(&r)?,
            })
        });
        match parsed {
            Ok(o) => {
                let inner = self.inner.clone();
                spawn(async move {
                    let abort = AbortWatch::new(o.call.signal.clone());
                    inner
                        .upload(&session, &chunk, &o, &abort)
                        .await
                        .map_err(|(_, e)| e)
                })
            }
            Err(e) => reject(&e, session.as_string().as_deref()),
        }
    }

    /// `client.endSession(sessionId, { audioFilesSent?, audioFilesUploaded?, signal? })`.
    #[wasm_bindgen(js_name = endSession)]
    pub fn end_session_js(&self, session_id: JsValue, options: JsValue) -> Promise {
        let parsed = Reader::new(&options).and_then(|r| {
            let id = session_id
                .as_string()
                .ok_or_else(|| Error::invalid_argument("sessionId must be a non-empty string"))?;
            Ok((
                id,
                r.count("audioFilesSent")?,
                r.count("audioFilesUploaded")?,
                call_options(&r)?,
            ))
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
        match Reader::new(&options).and_then(|r| transcribe_options(&r)) {
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

/// The retry and timeout options of one lifecycle call.
fn call_options(r: &Reader) -> Result<PollOptions, Error> {
    poll_options_without_progress(r)
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
        match parse_call(&session_id, options) {
            Ok((id, o)) => spawn(self.inner.clone().run(id, o, once)),
            Err(e) => Promise::reject(&errors::without_body(&e, session_id.as_string().as_deref())),
        }
    }
}

fn parse_call(session_id: &JsValue, options: &JsValue) -> Result<(String, PollOptions), Error> {
    let id = session_id
        .as_string()
        .ok_or_else(|| Error::invalid_argument("sessionId must be a non-empty string"))?;
    check_session_id(&id)?;
    let o = poll_options(&Reader::new(options)?)?;
    Ok((id, o))
}

fn one_shot(session_id: JsValue, options: JsValue, once: bool) -> Promise {
    let client = Reader::new(&options)
        .and_then(|r| client_options(&r))
        .and_then(|o| Client::new(o).map(Rc::new));
    match client {
        Ok(inner) => VoiceClient { inner }.start(session_id, &options, once),
        Err(e) => Promise::reject(&errors::without_body(&e, session_id.as_string().as_deref())),
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

//! The JS exports: `VoiceClient`, `pollSession`, `getSession` and the
//! `VoiceApiError` class. Every promise-returning export reports bad arguments by
//! rejecting (never by throwing); the `VoiceClient` constructor throws. Each export reads
//! its arguments once, before anything runs: the options by their declaration
//! ([`options`](super::options)), the session id, the chunk.

use alloc::rc::Rc;
use alloc::{boxed::Box, string::String};

use core::future::Future;
use core::pin::Pin;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use wasm_bindgen_futures::future_to_promise;

use super::abort::AbortWatch;
use super::chunk;
use super::client::Client;
use super::errors::{self, Failure};
use super::options::{
    read, ClientOptions, CreateArgs, EndOptions, GetOptions, OneShotGet, OneShotPoll, PollOptions,
    TranscribeOptions, UploadOptions,
};
use crate::proto::{check_session_id, Error};

/// A Voice API client. JS: `new VoiceClient({ baseUrl?, token?, getToken?, maxResponseBytes? })`.
///
/// Rust/wasm users build it with [`VoiceClient::with_options`] and call its typed Rust API
/// (`rust_api`: `get_session`, `poll_session`, …, `operation`).
#[cfg_attr(feature = "js-package", wasm_bindgen)]
pub struct VoiceClient {
    inner: Rc<Client>,
}

#[cfg_attr(feature = "js-package", wasm_bindgen)]
impl VoiceClient {
    /// `new VoiceClient(options?)`; throws a `VoiceApiError` (`invalid_argument`) for bad options.
    #[cfg_attr(feature = "js-package", wasm_bindgen(constructor))]
    pub fn new(options: JsValue) -> Result<VoiceClient, JsValue> {
        let o = read::<ClientOptions>(&options).map_err(|e| Failure::from(e).into_js())?;
        VoiceClient::with_options(o).map_err(Failure::into_js)
    }

    /// `client.getSession(sessionId, { templateId?, documentId?, signal?, requestTimeoutMs?, timeoutMs? })`:
    /// one request, resolves with the session in any state (202 bodies included).
    #[cfg_attr(feature = "js-package", wasm_bindgen(js_name = getSession))]
    pub fn get_session_js(&self, session_id: JsValue, options: JsValue) -> Promise {
        let parsed = read::<GetOptions>(&options).and_then(|o| Ok((checked_id(&session_id)?, o)));
        match parsed {
            Ok((id, o)) => spawn(self.inner.clone().run(id, o.into(), true)),
            Err(e) => reject(&e, session_id.as_string().as_deref()),
        }
    }

    /// `client.pollSession(sessionId, options?)`: polls while 202, resolves on 200/206/410.
    #[cfg_attr(feature = "js-package", wasm_bindgen(js_name = pollSession))]
    pub fn poll_session_js(&self, session_id: JsValue, options: JsValue) -> Promise {
        let parsed = read::<PollOptions>(&options).and_then(|o| Ok((checked_id(&session_id)?, o)));
        match parsed {
            Ok((id, o)) => spawn(self.inner.clone().run(id, o, false)),
            Err(e) => reject(&e, session_id.as_string().as_deref()),
        }
    }

    /// `client.createSession(options?)`: `POST /voice/v1/sessions`.
    #[cfg_attr(feature = "js-package", wasm_bindgen(js_name = createSession))]
    pub fn create_session_js(&self, options: JsValue) -> Promise {
        let parsed = read::<CreateArgs>(&options).and_then(|o| Ok((o.create.to_request()?, o)));
        match parsed {
            Ok((req, o)) => {
                let inner = self.inner.clone();
                spawn(async move {
                    let abort = AbortWatch::new(o.call.request.signal.clone());
                    Ok(inner.create(&req, &o.call, &abort).await?.body)
                })
            }
            Err(e) => reject(&e, None),
        }
    }

    /// `client.<operation>(...params, body?, options?)` for the operation table's rows that
    /// have no method of their own (`op`: the row's index in [`OPS`](crate::proto::OPS);
    /// `params`: its path parameters, strings, in order; `body`: its JSON body, a plain
    /// object, for a row that has one). See [`call`](super::call).
    #[cfg_attr(feature = "js-package", wasm_bindgen(js_name = call))]
    pub fn call_js(
        &self,
        op: u32,
        params: js_sys::Array,
        body: JsValue,
        options: JsValue,
    ) -> Promise {
        let Some(row) = crate::proto::OPS.get(op as usize) else {
            return reject(&Error::invalid_argument("no such operation"), None);
        };
        match op_args(row, &params, &body, &options) {
            Ok(args) => spawn(self.inner.clone().call(row, args)),
            Err(e) => reject(&e, None),
        }
    }

    /// `client.uploadAudio(session | sessionId, chunk, { index?, format?, signal?, … })`.
    #[cfg_attr(feature = "js-package", wasm_bindgen(js_name = uploadAudio))]
    pub fn upload_audio_js(&self, session: JsValue, chunk: JsValue, options: JsValue) -> Promise {
        let o = match read::<UploadOptions>(&options) {
            Ok(o) => o,
            Err(e) => return reject(&e, session.as_string().as_deref()),
        };
        // The session and the chunk are read now, once: the caller may reuse them.
        let (id, target) = match Client::upload_session(&session) {
            Ok(s) => s,
            Err(e) => return Promise::reject(&e.into_js()),
        };
        let taken = chunk::take(&chunk);
        let inner = self.inner.clone();
        spawn(async move {
            let abort = AbortWatch::new(o.call.request.signal.clone());
            inner.upload(&id, target, taken, &o, &abort).await
        })
    }

    /// `client.endSession(sessionId, { audioFilesSent?, audioFilesUploaded?, signal?, … })`.
    #[cfg_attr(feature = "js-package", wasm_bindgen(js_name = endSession))]
    pub fn end_session_js(&self, session_id: JsValue, options: JsValue) -> Promise {
        let parsed = read::<EndOptions>(&options).and_then(|o| Ok((checked_id(&session_id)?, o)));
        match parsed {
            Ok((id, o)) => {
                let inner = self.inner.clone();
                spawn(async move {
                    let abort = AbortWatch::new(o.call.request.signal.clone());
                    let (sent, uploaded) = (o.audio_files_sent, o.audio_files_uploaded);
                    inner.end(&id, sent, uploaded, &o.call, &abort).await
                })
            }
            Err(e) => reject(&e, session_id.as_string().as_deref()),
        }
    }

    /// `client.transcribe(chunks, options?)`: create → upload → end → poll.
    #[cfg_attr(feature = "js-package", wasm_bindgen(js_name = transcribe))]
    pub fn transcribe_js(&self, chunks: JsValue, options: JsValue) -> Promise {
        match read::<TranscribeOptions>(&options).and_then(|o| Ok((o.create.to_request()?, o))) {
            Ok((req, o)) => spawn(self.inner.clone().transcribe(chunks, req, o)),
            Err(e) => reject(&e, None),
        }
    }
}

/// A call's outcome, as the wasm layer carries it.
type Call = Pin<Box<dyn Future<Output = Result<JsValue, Failure>>>>;

/// Turns a call into a Promise; the one place where a [`Failure`] becomes what JS sees.
/// Every export goes through this one (boxed, type-erased) instantiation of
/// `future_to_promise`: one copy of the executor glue in the wasm.
fn spawn(call: impl Future<Output = Result<JsValue, Failure>> + 'static) -> Promise {
    promise(Box::pin(call))
}

/// [`spawn`]'s one non-generic part.
fn promise(call: Call) -> Promise {
    future_to_promise(async move { call.await.map_err(Failure::into_js) })
}

fn reject(e: &Error, session_id: Option<&str>) -> Promise {
    Promise::reject(&Failure::new(e.clone(), session_id).into_js())
}

impl VoiceClient {
    /// The client behind the exports (the server entry's budget).
    #[cfg(feature = "server")]
    pub(crate) fn client_ref(&self) -> &Client {
        &self.inner
    }

    /// The client behind the exports, for the Rust API (`rust_api`, with `serde`).
    #[cfg(feature = "serde")]
    pub(crate) fn client(&self) -> Rc<Client> {
        self.inner.clone()
    }

    /// A client from Rust-side options; bad options are `invalid_argument`.
    pub fn with_options(o: ClientOptions) -> Result<VoiceClient, Failure> {
        Ok(VoiceClient {
            inner: Rc::new(Client::new(o)?),
        })
    }
}

/// An operation's arguments: each path parameter a string, the JSON body for a row that has
/// one, the options.
fn op_args(
    row: &crate::proto::OpRow,
    params: &js_sys::Array,
    body: &JsValue,
    options: &JsValue,
) -> Result<super::call::OpArgs, Error> {
    let options = read::<super::options::OpOptions>(options)?;
    let count = row.params() as u32;
    let mut values = alloc::vec::Vec::new();
    for i in 0..count {
        let v = params.get(i).as_string();
        values.push(v.ok_or_else(|| Error::invalid_argument("the ids of a call must be strings"))?);
    }
    let body = match row.body {
        crate::proto::Body::Json => {
            let wrapped = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&wrapped, &"body".into(), body);
            let arg = read::<super::options::BodyArg>(&wrapped)?;
            Some(
                arg.body
                    .map(|j| j.text)
                    .ok_or_else(|| Error::invalid_argument("the body must be a plain object"))?,
            )
        }
        _ => None,
    };
    Ok(super::call::OpArgs {
        params: values,
        body,
        options,
    })
}

/// The `sessionId` argument of an export: a string the core accepts as a session id.
fn checked_id(session_id: &JsValue) -> Result<String, Error> {
    let id = session_id
        .as_string()
        .ok_or_else(|| Error::invalid_argument("sessionId must be a non-empty string"))?;
    check_session_id(&id)?;
    Ok(id)
}

/// `pollSession(sessionId, { ...clientOptions, ...pollOptions })`: a one-shot client.
#[cfg_attr(feature = "js-package", wasm_bindgen(js_name = pollSession))]
pub fn poll_session(session_id: JsValue, options: JsValue) -> Promise {
    let parsed = read::<OneShotPoll>(&options).map(|o| (o.client, o.poll));
    one_shot(session_id, parsed, false)
}

/// `getSession(sessionId, { ...clientOptions, ...getOptions })`: a one-shot client.
#[cfg_attr(feature = "js-package", wasm_bindgen(js_name = getSession))]
pub fn get_session(session_id: JsValue, options: JsValue) -> Promise {
    let parsed = read::<OneShotGet>(&options).map(|o| (o.client, o.get.into()));
    one_shot(session_id, parsed, true)
}

/// Runs a one-shot call with its client and poll options.
fn one_shot(
    session_id: JsValue,
    parsed: Result<(ClientOptions, PollOptions), Error>,
    once: bool,
) -> Promise {
    let started =
        parsed.and_then(|(client, o)| Ok((Client::new(client)?, checked_id(&session_id)?, o)));
    match started {
        Ok((client, id, o)) => spawn(Rc::new(client).run(id, o, once)),
        Err(e) => reject(&e, session_id.as_string().as_deref()),
    }
}

/// The `VoiceApiError` class of every rejection (the npm package exports the same class from
/// its JS, without asking the wasm).
pub fn voice_api_error() -> JsValue {
    errors::voice_api_error_class()
}

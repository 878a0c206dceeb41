//! The client's Rust API, for Rust/wasm apps (Leptos, Yew, Dioxus, …): the same calls as
//! the JS API, with Rust options, typed results ([`model`](super::model), read with
//! serde-wasm-bindgen straight from the parsed objects) and one error enum
//! ([`Failure`]: the same codes as `VoiceApiError`). Progress is a Rust closure; so are
//! the options' hooks (a token source, `onRetry`, a waiting operation's `onProgress`), made
//! with [`rust_hooks`](super::rust_hooks).
//! Cancellation is dropping the future: the request in flight is aborted and its timer
//! cleared.
//!
//! Available on `wasm32` only, with the `serde` feature (default). A runnable example is
//! `examples/rust-app` in the repository: a Rust/wasm crate that depends on this one by
//! path, with its own allocator and exports, whose tests run this API against the
//! simulator in Node and headless Chromium (`npm test`). In short:
//!
//! ```ignore
//! use eka_voice::wasm::{ClientOptions, PollOptions, VoiceClient};
//! let client = VoiceClient::with_options(ClientOptions {
//!     token: Some(token),
//!     ..Default::default()
//! })?;
//! let created = client.create_session(Default::default(), Default::default()).await?;
//! client.upload_audio(&created.session_id, &wav_bytes, Default::default()).await?;
//! client.end_session(&created.session_id, Default::default()).await?;
//! let session = client
//!     .poll_session(&created.session_id, PollOptions::default(), &|s| log(&s.status))
//!     .await?;
//! // Or all of it, the chunks as a Stream (a recorder's):
//! let done = client.transcribe(recorder_stream, Default::default(), &|phase, _| show(phase)).await?;
//! // Every other operation of the table, its answer read into the app's own type:
//! let templates: Templates = client
//!     .operation(Op::ListTemplates, &[], None::<&()>, Default::default())
//!     .await?;
//! ```

use alloc::string::String;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use super::abort::AbortWatch;
use super::api::VoiceClient;
use super::call::OpArgs;
use super::chunk;
use super::errors::Failure;
use super::model::{session_from_js, Session};
use super::options::{
    CallOptions, CreateOptions, EndOptions, GetOptions, Json, OpOptions, PollOptions,
    TranscribeOptions, UploadOptions,
};
use super::transcribe::Chunks;
use crate::proto::{Body, Error, ErrorCode, Op, Phase, UploadProgress, OWN_METHODS};
use alloc::{boxed::Box, vec::Vec};
use core::pin::Pin;
use core::task::{Context, Poll};
use futures_core::Stream;

/// What `transcribe` gives back: the final session, and the chunks that did not make it
/// (only with `allowPartialUpload`).
#[derive(Clone, Debug)]
pub struct Transcribed {
    /// The session as the poll ended it.
    pub session: Session,
    /// `missing_chunks`.
    pub missing_chunks: Vec<String>,
}

/// Audio chunks from a Rust `Stream` (each item one chunk's bytes).
struct StreamChunks<S> {
    stream: Pin<Box<S>>,
    asked: bool,
}

impl<S: Stream<Item = Vec<u8>>> Chunks for StreamChunks<S> {
    fn ask(&mut self) {
        self.asked = true;
    }

    fn poll_chunk(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Option<JsValue>, JsValue>>> {
        if !self.asked {
            return Poll::Pending;
        }
        let item = core::task::ready!(self.stream.as_mut().poll_next(cx));
        self.asked = false;
        let chunk = item.map(|bytes| js_sys::Uint8Array::from(&bytes[..]).into());
        Poll::Ready(Some(Ok(chunk)))
    }
}

/// The answer of Create Session.
#[derive(Clone, Debug, Deserialize)]
pub struct CreatedSession {
    /// `session_id`.
    pub session_id: String,
    /// `status` (`created`, or `initialized` on some deployments).
    #[serde(default)]
    pub status: String,
    /// The HTTP status of the answer (added by this client).
    #[serde(default)]
    pub http_status: Option<u16>,
}

/// The answer of one upload.
#[derive(Clone, Debug, Deserialize)]
pub struct UploadedChunk {
    /// `audio_<n>.<ext>`: the name the chunk was sent as.
    pub file_name: String,
    /// `n`.
    pub index: u32,
    /// The HTTP status of the answer.
    #[serde(default)]
    pub http_status: Option<u16>,
}

/// The answer of End Session.
#[derive(Clone, Debug, Deserialize)]
pub struct EndedSession {
    /// `status` (`processing`).
    #[serde(default)]
    pub status: String,
    /// `audio_files_received`, when the service says.
    #[serde(default)]
    pub audio_files_received: Option<u32>,
    /// The HTTP status of the answer.
    #[serde(default)]
    pub http_status: Option<u16>,
}

/// A body as JSON text (maps as objects); one that does not serialise is `invalid_argument`.
fn json_text<B: Serialize + ?Sized>(body: &B) -> Result<String, Failure> {
    stringify(&json_value(body, "the body")?, "the body")
}

/// The JSON text of a value `json_value` made.
fn stringify(value: &JsValue, what: &str) -> Result<String, Failure> {
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string());
    text.ok_or_else(|| not_json(what))
}

/// `value` as the JS value JSON would make of it (maps as objects).
fn json_value<B: Serialize + ?Sized>(value: &B, what: &str) -> Result<JsValue, Failure> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(|_| not_json(what))
}

fn not_json(what: &str) -> Failure {
    let mut m = String::from(what);
    m.push_str(" must serialise as JSON");
    Error::invalid_argument(m).into()
}

impl Json {
    /// A plain-object option (`patient_details`, `additional_data`) from any `Serialize`
    /// value of the app's: its JSON text, and whether it has a top-level `_protocol` key —
    /// what the JS side works out from a JS object. Anything but a JSON object (a map or a
    /// struct) is `invalid_argument`.
    ///
    /// ```ignore
    /// #[derive(serde::Serialize)]
    /// struct Patient<'a> { oid: &'a str, name: &'a str }
    /// create.patient_details = Some(Json::of(&Patient { oid: "PAT-1", name: "A. Patient" })?);
    /// ```
    pub fn of<T: Serialize + ?Sized>(value: &T) -> Result<Json, Failure> {
        let v = json_value(value, "the option")?;
        if !v.is_object() || js_sys::Array::is_array(&v) {
            return Err(Error::invalid_argument("the option must be a JSON object").into());
        }
        let object: &js_sys::Object = wasm_bindgen::JsCast::unchecked_ref(&v);
        Ok(Json {
            has_protocol: js_sys::Object::has_own(object, &"_protocol".into()),
            text: stringify(&v, "the option")?,
        })
    }
}

/// Reads an answer into `T`; one that does not fit is `invalid_response`.
fn typed<T: for<'de> Deserialize<'de>>(value: JsValue) -> Result<T, Failure> {
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        let mut m = String::from("the answer does not read as expected: ");
        m.push_str(&alloc::string::ToString::to_string(&e));
        Failure::from(Error::new(ErrorCode::InvalidResponse, m))
    })
}

impl VoiceClient {
    /// Get Session once: the session in any state (Rust API of `getSession`).
    pub async fn get_session(&self, id: &str, o: GetOptions) -> Result<Session, Failure> {
        let body = self.client().run(id.into(), o.into(), true).await?;
        Ok(session_from_js(&body)?)
    }

    /// Polls a session until it is final (Rust API of `pollSession`); `on_progress` gets
    /// each 202 snapshot.
    pub async fn poll_session(
        &self,
        id: &str,
        o: PollOptions,
        on_progress: &dyn Fn(&Session),
    ) -> Result<Session, Failure> {
        let abort = AbortWatch::new(o.request.signal.clone());
        let report = |snapshot: &JsValue| {
            if let Ok(s) = session_from_js(snapshot) {
                on_progress(&s);
            }
            Ok(())
        };
        let body = self
            .client()
            .poll_with(id, &o, false, &abort, &report)
            .await?;
        Ok(session_from_js(&body)?)
    }

    /// Create Session (Rust API of `createSession`).
    pub async fn create_session(
        &self,
        create: CreateOptions,
        call: CallOptions,
    ) -> Result<CreatedSession, Failure> {
        let req = create.to_request()?;
        let abort = AbortWatch::new(call.request.signal.clone());
        typed(self.client().create(&req, &call, &abort).await?.body)
    }

    /// Uploads one chunk of audio bytes (Rust API of `uploadAudio`); the bytes are copied.
    pub async fn upload_audio(
        &self,
        session_id: &str,
        audio: &[u8],
        o: UploadOptions,
    ) -> Result<UploadedChunk, Failure> {
        let bytes: JsValue = js_sys::Uint8Array::from(audio).into();
        let abort = AbortWatch::new(o.call.request.signal.clone());
        let taken = chunk::take(&bytes);
        typed(
            self.client()
                .upload(session_id, None, taken, &o, &abort)
                .await?,
        )
    }

    /// Create → upload every chunk of `chunks` as it comes → end → poll (Rust API of
    /// `transcribe`): the same machine and rules as the JS call; `on_progress` gets each
    /// phase, with the upload counts while uploading.
    pub async fn transcribe<S: Stream<Item = Vec<u8>>>(
        &self,
        chunks: S,
        o: TranscribeOptions,
        on_progress: &dyn Fn(Phase, Option<&UploadProgress>),
    ) -> Result<Transcribed, Failure> {
        let req = o.create.to_request()?;
        let mut source = StreamChunks {
            stream: Box::pin(chunks),
            asked: false,
        };
        let emit = |phase: Phase, _: Option<&str>, _: &JsValue, p: Option<&UploadProgress>| {
            on_progress(phase, p);
            Ok(())
        };
        let client = self.client();
        let (result, missing_chunks, _) = client
            .drive(&mut source, (None, None), req, &o, &emit)
            .await?;
        Ok(Transcribed {
            session: session_from_js(&result)?,
            missing_chunks,
        })
    }

    /// Any operation of the table (Rust API of the JS methods made from it: `getDiscovery`,
    /// `listTemplates`, `processTemplate`, …), under the client's retries, deadlines, token
    /// and typed errors: the row's path parameters in its order, its JSON body (any
    /// `Serialize` value, for a row that takes one), its options; the answer read into `T`
    /// (the crate's [`Session`] for the rows that wait for a document, or the app's own
    /// types: only the fields `T` names are read).
    ///
    /// ```ignore
    /// #[derive(serde::Deserialize)]
    /// struct Templates { items: Vec<Template> }
    /// let t: Templates = client.operation(Op::ListTemplates, &[], None::<&()>, Default::default()).await?;
    /// let done: Session = client
    ///     .operation(Op::ProcessTemplate, &[&session_id, &template_id], None::<&()>, Default::default())
    ///     .await?;
    /// ```
    pub async fn operation<T, B>(
        &self,
        op: Op,
        params: &[&str],
        body: Option<&B>,
        options: OpOptions,
    ) -> Result<T, Failure>
    where
        T: for<'de> Deserialize<'de>,
        B: Serialize + ?Sized,
    {
        let row = op.row();
        if OWN_METHODS.contains(&op) {
            let m = "this operation has a method of its own (create_session, upload_audio, …)";
            return Err(Error::invalid_argument(m).into());
        }
        if params.len() != row.params() || body.is_some() != (row.body == Body::Json) {
            let m = "the operation takes its path parameters, and a body only when it sends one";
            return Err(Error::invalid_argument(m).into());
        }
        let body = match body {
            Some(b) => Some(json_text(b)?),
            None => None,
        };
        let args = OpArgs {
            params: params.iter().map(|p| String::from(*p)).collect(),
            body,
            options,
        };
        typed(self.client().call(row, args).await?)
    }

    /// End Session (Rust API of `endSession`).
    pub async fn end_session(&self, id: &str, o: EndOptions) -> Result<EndedSession, Failure> {
        let abort = AbortWatch::new(o.call.request.signal.clone());
        let (sent, uploaded) = (o.audio_files_sent, o.audio_files_uploaded);
        typed(
            self.client()
                .end(id, sent, uploaded, &o.call, &abort)
                .await?,
        )
    }
}

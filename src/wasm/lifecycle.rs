//! The session lifecycle on top of the client: `createSession`, `uploadAudio`,
//! `endSession` and `transcribe` (create → upload as chunks arrive → end → poll). Every
//! decision (bodies, names, URLs, the origin rule, counts, "may we go on") is the core's
//! ([`crate::proto::lifecycle`]); this module performs the calls.

use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;

use js_sys::{Array, Function, Object, Promise, Reflect, Symbol};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::FormData;

use super::abort::AbortWatch;
use super::chunk;
use super::client::{Call, Client, PollOptions};
use super::errors;
use super::options::Reader;
use crate::proto::{
    check_presigned_url, create_url, default_upload_url, end_body, end_url, mime_of,
    presigned_fields, raw_upload_url, resolve_format, CreateSession, Error, ErrorCode, Op,
    UploadLedger,
};

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
    target: Option<Target>,
    ledger: UploadLedger,
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

/// Options of `uploadAudio`: `{ index?, format?, signal?, requestTimeoutMs?, maxRetries? }`.
#[derive(Clone, Debug, Default)]
pub struct UploadOptions {
    /// The chunk number `n` of `audio_<n>.<ext>` (default: counted per session from 0).
    pub index: Option<u32>,
    /// The audio format (`wav`, `webm`, … or a MIME type); default: the Blob's type, else
    /// the bytes.
    pub format: Option<String>,
    /// Retry and timeout options (`signal`, `requestTimeoutMs`, `maxRetries`, `timeoutMs`).
    pub call: PollOptions,
}

fn to_js(e: &Error, session_id: Option<&str>) -> JsValue {
    errors::to_js(e, &JsValue::UNDEFINED, session_id)
}

fn bad_response(message: &str) -> Error {
    Error::new(ErrorCode::InvalidResponse, message)
}

/// Reads `upload_url` in any of its forms.
fn target_of(upload_url: &JsValue) -> Result<Option<Target>, Error> {
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

fn event(phase: &str, pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    let _ = Reflect::set(&o, &"phase".into(), &phase.into());
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

fn num(n: u64) -> JsValue {
    JsValue::from(n as f64)
}

impl Client {
    /// `createSession`: resolves with the body as the API sent it plus `http_status`.
    pub async fn create(
        &self,
        req: &CreateSession,
        presigned: bool,
        call: &PollOptions,
        abort: &AbortWatch,
    ) -> Result<JsValue, JsValue> {
        let body: JsValue = req
            .to_json()
            .map_err(|e| to_js(&e, req.session_id.as_deref()))?
            .into();
        let url = create_url(self.base(), presigned);
        let c = Call {
            method: "POST",
            url: &url,
            body: Some(&body),
            json: true,
            auth: true,
        };
        let created = self
            .execute(
                &c,
                self.config(call, Op::CreateSession, false),
                abort,
                "",
                &|_| Ok(()),
            )
            .await?;
        let id = Reflect::get(&created, &"session_id".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let target =
            target_of(&Reflect::get(&created, &"upload_url".into()).unwrap_or(JsValue::UNDEFINED))
                .ok()
                .flatten();
        self.sessions().with(&id, |s| {
            *s = SessionState {
                target,
                ledger: UploadLedger::default(),
            }
        });
        Ok(created)
    }

    /// `uploadAudio`: one chunk, retried on transient failures. `session` is a session id
    /// or a session object (its `upload_url` is used). Errors that are the caller's
    /// (`invalid_argument`) come back as `Err((true, e))`.
    pub async fn upload(
        &self,
        session: &JsValue,
        value: &JsValue,
        o: &UploadOptions,
        abort: &AbortWatch,
    ) -> Result<JsValue, (bool, JsValue)> {
        let (id, given_target) = if let Some(id) = session.as_string() {
            (id, None)
        } else {
            let id = Reflect::get(session, &"session_id".into())
                .ok()
                .and_then(|v| v.as_string());
            let id = id.ok_or_else(|| {
                (
                    true,
                    to_js(
                        &Error::invalid_argument(
                            "session must be a session id or an object with a string `session_id`",
                        ),
                        None,
                    ),
                )
            })?;
            let t = target_of(
                &Reflect::get(session, &"upload_url".into()).unwrap_or(JsValue::UNDEFINED),
            )
            .map_err(|e| (false, to_js(&e, Some(&id))))?;
            (id, t)
        };
        let invalid = |e: Error| (true, to_js(&e, Some(&id)));
        crate::proto::check_session_id(&id).map_err(invalid)?;
        let c = chunk::read(value).await.map_err(invalid)?;
        let format =
            resolve_format(o.format.as_deref(), c.mime.as_deref(), &c.head).map_err(invalid)?;
        let (target, n, name) = self
            .sessions()
            .with(&id, |state| {
                if given_target.is_some() {
                    state.target = given_target;
                }
                let target = state
                    .target
                    .clone()
                    .unwrap_or_else(|| Target::Raw(default_upload_url(self.base(), &id)));
                state
                    .ledger
                    .assign(o.index, format)
                    .map(|(n, name)| (target, n, name))
            })
            .map_err(invalid)?;
        let outcome = self
            .send_chunk(&id, &target, &c, format, &name, &o.call, abort)
            .await;
        self.sessions().with(&id, |state| match &outcome {
            Err(SendError::Refused(_)) => state.ledger.release(n),
            other => state.ledger.settle(&name, other.is_ok()),
        });
        let body = outcome.map_err(|e| match e {
            SendError::Refused(e) | SendError::Failed(e) => (false, e),
        })?;
        let _ = Reflect::set(&body, &"file_name".into(), &JsValue::from_str(&name));
        let _ = Reflect::set(&body, &"index".into(), &JsValue::from(n));
        Ok(body)
    }

    #[allow(clippy::too_many_arguments)]
    async fn send_chunk(
        &self,
        id: &str,
        target: &Target,
        c: &chunk::Chunk,
        format: crate::proto::AudioFormat,
        name: &str,
        call: &PollOptions,
        abort: &AbortWatch,
    ) -> Result<JsValue, SendError> {
        let refused = |e: Error| SendError::Refused(to_js(&e, Some(id)));
        let (url, body, op, auth) = match target {
            Target::Raw(upload_url) => {
                let url = raw_upload_url(self.base(), upload_url, name).map_err(refused)?;
                (url, c.body.clone(), Op::UploadAudio, true)
            }
            Target::Presigned { url, fields } => {
                check_presigned_url(url).map_err(refused)?;
                let form = FormData::new().map_err(SendError::Failed)?;
                for (k, v) in presigned_fields(fields, name, format) {
                    form.append_with_str(&k, &v).map_err(SendError::Failed)?;
                }
                let file = chunk::as_typed_blob(c, mime_of(format)).map_err(SendError::Failed)?;
                form.append_with_blob_and_filename("file", &file, name)
                    .map_err(SendError::Failed)?;
                (url.clone(), form.into(), Op::PresignedUpload, false)
            }
        };
        let call_desc = Call {
            method: "POST",
            url: &url,
            body: Some(&body),
            json: false,
            auth,
        };
        self.execute(&call_desc, self.config(call, op, false), abort, id, &|_| {
            Ok(())
        })
        .await
        .map_err(SendError::Failed)
    }

    /// `endSession`: reports the counts (given, else this client's own for the session).
    pub async fn end(
        &self,
        id: &str,
        sent: Option<u32>,
        uploaded: Option<u32>,
        call: &PollOptions,
        abort: &AbortWatch,
    ) -> Result<JsValue, JsValue> {
        crate::proto::check_session_id(id).map_err(|e| to_js(&e, Some(id)))?;
        let known = self.sessions().peek(id, |s| s.ledger.end_counts());
        let (sent, uploaded) =
            match (sent, uploaded, known) {
                (Some(s), u, known) => (s, u.or(known.map(|k| k.1)).unwrap_or(s)),
                (None, u, Some((ks, ku))) => (ks, u.unwrap_or(ku)),
                (None, _, None) => return Err(to_js(
                    &Error::invalid_argument(
                        "audioFilesSent is required for a session this client did not upload to",
                    ),
                    Some(id),
                )),
            };
        let body: JsValue = end_body(sent, uploaded).into();
        let url = end_url(self.base(), id);
        let c = Call {
            method: "POST",
            url: &url,
            body: Some(&body),
            json: true,
            auth: true,
        };
        let ended = self
            .execute(
                &c,
                self.config(call, Op::EndSession, false),
                abort,
                id,
                &|_| Ok(()),
            )
            .await?;
        self.sessions().remove(id);
        Ok(ended)
    }
}

/// Why a chunk was not uploaded.
enum SendError {
    /// Refused before sending (e.g. `upload_url` on another origin).
    Refused(JsValue),
    /// Sent, and failed after the retries (or aborted).
    Failed(JsValue),
}

/// Options of `transcribe` beyond the create and poll options.
pub struct TranscribeOptions {
    /// What Create Session is asked for.
    pub create: CreateSession,
    /// Ask for the presigned form of `upload_url`.
    pub presigned: bool,
    /// Poll, retry and timeout options (and the one `signal`).
    pub poll: PollOptions,
    /// Uploads in flight at once (default 2).
    pub concurrency: u32,
    /// Go on when some (not all) chunks failed; the result lists them in `missing_chunks`.
    pub allow_partial: bool,
    /// `onProgress({ phase, … })`.
    pub on_progress: Option<Function>,
}

enum Event {
    Next(Result<JsValue, JsValue>),
    Uploaded(u64, Result<JsValue, (bool, JsValue)>),
}

type Upload<'a> = Pin<Box<dyn Future<Output = (u64, Result<JsValue, (bool, JsValue)>)> + 'a>>;

/// Opens an iterator over `chunks`: async iterables first, then sync ones.
fn iterate(chunks: &JsValue) -> Result<JsValue, Error> {
    for sym in [Symbol::async_iterator(), Symbol::iterator()] {
        if let Ok(f) = Reflect::get(chunks, &sym) {
            if let Some(f) = f.dyn_ref::<Function>() {
                return f
                    .call0(chunks)
                    .map_err(|_| Error::invalid_argument("chunks could not be iterated"));
            }
        }
    }
    Err(Error::invalid_argument(
        "chunks must be an iterable or async iterable of Blob / ArrayBuffer / Uint8Array",
    ))
}

fn next_of(iterator: &JsValue) -> JsFuture {
    let next = Reflect::get(iterator, &"next".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .map(|f| f.call0(iterator));
    let p = match next {
        Some(Ok(v)) => Promise::resolve(&v),
        Some(Err(e)) => Promise::reject(&e),
        None => Promise::reject(&to_js(
            &Error::invalid_argument("chunks: the iterator has no next()"),
            None,
        )),
    };
    JsFuture::from(p)
}

impl Client {
    /// `transcribe`: create → upload all chunks as they arrive (bounded parallelism) →
    /// end → poll, with one signal and one progress callback.
    pub async fn transcribe(
        self: Rc<Self>,
        chunks: JsValue,
        o: TranscribeOptions,
    ) -> Result<JsValue, JsValue> {
        let abort = AbortWatch::new(o.poll.signal.clone());
        let emit = |e: JsValue| match &o.on_progress {
            Some(f) => f.call1(&JsValue::UNDEFINED, &e).map(|_| ()),
            None => Ok(()),
        };
        let iterator = iterate(&chunks).map_err(|e| to_js(&e, None))?;
        let (chunks_total, bytes_total) = match chunks.dyn_ref::<Array>() {
            Some(a) => (
                Some(a.length()),
                a.iter().map(|c| chunk::size_of(&c)).sum::<Option<u64>>(),
            ),
            None => (None, None),
        };
        emit(event("creating", &[]))?;
        let created = self.create(&o.create, o.presigned, &o.poll, &abort).await?;
        let id = Reflect::get(&created, &"session_id".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let (mut chunks_done, mut bytes_done) = (0u64, 0u64);
        let uploading = |done: u64, bytes: u64| {
            event(
                "uploading",
                &[
                    ("sessionId", id.as_str().into()),
                    ("chunksDone", num(done)),
                    (
                        "chunksTotal",
                        chunks_total.map_or(JsValue::UNDEFINED, JsValue::from),
                    ),
                    ("bytesDone", num(bytes)),
                    ("bytesTotal", bytes_total.map_or(JsValue::UNDEFINED, num)),
                ],
            )
        };
        emit(uploading(0, 0))?;
        let mut inflight: Vec<Upload<'_>> = Vec::new();
        let mut next: Option<JsFuture> = None;
        let mut exhausted = false;
        let mut index = 0u32;
        let mut first_failure: Option<JsValue> = None;
        let limit = o.concurrency.max(1) as usize;
        loop {
            if next.is_none() && !exhausted && inflight.len() < limit {
                next = Some(next_of(&iterator));
            }
            if next.is_none() && inflight.is_empty() {
                break;
            }
            let ev = abort
                .race(&mut poll_fn(|cx| {
                    for i in 0..inflight.len() {
                        if let Poll::Ready((size, r)) = inflight[i].as_mut().poll(cx) {
                            drop(inflight.swap_remove(i));
                            return Poll::Ready(Event::Uploaded(size, r));
                        }
                    }
                    if let Some(f) = next.as_mut() {
                        if let Poll::Ready(r) = Pin::new(f).poll(cx) {
                            next = None;
                            return Poll::Ready(Event::Next(r));
                        }
                    }
                    Poll::Pending
                }))
                .await?;
            match ev {
                Event::Next(Err(thrown)) => return Err(thrown),
                Event::Next(Ok(step)) => {
                    if Reflect::get(&step, &"done".into())
                        .map(|d| d.is_truthy())
                        .unwrap_or(true)
                    {
                        exhausted = true;
                        continue;
                    }
                    let mut value =
                        Reflect::get(&step, &"value".into()).unwrap_or(JsValue::UNDEFINED);
                    if value.is_instance_of::<Promise>() {
                        value = abort
                            .race(&mut JsFuture::from(Promise::from(value)))
                            .await??;
                    }
                    let size = chunk::size_of(&value).unwrap_or(0);
                    let opts = UploadOptions {
                        index: Some(index),
                        format: None,
                        call: o.poll.clone(),
                    };
                    index += 1;
                    let this = &self;
                    let abort = &abort;
                    let id = id.clone();
                    inflight.push(Box::pin(async move {
                        let r = this
                            .upload(&JsValue::from(id.as_str()), &value, &opts, abort)
                            .await;
                        (size, r)
                    }));
                }
                Event::Uploaded(size, result) => {
                    chunks_done += 1;
                    match result {
                        Ok(_) => bytes_done += size,
                        Err((caller_error, e)) => {
                            if let Some(reason) = abort.reason() {
                                return Err(reason);
                            }
                            if caller_error {
                                return Err(e);
                            }
                            first_failure.get_or_insert(e);
                        }
                    }
                    emit(uploading(chunks_done, bytes_done))?;
                }
            }
        }
        drop(inflight);
        let missing = self
            .sessions()
            .peek(&id, |s| s.ledger.check(o.allow_partial))
            .unwrap_or_else(|| UploadLedger::default().check(o.allow_partial));
        let missing = missing.map_err(|mut e| {
            if let Some(first) = first_failure
                .as_ref()
                .and_then(|f| Reflect::get(f, &"message".into()).ok()?.as_string())
            {
                e.message.push_str("; first failure: ");
                e.message.push_str(&first);
            }
            errors::to_js(
                &e,
                first_failure.as_ref().unwrap_or(&JsValue::UNDEFINED),
                Some(&id),
            )
        })?;
        emit(event("ending", &[("sessionId", id.as_str().into())]))?;
        self.end(&id, None, None, &o.poll, &abort).await?;
        let report = |snapshot: &JsValue| {
            emit(event(
                "processing",
                &[
                    ("sessionId", id.as_str().into()),
                    ("snapshot", snapshot.clone()),
                ],
            ))
        };
        let result = self.poll_with(&id, &o.poll, false, &abort, &report).await?;
        if !missing.is_empty() {
            let list: Array = missing.iter().map(|m| JsValue::from_str(m)).collect();
            let _ = Reflect::set(&result, &"missing_chunks".into(), &list);
        }
        Ok(result)
    }
}

/// Reads the `transcribe` options.
pub fn transcribe_options(r: &Reader) -> Result<TranscribeOptions, Error> {
    Ok(TranscribeOptions {
        create: super::options::create_options(r)?,
        presigned: r.boolean("presignedUpload")?.unwrap_or(false),
        poll: super::options::poll_options_without_progress(r)?,
        concurrency: r.positive("concurrency")?.unwrap_or(2),
        allow_partial: r.boolean("allowPartialUpload")?.unwrap_or(false),
        on_progress: r.function("onProgress")?,
    })
}

//! `transcribe`: the driver of the core's [`Transcriber`] machine. It performs each
//! [`TranscribeAction`] — create, ask the caller's iterator for a chunk, upload, end, poll,
//! report progress — and feeds back what happened; every rule (concurrency, the ledger,
//! the target, End's counts, the partial policy, the deadline) is the machine's. When the
//! call stops before the chunks ran out, the iterator's `return()` is called; uploads
//! still in flight are dropped, which aborts their requests.

use alloc::rc::Rc;
use alloc::{boxed::Box, vec::Vec};
use core::cell::RefCell;
use core::future::{poll_fn, Future};
use core::pin::Pin;
use core::task::{Context, Poll};

use js_sys::{Array, Date, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::abort::{AbortWatch, Sleep};
use super::chunk;
use super::client::Client;
use super::errors::Failure;
use super::js;
use super::options::{CallOptions, PollOptions, TranscribeOptions};
use crate::proto::{
    CreateSession, Error, Phase, PollConfig, TranscribeAction, TranscribeConfig, Transcriber,
    UploadProgress,
};

/// What the driver waits for between actions.
enum Event {
    /// The source's next chunk (`None`: no more), or what it threw.
    Next(Result<Option<JsValue>, JsValue>),
    /// Upload `n` ended.
    Uploaded(u32, Result<JsValue, Failure>),
    /// The machine's timer (its deadline) fired.
    Timer,
}

type Upload<'a> = Pin<Box<dyn Future<Output = (u32, Result<JsValue, Failure>)> + 'a>>;

/// Where `transcribe`'s chunks come from: the caller's JS (async) iterable, or a Rust
/// `Stream` (the Rust API). The driver asks for one chunk at a time.
pub(crate) trait Chunks {
    /// Starts getting the next chunk.
    fn ask(&mut self);
    /// The chunk asked for: `Some(Ok(Some(chunk)))`, `Some(Ok(None))` when there are no
    /// more, `Some(Err(thrown))` when the source failed; `None` while nothing is asked.
    fn poll_chunk(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Option<JsValue>, JsValue>>>;
}

/// The caller's JS chunks, opened once. Dropped before the iterator is done, it calls the
/// iterator's `return()` (so that a recorder's clean-up runs).
struct JsChunks {
    it: JsValue,
    next: Option<JsFuture>,
    done: bool,
}

impl Chunks for JsChunks {
    fn ask(&mut self) {
        self.next = Some(JsFuture::from(js::next_chunk(&self.it)));
    }

    fn poll_chunk(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Option<JsValue>, JsValue>>> {
        let Some(f) = self.next.as_mut() else {
            return Poll::Pending;
        };
        let step = core::task::ready!(Pin::new(f).poll(cx));
        self.next = None;
        // `{ value }`, or `null` once the iterator is done; what it threw ends it too (the
        // protocol does not call `return()` then).
        let step =
            step.map(|s| (!s.is_null()).then(|| s.unchecked_into::<js::NextChunk>().value()));
        self.done = !matches!(step, Ok(Some(_)));
        Poll::Ready(Some(step))
    }
}

impl Drop for JsChunks {
    fn drop(&mut self) {
        if !self.done {
            js::close_chunks(&self.it);
        }
    }
}

/// What the driver keeps between actions: the uploads in flight, the body of the chunk the
/// machine was just told about (its Upload comes next), the poll's result.
struct Driving<'a> {
    uploads: Vec<Upload<'a>>,
    body: JsValue,
    result: JsValue,
}

/// The number of chunks and their bytes, when known up front.
pub(crate) type Totals = (Option<u32>, Option<u64>);

/// Reports progress: the phase, the session, a 202 snapshot (or `undefined`), the counts.
pub(crate) type Emit<'a> =
    &'a dyn Fn(Phase, Option<&str>, &JsValue, Option<&UploadProgress>) -> Result<(), Failure>;

/// What a call's steps share: the signal, the options, the progress sink.
struct Run<'a> {
    abort: AbortWatch,
    o: &'a TranscribeOptions,
    /// The session, once created (shared with the uploads in flight, hence the cell).
    id: RefCell<Option<alloc::string::String>>,
    emit: Emit<'a>,
}

impl Run<'_> {
    /// Reports progress; what the caller's code throws ends the call.
    fn emit(
        &self,
        phase: Phase,
        snapshot: &JsValue,
        p: Option<&UploadProgress>,
    ) -> Result<(), Failure> {
        (self.emit)(phase, self.id().as_deref(), snapshot, p)
    }

    /// The session's id (empty before it is created).
    fn id(&self) -> Option<alloc::string::String> {
        self.id.borrow().clone()
    }

    /// The call options of a step, bounded by what is left of the deadline.
    fn call(&self, timeout_ms: u64) -> CallOptions {
        let mut call = self.o.call.clone();
        call.request.timeout_ms = Some(timeout_ms);
        call
    }
}

impl Client {
    /// `transcribe` (JS): the caller's (async) iterable, progress to `onProgress`.
    pub async fn transcribe(
        self: Rc<Self>,
        chunks: JsValue,
        req: CreateSession,
        o: TranscribeOptions,
    ) -> Result<JsValue, Failure> {
        let (mut source, totals) = open(&chunks)?;
        let on_progress = o.on_progress.clone();
        let emit = move |phase: Phase,
                         id: Option<&str>,
                         snapshot: &JsValue,
                         p: Option<&UploadProgress>| {
            let Some(f) = &on_progress else {
                return Ok(());
            };
            let event = progress_event(phase, id, snapshot, p);
            f.call1(&JsValue::UNDEFINED, &event)
                .map(|_| ())
                .map_err(Failure::Thrown)
        };
        let (result, missing) = self.drive(&mut source, totals, req, &o, &emit).await?;
        Ok(with_missing(result, &missing))
    }

    /// Drives a [`Transcriber`] (see the module docs) over `source`: the poll's result and
    /// the chunks that did not make it.
    pub(crate) async fn drive<C: Chunks>(
        &self,
        source: &mut C,
        (chunks_total, bytes_total): Totals,
        req: CreateSession,
        o: &TranscribeOptions,
        emit: Emit<'_>,
    ) -> Result<(JsValue, Vec<alloc::string::String>), Failure> {
        let cfg = TranscribeConfig {
            concurrency: o.concurrency.unwrap_or(2),
            allow_partial: o.allow_partial_upload.unwrap_or(false),
            timeout_ms: (o.call.request.timeout_ms).unwrap_or(PollConfig::default().timeout_ms),
            chunks_total,
            bytes_total,
        };
        let mut m = Transcriber::new(cfg, self.base().clone(), Date::now() as u64);
        let run = Run {
            abort: AbortWatch::new(o.call.request.signal.clone()),
            o,
            id: RefCell::new(None),
            emit,
        };
        let mut d = Driving {
            uploads: Vec::new(),
            body: JsValue::UNDEFINED,
            result: JsValue::UNDEFINED,
        };
        loop {
            while let Some(action) = m.next_action() {
                if let Some(done) = self
                    .perform(&run, &mut m, source, &mut d, &req, action)
                    .await?
                {
                    return Ok(done);
                }
            }
            let timer = m.timer_ms(Date::now() as u64);
            match wait(&run.abort, &mut d.uploads, source, timer).await? {
                Event::Next(step) => {
                    d.body = feed_chunk(&mut m, step.map_err(Failure::Thrown)?).await
                }
                Event::Uploaded(n, outcome) => {
                    m.on_uploaded(Date::now() as u64, n, settled(outcome)?)
                }
                Event::Timer => m.on_timer(Date::now() as u64),
            }
        }
    }

    /// Performs one action of the machine; `Some(result)` when the call is done.
    async fn perform<'a, C: Chunks>(
        &'a self,
        run: &'a Run<'a>,
        m: &mut Transcriber,
        source: &mut C,
        d: &mut Driving<'a>,
        req: &CreateSession,
        action: TranscribeAction,
    ) -> Result<Option<(JsValue, Vec<alloc::string::String>)>, Failure> {
        match action {
            TranscribeAction::Progress(phase, p) => {
                run.emit(phase, &JsValue::UNDEFINED, p.as_ref())?
            }
            TranscribeAction::Create { timeout_ms } => {
                let (id, target) = self.create_for(req, run, timeout_ms).await?;
                m.on_created(&id, target);
                *run.id.borrow_mut() = Some(id);
            }
            TranscribeAction::NextChunk => source.ask(),
            TranscribeAction::Upload {
                plan, timeout_ms, ..
            } => {
                let (id, call) = (run.id().unwrap_or_default(), run.call(timeout_ms));
                let body = core::mem::take(&mut d.body);
                d.uploads
                    .push(self.start_upload(id, plan, body, call, &run.abort));
            }
            TranscribeAction::End {
                sent,
                uploaded,
                timeout_ms,
            } => {
                self.end_for(run, (sent, uploaded), timeout_ms).await?;
                m.on_ended(Date::now() as u64);
            }
            TranscribeAction::Poll { timeout_ms } => {
                d.result = self.final_poll(run, timeout_ms).await?;
                m.on_polled();
            }
            TranscribeAction::Resolve { missing_chunks } => {
                return Ok(Some((core::mem::take(&mut d.result), missing_chunks)));
            }
            TranscribeAction::Reject(e) => return Err(Failure::new(e, run.id().as_deref())),
        }
        Ok(None)
    }

    /// One upload of `transcribe`, as a future the driver polls beside the others.
    fn start_upload<'a>(
        &'a self,
        id: alloc::string::String,
        plan: crate::proto::UploadPlan,
        body: JsValue,
        call: CallOptions,
        abort: &'a AbortWatch,
    ) -> Upload<'a> {
        Box::pin(async move {
            let sent = self.send_planned(&id, &plan, &body, &call, abort);
            (plan.n, sent.await)
        })
    }

    /// End Session for `transcribe`, with the machine's counts.
    async fn end_for(
        &self,
        run: &Run<'_>,
        counts: (u32, u32),
        timeout_ms: u64,
    ) -> Result<JsValue, Failure> {
        let id = run.id().unwrap_or_default();
        let (sent, uploaded) = (Some(counts.0), Some(counts.1));
        self.end(&id, sent, uploaded, &run.call(timeout_ms), &run.abort)
            .await
    }

    /// Create Session for `transcribe`: the new session's id and `upload_url`.
    async fn create_for(
        &self,
        req: &CreateSession,
        run: &Run<'_>,
        timeout_ms: u64,
    ) -> Result<(alloc::string::String, Option<crate::proto::Target>), Failure> {
        let presigned = run.o.create.presigned_upload.unwrap_or(false);
        let created = self
            .create(req, presigned, &run.call(timeout_ms), &run.abort)
            .await?;
        Ok((created.id, created.target))
    }

    /// The final poll of `transcribe`: its 202 snapshots are `processing` progress.
    async fn final_poll(&self, run: &Run<'_>, timeout_ms: u64) -> Result<JsValue, Failure> {
        let call = run.call(timeout_ms);
        let o = PollOptions {
            filters: run.o.filters.clone(),
            request: call.request,
            retries: call.retries,
            pacing: run.o.pacing.clone(),
            on_progress: None,
        };
        let report = |snapshot: &JsValue| run.emit(Phase::Processing, snapshot, None);
        let id = run.id().unwrap_or_default();
        self.poll_with(&id, &o, false, &run.abort, &report).await
    }
}

/// Waits for the next event: an upload that ended, the iterator's next step, the timer —
/// or the caller's abort, which ends the call.
async fn wait<C: Chunks>(
    abort: &AbortWatch,
    uploads: &mut Vec<Upload<'_>>,
    source: &mut C,
    timer_ms: u64,
) -> Result<Event, Failure> {
    let mut timer = Sleep::new(timer_ms);
    abort
        .race(&mut poll_fn(|cx| {
            let mut ended = None;
            uploads.retain_mut(|u| match ended {
                Some(_) => true,
                None => match u.as_mut().poll(cx) {
                    Poll::Ready(out) => {
                        ended = Some(out);
                        false
                    }
                    Poll::Pending => true,
                },
            });
            if let Some((n, r)) = ended {
                return Poll::Ready(Event::Uploaded(n, r));
            }
            if let Poll::Ready(Some(step)) = source.poll_chunk(cx) {
                return Poll::Ready(Event::Next(step));
            }
            Pin::new(&mut timer).poll(cx).map(|_| Event::Timer)
        }))
        .await
}

/// Tells the machine what the source gave: a chunk (taken now, its first bytes read),
/// something that is not one, or the end. Returns the chunk's body, for its upload.
async fn feed_chunk(m: &mut Transcriber, value: Option<JsValue>) -> JsValue {
    let Some(value) = value else {
        m.on_chunks_done(Date::now() as u64);
        return JsValue::UNDEFINED;
    };
    let read = match chunk::take(&value) {
        Ok(taken) => taken.read().await,
        Err(e) => Err(e),
    };
    match read {
        Ok(c) => {
            m.on_chunk(Date::now() as u64, c.size, c.mime.as_deref(), &c.head);
            c.body
        }
        Err(e) => {
            m.on_bad_chunk(e);
            JsValue::UNDEFINED
        }
    }
}

/// An upload's outcome for the machine: `Ok`, or the core error of a failure. An abort
/// (or what the caller's code threw) ends the call as it is.
fn settled(outcome: Result<JsValue, Failure>) -> Result<Result<(), Error>, Failure> {
    match outcome {
        Ok(_) => Ok(Ok(())),
        Err(Failure::Api(a)) => Ok(Err(a.error)),
        Err(other) => Err(other),
    }
}

/// Opens the caller's JS chunks (once): the source and the totals of an array.
fn open(chunks: &JsValue) -> Result<(JsChunks, Totals), Failure> {
    let opened = js::open_chunks(chunks)
        .map_err(|m| Error::invalid_argument(m.as_string().unwrap_or_default()))?;
    let totals = (opened.count(), opened.bytes().map(|n| n as u64));
    let source = JsChunks {
        it: opened.iterator(),
        next: None,
        done: false,
    };
    Ok((source, totals))
}

/// A JS progress event (see [`js::progress_event`]).
fn progress_event(
    phase: Phase,
    id: Option<&str>,
    snapshot: &JsValue,
    p: Option<&UploadProgress>,
) -> JsValue {
    js::progress_event(
        phase.as_str(),
        id,
        snapshot,
        p.map(|p| p.chunks_done),
        p.and_then(|p| p.chunks_total),
        p.map(|p| p.bytes_done as f64),
        p.and_then(|p| p.bytes_total).map(|n| n as f64),
    )
}

/// The poll's result, with `missing_chunks` when some are.
fn with_missing(result: JsValue, missing: &[alloc::string::String]) -> JsValue {
    if !missing.is_empty() {
        let list: Array = missing.iter().map(|c| JsValue::from_str(c)).collect();
        let _ = Reflect::set(&result, &"missing_chunks".into(), &list);
    }
    result
}

//! `transcribe`: the driver of the core's [`Transcriber`] machine. It performs each
//! [`TranscribeAction`] — create, ask the caller's iterator for a chunk, upload, end, poll,
//! report progress — and feeds back what happened; every rule (concurrency, the ledger,
//! the target, End's counts, the partial policy, the deadline) is the machine's. When the
//! call stops before the chunks ran out, the iterator's `return()` is called; uploads
//! still in flight are dropped, which aborts their requests.

use alloc::rc::Rc;
use alloc::{boxed::Box, vec::Vec};
use core::future::{poll_fn, Future};
use core::pin::Pin;
use core::task::Poll;

use js_sys::{Array, Date, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::abort::{AbortWatch, Sleep};
use super::chunk;
use super::client::Client;
use super::errors::Failure;
use super::js;
use super::options::{CallOptions, PollOptions, TranscribeOptions};
use super::sessions::target_of;
use crate::proto::{
    CreateSession, Error, Phase, PollConfig, TranscribeAction, TranscribeConfig, Transcriber,
    UploadProgress,
};

/// What the driver waits for between actions.
enum Event {
    /// The iterator's next step: `{ value }`, `null` when done, or what it threw.
    Next(Result<JsValue, JsValue>),
    /// Upload `n` ended.
    Uploaded(u32, Result<JsValue, Failure>),
    /// The machine's timer (its deadline) fired.
    Timer,
}

type Upload<'a> = Pin<Box<dyn Future<Output = (u32, Result<JsValue, Failure>)> + 'a>>;

/// The caller's chunks, opened once. Dropped before the iterator is done, it calls the
/// iterator's `return()` (so that a recorder's clean-up runs).
struct Source {
    it: JsValue,
    done: bool,
}

impl Drop for Source {
    fn drop(&mut self) {
        if !self.done {
            js::close_chunks(&self.it);
        }
    }
}

/// What a call's steps share: the signal, the options, the progress callback.
struct Run<'a> {
    abort: AbortWatch,
    o: &'a TranscribeOptions,
    id: Option<alloc::string::String>,
}

impl Run<'_> {
    /// Reports progress to `onProgress`; what it throws ends the call.
    fn emit(
        &self,
        phase: Phase,
        snapshot: &JsValue,
        p: Option<&UploadProgress>,
    ) -> Result<(), Failure> {
        let Some(f) = &self.o.on_progress else {
            return Ok(());
        };
        let event = js::progress_event(
            phase.as_str(),
            self.id.as_deref(),
            snapshot,
            p.map(|p| p.chunks_done),
            p.and_then(|p| p.chunks_total),
            p.map(|p| p.bytes_done as f64),
            p.and_then(|p| p.bytes_total).map(|n| n as f64),
        );
        f.call1(&JsValue::UNDEFINED, &event)
            .map(|_| ())
            .map_err(Failure::Thrown)
    }

    /// The call options of a step, bounded by what is left of the deadline.
    fn call(&self, timeout_ms: u64) -> CallOptions {
        let mut call = self.o.call.clone();
        call.request.timeout_ms = Some(timeout_ms);
        call
    }
}

impl Client {
    /// `transcribe`: drives a [`Transcriber`] (see the module docs).
    pub async fn transcribe(
        self: Rc<Self>,
        chunks: JsValue,
        req: CreateSession,
        o: TranscribeOptions,
    ) -> Result<JsValue, Failure> {
        let (mut source, cfg) = open(&chunks, &o)?;
        let mut m = Transcriber::new(cfg, self.base().clone(), Date::now() as u64);
        let mut run = Run {
            abort: AbortWatch::new(o.call.request.signal.clone()),
            o: &o,
            id: None,
        };
        let mut uploads: Vec<Upload<'_>> = Vec::new();
        let mut next: Option<JsFuture> = None;
        // The body of the chunk the machine was just told about: its Upload comes next.
        let mut body = JsValue::UNDEFINED;
        let mut result = JsValue::UNDEFINED;
        loop {
            while let Some(action) = m.next_action() {
                match action {
                    TranscribeAction::Progress(phase, p) => {
                        run.emit(phase, &JsValue::UNDEFINED, p.as_ref())?
                    }
                    TranscribeAction::Create { timeout_ms } => {
                        let (id, target) = self.create_for(&req, &run, timeout_ms).await?;
                        m.on_created(&id, target);
                        run.id = Some(id);
                    }
                    TranscribeAction::NextChunk => {
                        next = Some(JsFuture::from(js::next_chunk(&source.it)));
                    }
                    TranscribeAction::Upload {
                        plan, timeout_ms, ..
                    } => {
                        let (id, call) = (run.id.clone().unwrap_or_default(), run.call(timeout_ms));
                        let body = core::mem::take(&mut body);
                        uploads.push(self.start_upload(id, plan, body, call, &run.abort));
                    }
                    TranscribeAction::End {
                        sent,
                        uploaded,
                        timeout_ms,
                    } => {
                        self.end_for(&run, (sent, uploaded), timeout_ms).await?;
                        m.on_ended(Date::now() as u64);
                    }
                    TranscribeAction::Poll { timeout_ms } => {
                        result = self.final_poll(&run, timeout_ms).await?;
                        m.on_polled();
                    }
                    TranscribeAction::Resolve { missing_chunks } => {
                        return Ok(with_missing(result, &missing_chunks));
                    }
                    TranscribeAction::Reject(e) => {
                        return Err(Failure::new(e, run.id.as_deref()));
                    }
                }
            }
            let timer = m.timer_ms(Date::now() as u64);
            match wait(&run.abort, &mut uploads, &mut next, timer).await? {
                Event::Next(step) => body = feed_chunk(&mut m, &mut source, step).await?,
                Event::Uploaded(n, outcome) => {
                    m.on_uploaded(Date::now() as u64, n, settled(outcome)?)
                }
                Event::Timer => m.on_timer(Date::now() as u64),
            }
        }
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
        let id = run.id.clone().unwrap_or_default();
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
        let get = |k: &str| Reflect::get(&created, &k.into()).unwrap_or(JsValue::UNDEFINED);
        let id = get("session_id").as_string().unwrap_or_default();
        let target = target_of(&get("upload_url")).map_err(|e| Failure::new(e, Some(&id)))?;
        Ok((id, target))
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
        let id = run.id.clone().unwrap_or_default();
        self.poll_with(&id, &o, false, &run.abort, &report).await
    }
}

/// Waits for the next event: an upload that ended, the iterator's next step, the timer —
/// or the caller's abort, which ends the call.
async fn wait(
    abort: &AbortWatch,
    uploads: &mut Vec<Upload<'_>>,
    next: &mut Option<JsFuture>,
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
            if let Some(f) = next.as_mut() {
                if let Poll::Ready(r) = Pin::new(f).poll(cx) {
                    *next = None;
                    return Poll::Ready(Event::Next(r));
                }
            }
            Pin::new(&mut timer).poll(cx).map(|_| Event::Timer)
        }))
        .await
}

/// Tells the machine what the iterator gave: a chunk (taken now, its first bytes read),
/// something that is not one, or the end. Returns the chunk's body, for its upload. What
/// the iterator threw ends the call as it is.
async fn feed_chunk(
    m: &mut Transcriber,
    source: &mut Source,
    step: Result<JsValue, JsValue>,
) -> Result<JsValue, Failure> {
    let step = step.map_err(|thrown| {
        // The iterator threw: the protocol does not call its `return()`.
        source.done = true;
        Failure::Thrown(thrown)
    })?;
    if step.is_null() {
        source.done = true;
        m.on_chunks_done(Date::now() as u64);
        return Ok(JsValue::UNDEFINED);
    }
    let value = step.unchecked_into::<js::NextChunk>().value();
    match chunk::take(&value) {
        Ok(taken) => match taken.read().await {
            Ok(c) => {
                m.on_chunk(Date::now() as u64, c.size, c.mime.as_deref(), &c.head);
                Ok(c.body)
            }
            Err(e) => {
                m.on_bad_chunk(e);
                Ok(JsValue::UNDEFINED)
            }
        },
        Err(e) => {
            m.on_bad_chunk(e);
            Ok(JsValue::UNDEFINED)
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

/// Opens the caller's chunks (once) and the machine's options.
fn open(chunks: &JsValue, o: &TranscribeOptions) -> Result<(Source, TranscribeConfig), Failure> {
    let opened = js::open_chunks(chunks)
        .map_err(|m| Error::invalid_argument(m.as_string().unwrap_or_default()))?;
    let cfg = TranscribeConfig {
        concurrency: o.concurrency.unwrap_or(2),
        allow_partial: o.allow_partial_upload.unwrap_or(false),
        timeout_ms: (o.call.request.timeout_ms).unwrap_or(PollConfig::default().timeout_ms),
        chunks_total: opened.count(),
        bytes_total: opened.bytes().map(|n| n as u64),
    };
    let source = Source {
        it: opened.iterator(),
        done: false,
    };
    Ok((source, cfg))
}

/// The poll's result, with `missing_chunks` when some are.
fn with_missing(result: JsValue, missing: &[alloc::string::String]) -> JsValue {
    if !missing.is_empty() {
        let list: Array = missing.iter().map(|c| JsValue::from_str(c)).collect();
        let _ = Reflect::set(&result, &"missing_chunks".into(), &list);
    }
    result
}

//! `transcribe`: the driver of the core's [`Transcriber`] machine, for every way of
//! transcribing (a plain one; a durable one with the caller's `durable` store, which
//! `eka-voice/recorder` uses; its `resume`). It performs each [`TranscribeAction`] —
//! create, ask the caller's iterator for a chunk, store, upload, end, poll, report progress
//! and retries — and feeds back what happened, the page's `online` event included; every
//! rule (concurrency, the ledger, the target, End's counts, the partial policy, the
//! deadline, what an outage means) is the machine's. When the call stops before the chunks
//! ran out, the iterator's `return()` is called; uploads still in flight are dropped,
//! which aborts their requests.

use alloc::rc::Rc;
use alloc::{boxed::Box, vec::Vec};
use core::cell::RefCell;
use core::future::{poll_fn, Future};
use core::pin::Pin;
use core::task::Poll;

use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

mod source;
use source::open;
pub(crate) use source::{Chunks, Totals};

use super::abort::{AbortWatch, Sleep};
use super::chunk;
use super::client::{now, report_retry, Client};
use super::durable::Durable;
use super::errors::Failure;
use super::js;
use super::options::{CallOptions, PollOptions, TranscribeOptions};
use crate::proto::{
    chosen_session_id, CreateSession, Error, Phase, PollConfig, TranscribeAction, TranscribeConfig,
    Transcriber, UploadProgress, DURABLE_REQUEST_RETRIES,
};

/// What the driver waits for between actions.
enum Event {
    /// The source's next chunk (`None`: no more), or what it threw.
    Next(Result<Option<JsValue>, JsValue>),
    /// Upload `n` ended.
    Uploaded(u32, Result<JsValue, Failure>),
    /// The machine's timer (its deadline, a retry) fired.
    Timer,
    /// The page's `online` event.
    Online,
}

type Upload<'a> = Pin<Box<dyn Future<Output = (u32, Result<JsValue, Failure>)> + 'a>>;
/// One action of the driver, performed.
type Step<'a> = Pin<Box<dyn Future<Output = Result<Option<Outcome>, Failure>> + 'a>>;

/// What the driver keeps between actions: the uploads in flight, the body of the chunk the
/// machine was just told about (its Upload comes next), the poll's result.
struct Driving<'a> {
    uploads: Vec<Upload<'a>>,
    body: JsValue,
    result: JsValue,
    /// A durable transcription's store (and the bodies it keeps).
    durable: Option<Durable>,
    /// Chunks fed to the machine so far (the next one's index).
    fed: u32,
    /// The page's next `online` event (a durable transcription).
    online: Option<JsFuture>,
}

/// What a transcription resolves with: the poll's result, the chunks missing from it, the
/// chunks that could never be stored.
pub(crate) type Outcome = (JsValue, Vec<alloc::string::String>, Vec<u32>);

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

    /// The call options of a step, bounded by what is left of the deadline (a durable
    /// transcription's requests retry [`DURABLE_REQUEST_RETRIES`] times unless told).
    fn call(&self, timeout_ms: u64) -> CallOptions {
        let mut call = self.o.call.clone();
        call.request.timeout_ms = Some(timeout_ms);
        if self.o.durable.is_some() {
            let retries = &mut call.retries.max_retries;
            *retries = Some(retries.unwrap_or(DURABLE_REQUEST_RETRIES));
        }
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
        let (result, missing, unstored) = self.drive(&mut source, totals, req, &o, &emit).await?;
        Ok(with_missing(result, &missing, &unstored))
    }

    /// The machine of a transcription: plain, durable (a new recording's, its session id
    /// the caller's or one chosen now), or resumed from `resume`.
    fn machine(&self, totals: Totals, o: &TranscribeOptions) -> Result<Transcriber, Failure> {
        let cfg = TranscribeConfig {
            concurrency: o.concurrency.unwrap_or(2),
            allow_partial: o.allow_partial_upload.unwrap_or(false),
            timeout_ms: (o.call.request.timeout_ms).unwrap_or(PollConfig::default().timeout_ms),
            chunks_total: totals.0,
            bytes_total: totals.1,
            durable: o.durable.is_some(),
        };
        let (base, now) = (self.base().clone(), now());
        if !cfg.durable {
            return Ok(Transcriber::new(cfg, base, now));
        }
        let random = || js_sys::Math::random();
        let seed = (random() * 9e15) as u64;
        if let Some(state) = &o.resume {
            return Ok(Transcriber::resume(cfg, base, now, state, seed)?);
        }
        let id = o.create.session_id.clone().unwrap_or_else(|| {
            chosen_session_id((random() * 4e9) as u32, (random() * 9e15) as u64)
        });
        Ok(Transcriber::durable(cfg, base, now, id, seed))
    }

    /// Drives a [`Transcriber`] (see the module docs) over `source`: the poll's result and
    /// the chunks that did not make it.
    pub(crate) async fn drive<C: Chunks>(
        &self,
        source: &mut C,
        totals: Totals,
        req: CreateSession,
        o: &TranscribeOptions,
        emit: Emit<'_>,
    ) -> Result<Outcome, Failure> {
        let durable = o.durable.as_ref().map(Durable::read).transpose()?;
        let mut m = self.machine(totals, o)?;
        let run = Run {
            abort: AbortWatch::new(o.call.request.signal.clone()),
            o,
            id: RefCell::new(m.session_id().map(Into::into)),
            emit,
        };
        let mut d = Driving {
            uploads: Vec::new(),
            body: JsValue::UNDEFINED,
            result: JsValue::UNDEFINED,
            durable,
            fed: 0,
            online: None,
        };
        loop {
            while let Some(action) = m.next_action() {
                // Boxed: each action's future is its own small state machine, not a variant
                // of this loop's (which would hold the largest of them inline).
                let step: Step<'_> =
                    Box::pin(self.perform(&run, &mut m, source, &mut d, &req, action));
                if let Some(done) = step.await? {
                    return Ok(done);
                }
            }
            let timer = m.timer_ms(now());
            if d.durable.is_some() && d.online.is_none() {
                d.online = Some(JsFuture::from(js::next_online()));
            }
            match wait(&run.abort, &mut d, source, timer).await? {
                Event::Next(step) => {
                    let fed: Pin<Box<dyn Future<Output = JsValue>>> =
                        Box::pin(feed_chunk(&mut m, step.map_err(Failure::Thrown)?));
                    let body = fed.await;
                    match &mut d.durable {
                        Some(store) => store.keep(d.fed, body),
                        None => d.body = body,
                    }
                    d.fed += 1;
                }
                Event::Uploaded(n, outcome) => m.on_uploaded(now(), n, settled(outcome)?),
                Event::Timer => m.on_timer(now()),
                Event::Online => {
                    d.online = None;
                    m.on_online(now())
                }
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
    ) -> Result<Option<Outcome>, Failure> {
        if let Some(store) = &mut d.durable {
            if store.perform(m, &action, now).await? {
                return Ok(None);
            }
        }
        let durable = d.durable.is_some();
        match action {
            TranscribeAction::Create {
                timeout_ms,
                session_id,
            } => {
                let req = CreateSession {
                    session_id: session_id.or_else(|| req.session_id.clone()),
                    ..req.clone()
                };
                match self.create_for(&req, run, timeout_ms).await {
                    Ok((id, target)) => {
                        *run.id.borrow_mut() = Some(id.clone());
                        m.on_created(&id, target);
                    }
                    Err(Failure::Api(a)) if durable => m.on_create_failed(now(), a.error),
                    Err(e) => return Err(e),
                }
            }
            TranscribeAction::End {
                sent,
                uploaded,
                timeout_ms,
            } => match self.end_for(run, (sent, uploaded), timeout_ms).await {
                Ok(_) => m.on_ended(now()),
                Err(Failure::Api(a)) if durable => m.on_end_failed(now(), a.error),
                Err(e) => return Err(e),
            },
            TranscribeAction::Poll { timeout_ms } => {
                d.result = self.final_poll(run, timeout_ms).await?;
                m.on_polled();
            }
            other => return self.perform_now(run, source, d, other),
        }
        Ok(None)
    }

    /// Performs an action that does not wait: progress and retry reports, asking the source
    /// for a chunk, starting an upload, the call's end. `Some(result)` when it is done.
    fn perform_now<'a, C: Chunks>(
        &'a self,
        run: &'a Run<'a>,
        source: &mut C,
        d: &mut Driving<'a>,
        action: TranscribeAction,
    ) -> Result<Option<Outcome>, Failure> {
        match action {
            TranscribeAction::Progress(phase, p) => {
                run.emit(phase, &JsValue::UNDEFINED, p.as_ref())?
            }
            TranscribeAction::NextChunk => source.ask(),
            TranscribeAction::Upload {
                plan, timeout_ms, ..
            } => {
                let (id, call) = (run.id().unwrap_or_default(), run.call(timeout_ms));
                let body = match &d.durable {
                    Some(store) => store.body(plan.n),
                    None => core::mem::take(&mut d.body),
                };
                d.uploads
                    .push(self.start_upload(id, plan, body, call, &run.abort));
            }
            TranscribeAction::Retrying {
                chunk,
                attempt,
                delay_ms,
                error,
            } => {
                if let Some(f) = &run.o.call.retries.on_retry {
                    let e = Failure::new(error, run.id().as_deref());
                    report_retry(f, attempt, delay_ms, e, chunk)?;
                }
            }
            TranscribeAction::Resolve {
                missing_chunks,
                unstored_chunks,
            } => {
                let result = core::mem::take(&mut d.result);
                return Ok(Some((result, missing_chunks, unstored_chunks)));
            }
            TranscribeAction::Reject(e) => return Err(Failure::new(e, run.id().as_deref())),
            // The storage actions (a plain transcription has none).
            _ => {}
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
        let created = self.create(req, &run.call(timeout_ms), &run.abort).await?;
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
    d: &mut Driving<'_>,
    source: &mut C,
    timer_ms: u64,
) -> Result<Event, Failure> {
    let mut timer = Sleep::new(timer_ms);
    let (uploads, online) = (&mut d.uploads, &mut d.online);
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
            if let Some(Poll::Ready(_)) = online.as_mut().map(|o| Pin::new(o).poll(cx)) {
                return Poll::Ready(Event::Online);
            }
            Pin::new(&mut timer).poll(cx).map(|_| Event::Timer)
        }))
        .await
}

/// Tells the machine what the source gave: a chunk (taken now, its first bytes read),
/// something that is not one, or the end. Returns the chunk's body, for its upload.
async fn feed_chunk(m: &mut Transcriber, value: Option<JsValue>) -> JsValue {
    let Some(value) = value else {
        m.on_chunks_done(now());
        return JsValue::UNDEFINED;
    };
    let read = match chunk::take(&value) {
        Ok(taken) => taken.read().await,
        Err(e) => Err(e),
    };
    match read {
        Ok(c) => {
            m.on_chunk(now(), c.size, c.mime.as_deref(), &c.head);
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
        p.filter(|p| p.chunks_waiting > 0 || p.offline)
            .map(|p| p.chunks_waiting),
        p.filter(|p| p.offline).map(|p| p.offline),
    )
}

/// The poll's result, with `missing_chunks` and `unstored_chunks` when some are.
fn with_missing(result: JsValue, missing: &[alloc::string::String], unstored: &[u32]) -> JsValue {
    if !missing.is_empty() {
        let list: Array = missing.iter().map(|c| JsValue::from_str(c)).collect();
        let _ = Reflect::set(&result, &"missing_chunks".into(), &list);
    }
    if !unstored.is_empty() {
        let list: Array = unstored.iter().map(|&n| JsValue::from(n)).collect();
        let _ = Reflect::set(&result, &"unstored_chunks".into(), &list);
    }
    result
}

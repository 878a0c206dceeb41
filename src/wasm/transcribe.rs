//! `transcribe`: create → upload every chunk as it arrives from an (async) iterable, with
//! bounded parallelism → end → poll; one signal, one progress callback with phases, and
//! one deadline counted from the last chunk ([`TranscribeDeadline`]). When it stops before
//! the chunks ran out, it calls the iterator's `return()`; uploads still in flight are
//! dropped, which aborts their requests.

use alloc::rc::Rc;
use alloc::{boxed::Box, string::String, vec::Vec};
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
use super::options::{CallOptions, PollOptions, TranscribeOptions, UploadOptions};
use crate::proto::{
    CreateSession, Error, Phase, PollConfig, TranscribeDeadline, UploadLedger, UploadProgress,
};

/// A progress event (see [`js::progress_event`]).
fn event(
    phase: Phase,
    session_id: Option<&str>,
    snapshot: &JsValue,
    p: Option<&UploadProgress>,
) -> JsValue {
    js::progress_event(
        phase.as_str(),
        session_id,
        snapshot,
        p.map(|p| p.chunks_done),
        p.and_then(|p| p.chunks_total),
        p.map(|p| p.bytes_done as f64),
        p.and_then(|p| p.bytes_total).map(|n| n as f64),
    )
}

enum Event {
    Next(Result<JsValue, JsValue>),
    Uploaded(u64, Result<JsValue, Failure>),
    Deadline,
}

type Upload<'a> = Pin<Box<dyn Future<Output = (u64, Result<JsValue, Failure>)> + 'a>>;

/// The caller's chunks, opened once: the iterator, and the totals when they are known.
/// Dropped before the iterator is done, it calls the iterator's `return()` (so that a
/// recorder's clean-up runs).
struct Source {
    it: JsValue,
    done: bool,
    progress: UploadProgress,
}

impl Source {
    fn open(chunks: &JsValue) -> Result<Source, Error> {
        let opened = js::open_chunks(chunks)
            .map_err(|message| Error::invalid_argument(message.as_string().unwrap_or_default()))?;
        let count = opened.count();
        if count == Some(0) {
            return Err(Error::invalid_argument("no audio chunks were given"));
        }
        Ok(Source {
            it: opened.iterator(),
            done: false,
            progress: UploadProgress::new(count, opened.bytes().map(|n| n as u64)),
        })
    }
}

impl Drop for Source {
    fn drop(&mut self) {
        if !self.done {
            js::close_chunks(&self.it);
        }
    }
}

/// The options of one request of `transcribe`: the call's, with what is left of its
/// deadline.
fn step(o: &CallOptions, deadline: &TranscribeDeadline) -> Result<CallOptions, Failure> {
    let now = Date::now() as u64;
    if deadline.passed(now) {
        return Err(Failure::new(deadline.timeout(), None));
    }
    let mut o = o.clone();
    o.request.timeout_ms = Some(deadline.remaining(now));
    Ok(o)
}

/// The options of the final poll of `transcribe`.
fn final_poll(
    o: &TranscribeOptions,
    deadline: &TranscribeDeadline,
) -> Result<PollOptions, Failure> {
    let call = step(&o.call, deadline)?;
    Ok(PollOptions {
        filters: o.filters.clone(),
        request: call.request,
        retries: call.retries,
        pacing: o.pacing.clone(),
        on_progress: None,
    })
}

impl Client {
    /// `transcribe`: create → upload all chunks as they arrive (bounded parallelism) →
    /// end → poll, with one signal and one progress callback. `timeoutMs` counts from the
    /// last chunk on ([`TranscribeDeadline`]).
    pub async fn transcribe(
        self: Rc<Self>,
        chunks: JsValue,
        req: CreateSession,
        o: TranscribeOptions,
    ) -> Result<JsValue, Failure> {
        let abort = AbortWatch::new(o.call.request.signal.clone());
        let presigned = o.create.presigned_upload.unwrap_or(false);
        let emit = |e: JsValue| match &o.on_progress {
            Some(f) => f
                .call1(&JsValue::UNDEFINED, &e)
                .map(|_| ())
                .map_err(Failure::Thrown),
            None => Ok(()),
        };
        let mut source = Source::open(&chunks)?;
        let timeout = (o.call.request.timeout_ms).unwrap_or(PollConfig::default().timeout_ms);
        let mut deadline = TranscribeDeadline::new(Date::now() as u64, timeout);
        emit(event(Phase::Creating, None, &JsValue::UNDEFINED, None))?;
        let created = self
            .create(&req, presigned, &step(&o.call, &deadline)?, &abort)
            .await?;
        let id = Reflect::get(&created, &"session_id".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let first_failure = self
            .upload_all(&id, &mut source, &o, &mut deadline, &abort, &emit)
            .await?;
        drop(source);
        let allow_partial = o.allow_partial_upload.unwrap_or(false);
        let missing = self.may_go_on(&id, allow_partial, first_failure.as_ref())?;
        emit(event(Phase::Ending, Some(&id), &JsValue::UNDEFINED, None))?;
        self.end(&id, None, None, &step(&o.call, &deadline)?, &abort)
            .await?;
        let report = |snapshot: &JsValue| emit(event(Phase::Processing, Some(&id), snapshot, None));
        let poll = final_poll(&o, &deadline)?;
        let result = self.poll_with(&id, &poll, false, &abort, &report).await?;
        if !missing.is_empty() {
            let list: Array = missing.iter().map(|m| JsValue::from_str(m)).collect();
            let _ = Reflect::set(&result, &"missing_chunks".into(), &list);
        }
        Ok(result)
    }

    /// Uploads every chunk of `source` as it arrives, `concurrency` at a time; resolves
    /// with the first failure of a chunk (the ledger has them all), rejects when the call
    /// must end (abort, deadline, a bad chunk, what the iterator or `onProgress` threw).
    async fn upload_all(
        &self,
        id: &str,
        source: &mut Source,
        o: &TranscribeOptions,
        deadline: &mut TranscribeDeadline,
        abort: &AbortWatch,
        emit: &dyn Fn(JsValue) -> Result<(), Failure>,
    ) -> Result<Option<Failure>, Failure> {
        let uploading =
            |p: &UploadProgress| event(Phase::Uploading, Some(id), &JsValue::UNDEFINED, Some(p));
        emit(uploading(&source.progress))?;
        let mut inflight: Vec<Upload<'_>> = Vec::new();
        let mut next: Option<JsFuture> = None;
        let mut index = 0u32;
        let mut first_failure: Option<Failure> = None;
        let limit = o.concurrency.unwrap_or(2).max(1) as usize;
        loop {
            if next.is_none() && !source.done && inflight.len() < limit {
                next = Some(JsFuture::from(js::next_chunk(&source.it)));
            }
            if next.is_none() && inflight.is_empty() {
                return Ok(first_failure);
            }
            let mut timer = Sleep::new(deadline.remaining(Date::now() as u64));
            let ev = abort
                .race(&mut poll_fn(|cx| {
                    let mut settled = None;
                    inflight.retain_mut(|u| match settled {
                        Some(_) => true,
                        None => match u.as_mut().poll(cx) {
                            Poll::Ready(out) => {
                                settled = Some(out);
                                false
                            }
                            Poll::Pending => true,
                        },
                    });
                    if let Some((size, r)) = settled {
                        return Poll::Ready(Event::Uploaded(size, r));
                    }
                    if let Some(f) = next.as_mut() {
                        if let Poll::Ready(r) = Pin::new(f).poll(cx) {
                            next = None;
                            return Poll::Ready(Event::Next(r));
                        }
                    }
                    Pin::new(&mut timer).poll(cx).map(|_| Event::Deadline)
                }))
                .await?;
            match ev {
                Event::Deadline => {
                    return Err(Failure::new(deadline.timeout(), Some(id)));
                }
                Event::Next(Err(thrown)) => {
                    // The iterator threw: the protocol does not call its `return()`.
                    source.done = true;
                    return Err(Failure::Thrown(thrown));
                }
                Event::Next(Ok(step_value)) => {
                    // `{ value }`, or `null` once the iterator is done.
                    let Some(value) = (!step_value.is_null())
                        .then(|| step_value.unchecked_into::<js::NextChunk>().value())
                    else {
                        source.done = true;
                        continue;
                    };
                    // Taken now: the caller's buffer may change once `next()` is called again.
                    deadline.on_chunk(Date::now() as u64);
                    let opts = UploadOptions {
                        index: Some(index),
                        format: None,
                        call: step(&o.call, deadline)?,
                    };
                    index += 1;
                    let taken = chunk::take(&value);
                    let size = taken.as_ref().map_or(0, chunk::Taken::size);
                    inflight.push(Box::pin(async move {
                        (size, self.upload(id, None, taken, &opts, abort).await)
                    }));
                }
                Event::Uploaded(size, result) => {
                    source.progress.settle(size, result.is_ok());
                    if let Err(e) = result {
                        if let Some(reason) = abort.reason() {
                            return Err(reason);
                        }
                        if e.is_invalid_argument() {
                            return Err(e);
                        }
                        first_failure.get_or_insert(e);
                    }
                    emit(uploading(&source.progress))?;
                }
            }
        }
    }

    /// Whether processing may go on after the uploads (the ledger's rule): the missing
    /// chunks' names, or the `upload_failed` error naming them and the first failure.
    fn may_go_on(
        &self,
        id: &str,
        allow_partial: bool,
        first_failure: Option<&Failure>,
    ) -> Result<Vec<String>, Failure> {
        let missing = self
            .sessions()
            .peek(id, |s| s.ledger.check(allow_partial))
            .unwrap_or_else(|| UploadLedger::default().check(allow_partial));
        missing.map_err(|mut error| {
            if let Some(first) = first_failure.map(Failure::describe) {
                error.message.push_str("; first failure: ");
                error.message.push_str(&first);
            }
            let body = first_failure.map_or(JsValue::UNDEFINED, Failure::body);
            Failure::api(error, body, Some(id))
        })
    }
}

//! `transcribe`: create → upload every chunk as it arrives from an (async) iterable, with
//! bounded parallelism → end → poll; one signal, one progress callback with phases.

use alloc::rc::Rc;
use alloc::{boxed::Box, vec::Vec};
use core::future::{poll_fn, Future};
use core::pin::Pin;
use core::task::Poll;

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::abort::AbortWatch;
use super::chunk;
use super::client::Client;
use super::errors;
use super::js;
use super::lifecycle::UploadOptions;
use super::options::PollOptions;
use crate::proto::{CreateSession, Error, Phase, UploadLedger, UploadProgress};

/// A progress event (see [`js::progress_event`]).
fn event(
    phase: Phase,
    session_id: Option<&str>,
    snapshot: &JsValue,
    p: Option<&UploadProgress>,
) -> JsValue {
    let unknown = |n: Option<u64>| n.map_or(-1.0, |n| n as f64);
    let counts = p.map(|p| {
        [
            p.chunks_done as f64,
            unknown(p.chunks_total.map(u64::from)),
            p.bytes_done as f64,
            unknown(p.bytes_total),
        ]
        .into()
    });
    js::progress_event(phase.as_str(), session_id, snapshot, counts)
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
    js::iterate(chunks).map_err(|code| {
        Error::invalid_argument(match code.as_f64() {
            Some(1.0) => "chunks could not be iterated",
            Some(2.0) => "chunks: the iterator has no next()",
            _ => "chunks must be an iterable or async iterable of Blob / ArrayBuffer / Uint8Array",
        })
    })
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
        let iterator = iterate(&chunks).map_err(|e| errors::without_body(&e, None))?;
        let mut progress = match chunks.dyn_ref::<Array>() {
            Some(a) => UploadProgress::new(
                Some(a.length()),
                a.iter().map(|c| chunk::size_of(&c)).sum::<Option<u64>>(),
            ),
            None => UploadProgress::default(),
        };
        if progress.chunks_total == Some(0) {
            let e = Error::invalid_argument("no audio chunks were given");
            return Err(errors::without_body(&e, None));
        }
        emit(event(Phase::Creating, None, &JsValue::UNDEFINED, None))?;
        let created = self.create(&o.create, o.presigned, &o.poll, &abort).await?;
        let id = Reflect::get(&created, &"session_id".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let uploading =
            |p: &UploadProgress| event(Phase::Uploading, Some(&id), &JsValue::UNDEFINED, Some(p));
        emit(uploading(&progress))?;
        let mut inflight: Vec<Upload<'_>> = Vec::new();
        let mut next: Option<JsFuture> = None;
        let mut exhausted = false;
        let mut index = 0u32;
        let mut first_failure: Option<JsValue> = None;
        let limit = o.concurrency.max(1) as usize;
        loop {
            if next.is_none() && !exhausted && inflight.len() < limit {
                next = Some(JsFuture::from(js::next_chunk(&iterator)));
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
                    // `[value]`, or `null` once the iterator is done.
                    let Some(step) = step.dyn_ref::<Array>() else {
                        exhausted = true;
                        continue;
                    };
                    let value = step.get(0);
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
                    progress.settle(size, result.is_ok());
                    match result {
                        Ok(_) => {}
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
                    emit(uploading(&progress))?;
                }
            }
        }
        drop(inflight);
        let missing = self
            .sessions()
            .peek(&id, |s| s.ledger.check(o.allow_partial))
            .unwrap_or_else(|| UploadLedger::default().check(o.allow_partial));
        let missing = missing.map_err(|mut e| {
            if let Some(first) = first_failure.as_ref().map(js::describe) {
                e.message.push_str("; first failure: ");
                e.message.push_str(&first);
            }
            errors::to_js(
                &e,
                first_failure.as_ref().unwrap_or(&JsValue::UNDEFINED),
                Some(&id),
            )
        })?;
        emit(event(Phase::Ending, Some(&id), &JsValue::UNDEFINED, None))?;
        self.end(&id, None, None, &o.poll, &abort).await?;
        let report = |snapshot: &JsValue| emit(event(Phase::Processing, Some(&id), snapshot, None));
        let result = self.poll_with(&id, &o.poll, false, &abort, &report).await?;
        if !missing.is_empty() {
            let list: Array = missing.iter().map(|m| JsValue::from_str(m)).collect();
            let _ = Reflect::set(&result, &"missing_chunks".into(), &list);
        }
        Ok(result)
    }
}

impl TranscribeOptions {
    /// Reads the `transcribe` options: the Create Session ones, the call ones, and
    /// `concurrency`, `allowPartialUpload`, `onProgress`.
    pub fn read(options: &JsValue) -> Result<TranscribeOptions, Error> {
        use super::options::{call_options, create_options, read, CALL_LEN, CREATE_LEN};
        let spec = concat!(
            spec!(create),
            " ",
            spec!(call),
            " pconcurrency ballowPartialUpload fonProgress"
        );
        let v = read(options, spec)?;
        let (create, presigned) = create_options(&v, 0)?;
        let at = CREATE_LEN + CALL_LEN;
        Ok(TranscribeOptions {
            create,
            presigned,
            poll: call_options(&v, CREATE_LEN, None),
            concurrency: v.count(at).unwrap_or(2),
            allow_partial: v.boolean(at + 1).unwrap_or(false),
            on_progress: v.function(at + 2),
        })
    }
}

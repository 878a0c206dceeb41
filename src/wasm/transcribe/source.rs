//! Where `transcribe`'s chunks come from: the caller's JS (async) iterable (or, for the
//! Rust API, a `Stream`: the same trait), asked one chunk at a time.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::super::errors::Failure;
use super::super::js;
use crate::proto::Error;

/// The number of chunks and their bytes, when known up front.
pub(crate) type Totals = (Option<u32>, Option<u64>);

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
pub(crate) struct JsChunks {
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

/// Opens the caller's JS chunks (once): the source and the totals of an array.
pub(crate) fn open(chunks: &JsValue) -> Result<(JsChunks, Totals), Failure> {
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

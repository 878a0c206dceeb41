//! An optional `AbortSignal`, watched as a future, and races against it.
//!
//! One `abort` listener per operation; it is removed when the watch is dropped (no
//! closure is ever leaked with `forget`).

use std::cell::{Cell, RefCell};
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Poll, Waker};

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use crate::proto::MAX_TIMER_MS;

#[derive(Default)]
struct Shared {
    fired: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

/// Watches an optional `AbortSignal`.
pub struct AbortWatch {
    signal: Option<AbortSignal>,
    shared: Rc<Shared>,
    listener: Option<Closure<dyn FnMut()>>,
}

impl AbortWatch {
    /// Starts watching `signal` (no-op when `None`).
    pub fn new(signal: Option<AbortSignal>) -> AbortWatch {
        let shared = Rc::new(Shared::default());
        let listener = signal.as_ref().filter(|s| !s.aborted()).map(|s| {
            let sh = shared.clone();
            let cb = Closure::<dyn FnMut()>::new(move || {
                sh.fired.set(true);
                if let Some(w) = sh.waker.borrow_mut().take() {
                    w.wake();
                }
            });
            let _ = s.add_event_listener_with_callback("abort", cb.as_ref().unchecked_ref());
            cb
        });
        AbortWatch {
            signal,
            shared,
            listener,
        }
    }

    /// `Some(reason)` once the signal is aborted: `signal.reason`, or an `AbortError`
    /// when the runtime gives none.
    pub fn reason(&self) -> Option<JsValue> {
        let s = self
            .signal
            .as_ref()
            .filter(|s| s.aborted() || self.shared.fired.get())?;
        let reason = s.reason();
        if reason.is_undefined() {
            let e = js_sys::Error::new("The operation was aborted");
            e.set_name("AbortError");
            return Some(e.into());
        }
        Some(reason)
    }

    /// Runs `fut` until it ends or the signal aborts (checked first: an aborted
    /// signal never lets `fut` start).
    pub async fn race<F: Future + Unpin>(&self, fut: &mut F) -> Result<F::Output, JsValue> {
        poll_fn(|cx| {
            if let Some(r) = self.reason() {
                return Poll::Ready(Err(r));
            }
            *self.shared.waker.borrow_mut() = Some(cx.waker().clone());
            Pin::new(&mut *fut).poll(cx).map(Ok)
        })
        .await
    }

    /// Runs `fut` for at most `ms`: `Ok(Some(out))`, `Ok(None)` on time-out, `Err(reason)`
    /// on abort.
    pub async fn race_timeout<F: Future + Unpin>(
        &self,
        fut: &mut F,
        ms: u64,
    ) -> Result<Option<F::Output>, JsValue> {
        let mut timer = TimeoutFuture::new(ms.min(MAX_TIMER_MS) as u32);
        poll_fn(|cx| {
            if let Some(r) = self.reason() {
                return Poll::Ready(Err(r));
            }
            *self.shared.waker.borrow_mut() = Some(cx.waker().clone());
            if let Poll::Ready(out) = Pin::new(&mut *fut).poll(cx) {
                return Poll::Ready(Ok(Some(out)));
            }
            Pin::new(&mut timer).poll(cx).map(|_| Ok(None))
        })
        .await
    }

    /// Sleeps `ms`, or fails at once with the abort reason.
    pub async fn sleep(&self, ms: u64) -> Result<(), JsValue> {
        self.race(&mut TimeoutFuture::new(ms.min(MAX_TIMER_MS) as u32))
            .await
    }
}

impl Drop for AbortWatch {
    fn drop(&mut self) {
        if let (Some(s), Some(cb)) = (&self.signal, &self.listener) {
            let _ = s.remove_event_listener_with_callback("abort", cb.as_ref().unchecked_ref());
        }
    }
}

//! An optional `AbortSignal`, watched as a future, and races against it.
//!
//! One `abort` listener per operation; it is removed when the watch is dropped (no
//! closure is ever leaked with `forget`). The signal is the caller's object, read only
//! through catching helpers: a signal whose `aborted` or `reason` getter (or whose
//! `addEventListener`) throws ends the call with an `invalid_argument` error instead of
//! an exception inside the wasm.

use alloc::rc::Rc;
use core::cell::RefCell;
use core::future::{poll_fn, Future};
use core::pin::Pin;
use core::task::{Poll, Waker};

use wasm_bindgen::prelude::*;

use web_sys::AbortSignal;

use super::errors::Failure;
use super::js::signal_reason;
use crate::proto::MAX_TIMER_MS;

/// The waker of the task waiting on the watch, woken by the `abort` listener.
#[derive(Default)]
struct Shared {
    waker: RefCell<Option<Waker>>,
}

/// Watches an optional `AbortSignal`.
pub struct AbortWatch {
    signal: Option<AbortSignal>,
    shared: Rc<Shared>,
    listener: Option<Closure<dyn FnMut()>>,
    /// Reading or watching the signal threw: the call ends with `invalid_argument`.
    broken: bool,
}

impl AbortWatch {
    /// Starts watching `signal` (no-op when `None`).
    pub fn new(signal: Option<AbortSignal>) -> AbortWatch {
        let mut watch = AbortWatch {
            signal,
            shared: Rc::new(Shared::default()),
            listener: None,
            broken: false,
        };
        let Some(s) = watch.signal.as_ref() else {
            return watch;
        };
        match signal_reason(s) {
            Ok(r) if r.is_undefined() => {
                let sh = watch.shared.clone();
                let cb = Closure::<dyn FnMut()>::new(move || {
                    if let Some(w) = sh.waker.borrow_mut().take() {
                        w.wake();
                    }
                });
                match s.add_event_listener_with_callback("abort", cb.as_ref().unchecked_ref()) {
                    Ok(()) => watch.listener = Some(cb),
                    Err(_) => watch.broken = true,
                }
            }
            Ok(_) => {}
            Err(_) => watch.broken = true,
        }
        watch
    }

    /// `Some` once the signal is aborted: [`Failure::Aborted`] with `signal.reason` (an
    /// `AbortError` when the runtime gives none), or an `invalid_argument` failure when the
    /// signal cannot be read.
    pub fn reason(&self) -> Option<Failure> {
        if self.broken {
            return Some(unreadable());
        }
        match signal_reason(self.signal.as_ref()?) {
            Ok(r) if r.is_undefined() => None,
            Ok(r) => Some(Failure::Aborted(r)),
            Err(_) => Some(unreadable()),
        }
    }

    /// Runs `fut` until it ends or the signal aborts (checked first: an aborted
    /// signal never lets `fut` start).
    pub async fn race<F: Future + Unpin>(&self, fut: &mut F) -> Result<F::Output, Failure> {
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
    ) -> Result<Option<F::Output>, Failure> {
        let mut timer = Sleep::new(ms);
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
    pub async fn sleep(&self, ms: u64) -> Result<(), Failure> {
        self.race(&mut Sleep::new(ms)).await
    }
}

/// The error of a signal that cannot be read.
fn unreadable() -> Failure {
    Failure::plain(
        crate::proto::ErrorCode::InvalidArgument,
        "`signal` could not be read",
        None,
    )
}

impl Drop for AbortWatch {
    fn drop(&mut self) {
        if let (Some(s), Some(cb)) = (&self.signal, &self.listener) {
            let _ = s.remove_event_listener_with_callback("abort", cb.as_ref().unchecked_ref());
        }
    }
}

/// A timer as a future: gloo-timers' `TimeoutFuture` (the global `setTimeout`; dropped
/// before it fires, it clears the timer and frees its callback).
pub struct Sleep(gloo_timers::future::TimeoutFuture);

impl Sleep {
    /// Fires after `ms` milliseconds (capped at [`MAX_TIMER_MS`], the timers' limit).
    pub fn new(ms: u64) -> Sleep {
        Sleep(gloo_timers::future::TimeoutFuture::new(
            ms.min(MAX_TIMER_MS) as u32,
        ))
    }
}

impl Future for Sleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut core::task::Context<'_>) -> Poll<()> {
        Pin::new(&mut self.0).poll(cx)
    }
}

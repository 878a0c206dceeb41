//! # eka-voice
//!
//! A client for the Eka Care Voice API: it turns a doctor–patient conversation into a
//! transcript and structured clinical documents. This crate is two things:
//!
//! - [`proto`]: the sans-IO protocol core (URL building, answer classification, retry
//!   and backoff decisions, `Retry-After` parsing, request bodies, audio naming and
//!   sniffing, the upload ledger) — plain Rust, tested on the host;
//! - [`wasm`] (only on `wasm32`): the thin layer that performs `fetch`, timers and JS
//!   conversions, exported to JS with wasm-bindgen (`VoiceClient` with `getSession`,
//!   `pollSession`, `createSession`, `uploadAudio`, `endSession`, `transcribe`; the
//!   one-shot `pollSession` / `getSession`; `VoiceApiError`) and usable from Rust/wasm
//!   frontends too.
//!
//! The npm package `eka-voice` is built from this crate (`npm run build`).

#![warn(missing_docs)]
// The crate needs only `core` and `alloc`; whether the standard library is linked is the
// `std` feature's choice (see Cargo.toml). Without it (the recorder's module) a panic traps
// and no panic-message formatting ends up in the module.
#![no_std]

extern crate alloc;
// Off wasm there is always a standard library to link (and a cdylib needs its panic
// handler and allocator), whatever the features.
#[cfg(any(feature = "std", not(target_arch = "wasm32")))]
extern crate std;

pub mod proto;

// Available on `wasm32` only; documented on every target.
#[cfg(any(target_arch = "wasm32", doc))]
pub mod wasm;

/// In the npm package's module (feature `js-package`) on single-threaded wasm, talc
/// replaces dlmalloc: the allocator is the largest single item of the module, and talc is
/// both smaller and faster. A Rust app that depends on the crate chooses its own.
#[cfg(all(
    target_arch = "wasm32",
    not(target_feature = "atomics"),
    any(feature = "js-package", feature = "recorder")
))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Without the standard library on wasm (the recorder's module): a panic traps. The module
/// is built with `panic = "abort"`; its JS side reports a trap as the pipeline failing.
#[cfg(all(target_arch = "wasm32", not(feature = "std"), not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

//! **Available on `wasm32` only.**
//!
//! The thin wasm layer: it performs what the [`proto`](crate::proto) core decides —
//! `fetch`, timers, `getToken` calls, JS conversions — and makes no protocol decisions
//! of its own.
//!
//! | module | concern |
//! |---|---|
//! | [`api`] | `#[wasm_bindgen]` exports: `VoiceClient` (all its methods), `pollSession`, `getSession`, `VoiceApiError` |
//! | [`client`] | runs a [`Poller`](crate::proto::Poller): the action loop of every call |
//! | [`lifecycle`] | `createSession`, `uploadAudio` (a planned upload, raw or presigned), `endSession` |
//! | [`transcribe`] | the driver of the core's [`Transcriber`](crate::proto::Transcriber): create → upload as chunks arrive → end → poll |
//! | [`discovery`] | the client's kept Discovery answer (the core says how long; a create is checked against it) |
//! | [`durable`] | a durable transcription's store: the caller's `durable` hooks, performing the core's storage actions |
//! | [`sessions`] | the client's table of sessions (the core's, behind a `RefCell`), `upload_url` from JS |
//! | [`chunk`] | audio chunks from JS (Blob, ArrayBuffer, views) |
//! | [`options`] | every call's options, declared once each (`options!`): struct, spec, reads |
//! | [`token`] | the token source: static token, `getToken`, one shared refresh |
//! | [`fetch`] | one request through the global `fetch`, bounded by a timeout and the signal |
//! | [`abort`] | `AbortSignal` as a future; races with it; the timer (gloo-timers) |
//! | [`errors`] | [`Failure`](errors::Failure): the one error type of the layer; `VoiceApiError` at the edge |
//! | [`js`] | bindings of `snippet.js` (the boundary with the caller's objects): `VoiceApiError`, option checks, the fetch exchange, chunks, `upload_url` forms, progress events |
//! | [`model`] | typed views of session bodies for Rust users (serde-wasm-bindgen) |
//! | [`rust_api`] | the client's Rust API: typed results, [`Failure`](errors::Failure) errors, progress closures |
//! | [`rust_hooks`] | the Rust API's hooks as Rust closures: a token source, `onRetry`, a waiting operation's `onProgress` |
//! | `server` | (feature `server`) the server entry's exports: `verifyWebhook`, `handleWebhook`'s parts, `ClientCredentials` |
//! | `recorder` | (feature `recorder`) the recorder entry's `RecorderDsp`: the DSP pipeline in the AudioWorklet, events as numbers |
//! | `budget` | (feature `server`) the client's request budget in the request path (`pollMany`) |
//!
//! The client's modules need the `std` feature (gloo-timers); the recorder's does not.
//!
//! Timers and `fetch` are bound as globals (never `window.…`), so the same build runs in
//! browsers, workers and Node.

// The recorder's module (no `std`) documents only `recorder`: the table's links to the
// client's modules have nothing to point at there.
#![cfg_attr(not(feature = "std"), allow(rustdoc::broken_intra_doc_links))]

#[cfg(feature = "std")]
pub mod abort;
#[cfg(feature = "std")]
pub mod api;
#[cfg(all(feature = "std", feature = "server"))]
pub mod budget;
#[cfg(feature = "std")]
pub mod call;
#[cfg(feature = "std")]
pub mod chunk;
#[cfg(feature = "std")]
pub mod client;
#[cfg(feature = "std")]
pub mod discovery;
#[cfg(feature = "std")]
pub mod durable;
#[cfg(feature = "std")]
pub mod errors;
#[cfg(feature = "std")]
pub mod fetch;
#[cfg(feature = "std")]
pub mod js;
#[cfg(feature = "std")]
pub mod lifecycle;
#[cfg(all(feature = "std", feature = "serde"))]
pub mod model;
#[cfg(feature = "std")]
pub mod options;
#[cfg(feature = "recorder")]
pub mod recorder;
#[cfg(all(feature = "std", feature = "serde"))]
pub mod rust_api;
#[cfg(all(feature = "std", feature = "serde"))]
pub mod rust_hooks;
#[cfg(all(feature = "std", feature = "server"))]
pub mod server;
#[cfg(feature = "std")]
pub mod sessions;
#[cfg(feature = "std")]
pub mod token;
#[cfg(feature = "std")]
pub mod transcribe;

#[cfg(feature = "std")]
pub use api::{get_session, poll_session, VoiceClient};
#[cfg(feature = "std")]
pub use options::{ClientOptions, GetOptions, PollOptions};

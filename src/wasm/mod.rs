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
//! | `server` | (feature `server`) the server entry's exports: `verifyWebhook`, `handleWebhook`'s parts, `ClientCredentials` |
//! | `recorder` | (feature `recorder`) the recorder entry's `RecorderDsp`: the DSP pipeline in the AudioWorklet, events as numbers |
//! | `budget` | (feature `server`) the client's request budget in the request path (`pollMany`) |
//!
//! Timers and `fetch` are bound as globals (never `window.…`), so the same build runs in
//! browsers, workers and Node.

pub mod abort;
pub mod api;
#[cfg(feature = "server")]
pub mod budget;
pub mod chunk;
pub mod client;
pub mod errors;
pub mod fetch;
pub mod js;
pub mod lifecycle;
#[cfg(feature = "serde")]
pub mod model;
pub mod options;
#[cfg(feature = "recorder")]
pub mod recorder;
#[cfg(feature = "serde")]
pub mod rust_api;
#[cfg(feature = "server")]
pub mod server;
pub mod sessions;
pub mod token;
pub mod transcribe;

pub use api::{get_session, poll_session, VoiceClient};
pub use options::{ClientOptions, GetOptions, PollOptions};

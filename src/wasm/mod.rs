//! The thin wasm layer: it performs what the [`proto`](crate::proto) core decides —
//! `fetch`, timers, `getToken` calls, JS conversions — and makes no protocol decisions
//! of its own.
//!
//! | module | concern |
//! |---|---|
//! | [`api`] | `#[wasm_bindgen]` exports: `VoiceClient` (all its methods), `pollSession`, `getSession`, `VoiceApiError` |
//! | [`client`] | runs a [`Poller`](crate::proto::Poller): the action loop of every call |
//! | [`lifecycle`] | `createSession`, `uploadAudio` (raw and presigned), `endSession` |
//! | [`transcribe`] | create → upload as chunks arrive → end → poll, with phases |
//! | [`sessions`] | what a client remembers of a session: upload target, ledger |
//! | [`chunk`] | audio chunks from JS (Blob, ArrayBuffer, views) |
//! | [`options`] | reads camelCase JS option objects into Rust structs |
//! | [`token`] | the token source: static token, `getToken`, one shared refresh |
//! | [`fetch`] | one request through the global `fetch`, bounded by a timeout and the signal |
//! | [`abort`] | `AbortSignal` as a future; races with it |
//! | [`errors`] | core errors as JS `VoiceApiError`s |
//! | [`js`] | bindings of `snippet.js`: `VoiceApiError`, the timer, option checks, the fetch exchange, chunks, `upload_url` forms, progress events |
//! | [`model`] | typed views of session bodies for Rust users (serde-wasm-bindgen) |
//!
//! Timers and `fetch` are bound as globals (never `window.…`), so the same build runs in
//! browsers, workers and Node.

pub mod abort;
pub mod api;
pub mod chunk;
pub mod client;
pub mod errors;
pub mod fetch;
pub mod js;
pub mod lifecycle;
#[cfg(feature = "serde")]
pub mod model;
pub mod options;
pub mod sessions;
pub mod token;
pub mod transcribe;

pub use api::{get_session, poll_session, VoiceClient};
pub use options::{ClientOptions, GetOptions, PollOptions};

//! The sans-IO protocol core: no web-sys, no clock, no randomness of its own.
//!
//! | module | concern |
//! |---|---|
//! | [`url`] | base-URL policy, percent-encoded session ids, filters |
//! | [`classify`](mod@classify) | the whole answer table, rules at the top |
//! | [`retry_after`] | `Retry-After` delta-seconds or HTTP-date → ms |
//! | [`backoff`] | capped exponential backoff with jitter (random as input) |
//! | [`poll`] | [`Poller`]: `on_*(now, …) -> Action` |
//! | [`create`] | Create Session: body and URL |
//! | [`upload`] | where and how a chunk is uploaded, the upload ledger |
//! | [`end`] | End Session: body and URL |
//! | [`sessions`] | what a client remembers of a session: upload target, ledger (bounded) |
//! | [`transcribe`] | a transcription's phases, progress, deadline, config and actions |
//! | [`Transcriber`] | THE lifecycle machine of every transcription: plain, durable (a recording's: stored, outage-proof), resumed |
//! | [`durable`] | a durable transcription's stored state: its text, read back with every check |
//! | [`audio`] | audio formats: names, MIME types, sniffing, size limit |
//! | [`token`] | the bearer token's syntax |
//! | [`refresh`] | a client's token and its single-flight refreshes (generations, waiters) |
//! | [`chunker`] | the recorder's chunking rules (cuts at pauses, 20 s at most) |
//! | [`wav`] | the WAV writer (what the recorder uploads) and reader (files to split) |
//! | [`vad`] | the recorder's voice-activity detector (earshot), the energy baseline, speech edges |
//! | [`recorder`] | the recorder's pipeline: resample → meter → detector → chunker; `split_wav` |
//! | [`seam`] | what crosses between the recorder's worklet, its page and the core: rule names and defaults, event kinds, cut names (the JS side's list is generated from here) |
//! | [`meter`] | the recorder's level meter (dBFS, 20 a second) and no-signal detector |
//! | [`resample`] | the recorder's downmix and resampling to 16 kHz (anti-aliasing filter) |
//! | [`budget`] | a client's request budget (even pacing) and client-wide pause |
//! | [`credentials`] | tokens from client credentials: login, refresh at 80 %, re-login |
//! | [`discovery`] | how long Discovery's answer is kept (its `Cache-Control`); a create checked against it |
//! | [`webhook`] | webhooks: the signature header, HMAC, freshness, the normalised event |
//! | [`error`] | [`Error`] with a stable [`ErrorCode`]; redaction of secrets |
//!
//! Everything here runs and is tested on the host with `cargo test`. The recorder's modules
//! (chunker, meter, resample, vad, wav, recorder) are compiled on the host and in
//! the recorder's module (feature `recorder`) only: the client's modules never hold them,
//! not even as dead code that would shift what the optimizer does with the rest.

pub mod audio;
pub mod backoff;
pub mod budget;
#[cfg(any(feature = "recorder", not(target_arch = "wasm32"), doc))]
pub mod chunker;
pub mod classify;
pub mod create;
pub mod credentials;
pub mod discovery;
pub mod durable;
pub mod end;
pub mod error;
mod json;
#[cfg(any(feature = "recorder", not(target_arch = "wasm32"), doc))]
pub mod meter;
pub mod ops;
pub mod poll;
#[cfg(any(feature = "server", not(target_arch = "wasm32"), doc))]
pub mod proxy;
#[cfg(any(feature = "recorder", not(target_arch = "wasm32"), doc))]
pub mod recorder;
pub mod refresh;
#[cfg(any(feature = "recorder", not(target_arch = "wasm32"), doc))]
pub mod resample;
pub mod retry_after;
#[cfg(any(feature = "recorder", not(target_arch = "wasm32"), doc))]
pub mod seam;
pub mod sessions;
pub mod token;
pub mod transcribe;
mod transcriber;
pub mod upload;
pub mod url;
#[cfg(any(feature = "recorder", not(target_arch = "wasm32"), doc))]
pub mod vad;
#[cfg(any(feature = "recorder", not(target_arch = "wasm32"), doc))]
pub mod wav;
pub mod webhook;

pub use audio::{
    check_chunk_size, file_name, resolve_format, stored_name, AudioFormat, MAX_CHUNK_BYTES,
    SNIFF_BYTES,
};
pub use backoff::Backoff;
pub use budget::RequestBudget;
#[cfg(any(feature = "recorder", not(target_arch = "wasm32"), doc))]
pub use chunker::{Chunker, ChunkerConfig, CutReason, RecordedChunk};
pub use classify::{
    classify_answer, http_error, refuses_token, BodyFacts, Op, SessionStatus, Verdict,
    DEFAULT_MAX_RESPONSE_BYTES, MAX_FIELD_CHARS, MAX_MESSAGE_CHARS, SESSION_BODY_STATUSES,
};
pub use create::{create_url, CreateSession, UploadType, MAX_ADDITIONAL_DATA_BYTES};
pub use credentials::{
    AuthAnswer, CredentialStep, Credentials, AUTH_REQUEST_TIMEOUT_MS, AUTH_TIMEOUT_MS,
    MAX_AUTH_ANSWER_BYTES, MIN_LIFETIME_S, REFRESH_AT_PERCENT,
};
pub use durable::{DurableState, MAX_CHUNKS};
pub use end::{end_body, end_counts, end_url};
pub use error::{push_decimal, redact, Error, ErrorCode, MIN_SECRET_CHARS, REDACTED};
#[cfg(any(feature = "recorder", not(target_arch = "wasm32"), doc))]
pub use meter::{LevelMeter, MeterEvent, LEVELS_PER_SECOND, SILENT_DBFS};
#[cfg(any(not(target_arch = "wasm32"), doc))]
pub use ops::operations_js;
pub use ops::{
    match_op, op_url, session_url, Body, OpRow, LOGIN_PATH, NO_SESSIONS, OPS, OWN_METHODS,
    REFRESH_PATH,
};
pub use poll::{Action, PollConfig, Poller, Transport, MAX_TIMER_MS, MIN_INTERVAL_MS};
#[cfg(any(feature = "server", not(target_arch = "wasm32"), doc))]
pub use proxy::{proxy_route, proxy_upload_url, ProxyRoute, PROXY_MAX_BODY_BYTES};
#[cfg(any(feature = "recorder", not(target_arch = "wasm32"), doc))]
pub use recorder::{
    fit_rules_to_service, split_wav, RecorderConfig, RecorderCore, RecorderEvent, CHUNK_MS,
    FITTED_RULES, PARTIAL_EVERY_MS, PAUSE_MS,
};
pub use refresh::{TokenState, TokenStep, Versioned};
#[cfg(any(feature = "recorder", not(target_arch = "wasm32"), doc))]
pub use resample::{downmix, Resampler, PHASES, TARGET_RATE};
pub use retry_after::{parse_http_date, parse_retry_after, MAX_RETRY_AFTER_MS};
#[cfg(any(feature = "recorder", not(target_arch = "wasm32"), doc))]
pub use seam::{recorder_seam_js, rule_defaults, CUT_NAMES, EVENT_KINDS, EVENT_SLOTS};
pub use sessions::{
    SessionState, Sessions, Target, UploadPlan, UploadRequest, UploadUrlRead, MAX_SESSIONS,
    PRESIGNED_KEYS,
};
pub use token::{check_token, not_a_token, token_source_error, ThrownFacts};
pub use transcribe::{
    Phase, TranscribeAction, TranscribeConfig, TranscribeDeadline, UploadProgress,
};
pub use transcriber::{chosen_session_id, Transcriber, DURABLE_REQUEST_RETRIES};
pub use upload::{
    check_presigned_url, default_upload_url, presigned_fields, raw_upload_url, UploadLedger,
};
pub use url::{check_session_id, push_encoded, BaseUrl, Filter, DEFAULT_BASE_URL};
#[cfg(any(feature = "recorder", not(target_arch = "wasm32"), doc))]
pub use vad::{
    frame_dbfs, EnergyDetector, SpeechDetector, SpeechEdge, SpeechGate, VoiceDetector, VAD_FRAME,
};
#[cfg(any(feature = "recorder", not(target_arch = "wasm32"), doc))]
pub use wav::{
    parse_wav, parse_wav_header, wav_bytes, wav_header_needs, WavAudio, WavFrames, WavHeader,
    WAV_RATES,
};
pub use webhook::{
    check_freshness, invalid_signature, normalize_event, python_canonical, verify_delivery,
    webhook_answer, SeenSessions, Signature, WebhookEvent, DEFAULT_TOLERANCE_S, MAX_SIGNATURES,
    SIGNATURE_HEADER,
};

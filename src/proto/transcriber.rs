//! The one lifecycle machine of a transcription: create → upload chunks as they arrive →
//! end → poll, for every way of transcribing (`client.transcribe`, `recorder.transcribe`,
//! `resumeTranscription`). Sans-IO: time (`now_ms`), randomness (`rand01`) and facts come
//! in (`on_*`), actions go out ([`Transcriber::next_action`]).
//!
//! Rules, every transcription:
//! - no input at all (an empty array, an iterable that ends at once) fails before anything
//!   is sent;
//! - a chunk that is not audio (`invalid_audio`), or cannot be uploaded where the session
//!   says (a refused target: `invalid_response`), ends the call at once;
//! - a plain transcription asks for its first chunk, and checks it, BEFORE it creates the
//!   session: a file that is not audio, or an iterable that throws at once, leaves no
//!   session behind;
//! - at most `concurrency` uploads in flight, lowest chunk first;
//! - a chunk is never dropped silently, and End is never sent while a chunk is in doubt;
//! - End reports the counts; the result lists the missing chunks.
//!
//! A plain transcription (`client.transcribe`):
//! - chunks are asked for only when an upload may start (the iterable's back-pressure);
//! - a chunk that still fails after its request's retries is final: once the chunks ran out
//!   and nothing is in flight, End is sent only if every chunk made it, or (with
//!   `allow_partial`) at least one did; else `upload_failed` naming them;
//! - `timeout_ms` counts from the last chunk ([`TranscribeDeadline`]).
//!
//! A durable transcription (a recording's, [`TranscribeConfig::durable`]):
//! - the session id is chosen by the client and saved BEFORE Create is sent: a create that
//!   may have reached the service is safe to repeat, and a 409 for that id means it did
//!   (then the session's audio goes to its default endpoint);
//! - every chunk is asked for as soon as it can come (a recording does not wait), stored
//!   (`Store`), then uploaded; a chunk that could not be stored (a full disk) is uploaded
//!   from memory all the same and named in the result (`unstored_chunks`);
//! - a step that fails for want of a network or a service (`network`, `server_error`,
//!   `rate_limited`, `timeout`, `token_unavailable`) is NEVER final
//!   while the recording goes on: it is tried again after a capped backoff (1 s … 30 s), at
//!   once when the network comes back ([`Transcriber::on_online`]), and reported
//!   (`Retrying`); other failures (a 4xx) are final for that step;
//! - there is no deadline while chunks come; once the recording stopped, `timeout_ms`:
//!   then the call fails naming what is missing (`upload_failed`; it stays stored for a
//!   resume), or `timeout` when only End or the result is missing;
//! - End only once the service has EVERY chunk cut, with `audio_files_sent` = the chunks
//!   cut; a chunk that is neither uploaded nor stored any more (lost) fails the call naming
//!   it — never an End with fewer;
//! - the state is saved (`Save`, [`DurableState`]) after each change; a chunk the service
//!   has is dropped from storage (`Drop`); everything is forgotten (`Forget`) once the
//!   result is in. [`Transcriber::resume`] restores a stored state: it loads (`Load`) each
//!   stored chunk the service lacks and finishes the job.

use super::audio::{resolve_format, AudioFormat};
use super::backoff::Backoff;
use super::durable::{DurableState, MAX_CHUNKS};
use super::error::{Error, ErrorCode};
use super::sessions::{SessionState, Target};
use super::transcribe::{TranscribeAction, TranscribeConfig, TranscribeDeadline, UploadProgress};
use super::url::BaseUrl;
use alloc::{string::String, vec::Vec};

/// How often a durable transcription's requests retry by themselves (unless `maxRetries`
/// says otherwise): once, for a blip. Past that the machine's own backoff takes over, so
/// that the step is reported (`Retrying`, `offline`) within seconds of an outage, not after
/// a request's whole retry budget.
pub const DURABLE_REQUEST_RETRIES: u32 = 1;

/// The backoff of a durable transcription's steps: 1 s, 2 s, … 30 s (equal jitter).
const STEP_BACKOFF: Backoff = Backoff {
    base_ms: 1_000,
    max_ms: 30_000,
};

/// Where one chunk is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    /// Its body is at hand; send it once `wake_ms` has come.
    Waiting { wake_ms: u64 },
    /// Its body is being read from storage (resuming).
    Loading,
    /// Being uploaded.
    InFlight,
    /// The service has it.
    Uploaded,
    /// Failed for good.
    Failed,
    /// Neither uploaded nor stored any more.
    Lost,
}

/// One chunk: where it is, its size and format, its failed attempts, whether it is stored.
#[derive(Clone, Debug)]
struct Chunk {
    slot: Slot,
    size: u64,
    format: AudioFormat,
    tries: u32,
    unstored: bool,
}

/// A step that is not an upload (Create, End) and its retry time, in a durable transcription.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Step {
    /// Not started (or done).
    #[default]
    Idle,
    /// Under way.
    Busy,
    /// Failed; tried again at this time.
    Retry(u64),
}

/// The lifecycle machine; see the module docs.
///
/// ```
/// use eka_voice::proto::*;
/// let cfg = TranscribeConfig { concurrency: 2, allow_partial: false, timeout_ms: 60_000,
///                              chunks_total: Some(1), bytes_total: Some(8), durable: false };
/// let mut t = Transcriber::new(cfg, BaseUrl::default(), 0);
/// assert!(matches!(t.next_action(), Some(TranscribeAction::Progress(Phase::Creating, None))));
/// assert_eq!(t.next_action(), Some(TranscribeAction::NextChunk));
/// t.on_chunk(20, 8, None, b"OggS");
/// assert!(matches!(t.next_action(), Some(TranscribeAction::Create { .. })));
/// t.on_created("ses_1", None);
/// assert!(matches!(t.next_action(), Some(TranscribeAction::Progress(Phase::Uploading, _))));
/// let Some(TranscribeAction::Upload { plan, .. }) = t.next_action() else { panic!() };
/// assert_eq!(plan.name, "audio_0.ogg");
/// ```
#[derive(Clone, Debug)]
pub struct Transcriber {
    cfg: TranscribeConfig,
    base: BaseUrl,
    /// `None` in a durable transcription until the recording stopped.
    deadline: Option<TranscribeDeadline>,
    session_id: Option<String>,
    created: bool,
    create: Step,
    end: Step,
    ended: bool,
    state: SessionState,
    chunks: Vec<Chunk>,
    progress: UploadProgress,
    /// The actions to perform, in order (drained before new events come).
    actions: Vec<Option<TranscribeAction>>,
    read: usize,
    asking: bool,
    chunks_done: bool,
    /// Failed steps in a row (the backoff's attempt).
    failures: u32,
    first_failure: Option<Error>,
    missing: Vec<String>,
    /// Durable: the state changed since the last `Save`.
    dirty: bool,
    /// Resuming: the last chunk is only looked for (it may have been stored after the state).
    probing: bool,
    settled: bool,
    /// The time of the last event.
    now: u64,
    /// The jitter's random state (xorshift; never 0).
    seed: u64,
}

mod steps;
use steps::transient;

/// A session id for a durable transcription, from 96 random bits: `evs_` and 24 hex
/// digits (28 characters: within the service's 16–32).
///
/// ```
/// assert_eq!(eka_voice::proto::chosen_session_id(0xabc, 1), "evs_00000abc0000000000000001");
/// ```
pub fn chosen_session_id(high: u32, low: u64) -> String {
    let mut s = String::from("evs_");
    for shift in (0..24).rev() {
        let v = if shift >= 16 {
            u64::from(high) >> ((shift - 16) * 4)
        } else {
            low >> (shift * 4)
        };
        s.push(char::from(b"0123456789abcdef"[(v & 15) as usize]));
    }
    s
}

impl Transcriber {
    /// A plain `transcribe` started at `now_ms`, uploading to sessions under `base`.
    pub fn new(cfg: TranscribeConfig, base: BaseUrl, now_ms: u64) -> Transcriber {
        let cfg = TranscribeConfig {
            durable: false,
            ..cfg
        };
        let mut t = Transcriber::empty(cfg, base, now_ms);
        t.deadline = Some(TranscribeDeadline::new(now_ms, cfg.timeout_ms));
        if cfg.chunks_total == Some(0) {
            t.reject(Error::invalid_argument("no audio chunks were given"));
        } else {
            t.start(now_ms);
        }
        t
    }

    /// A durable transcription of a new recording, started at `now_ms`, whose session will
    /// be `session_id` (the caller's, or [`chosen_session_id`]); `seed` drives the jitter of
    /// its backoff.
    pub fn durable(
        cfg: TranscribeConfig,
        base: BaseUrl,
        now_ms: u64,
        session_id: String,
        seed: u64,
    ) -> Transcriber {
        let mut t = Transcriber::empty_durable(cfg, base, now_ms, session_id, seed);
        t.dirty = true;
        t.start(now_ms);
        t
    }

    /// Resumes a durable transcription from its stored [`DurableState`] text, at `now_ms`:
    /// no more chunks come; the stored ones the service lacks are loaded and uploaded, and
    /// the one that may have been stored after the state (a crash between the two) is
    /// looked for. A corrupt state is `invalid_argument`.
    pub fn resume(
        cfg: TranscribeConfig,
        base: BaseUrl,
        now_ms: u64,
        stored: &str,
        seed: u64,
    ) -> Result<Transcriber, Error> {
        let s = DurableState::decode(stored)?;
        let id = s.session_id.clone().ok_or_else(|| {
            Error::invalid_argument("the stored transcription is corrupt: no session id")
        })?;
        let mut t = Transcriber::empty_durable(cfg, base, now_ms, id, seed);
        t.restore(s, now_ms);
        Ok(t)
    }

    /// The next action to perform, if any (then wait for an event).
    pub fn next_action(&mut self) -> Option<TranscribeAction> {
        let next = self.actions.get_mut(self.read).and_then(Option::take);
        self.read += 1;
        if next.is_none() {
            self.actions.clear();
            self.read = 0;
        }
        next
    }

    /// Milliseconds until [`Transcriber::on_timer`] is due: the deadline, or the next
    /// retry of a durable transcription ([`MAX_TIMER_MS`](super::MAX_TIMER_MS) when none).
    pub fn timer_ms(&self, now_ms: u64) -> u64 {
        let mut at = self
            .deadline
            .map_or(u64::MAX, |d| now_ms + d.remaining(now_ms));
        for c in &self.chunks {
            if let Slot::Waiting { wake_ms } = c.slot {
                if wake_ms > now_ms {
                    at = at.min(wake_ms);
                }
            }
        }
        for step in [self.create, self.end] {
            if let Step::Retry(t) = step {
                at = at.min(t);
            }
        }
        at.saturating_sub(now_ms).min(super::MAX_TIMER_MS)
    }

    /// The session, once known (a durable transcription's from the start).
    pub fn session_id(&self) -> Option<&str> {
        self.session_id.as_deref()
    }

    /// The session was created: `session_id`, and its `upload_url` when it had one.
    pub fn on_created(&mut self, session_id: &str, target: Option<Target>) {
        self.session_id = Some(session_id.into());
        self.state.target = target;
        self.created = true;
        self.create = Step::Idle;
        self.succeeded();
        self.report();
        self.after_event(self.now);
    }

    /// Create Session failed with `error` (after its request's own retries).
    pub fn on_create_failed(&mut self, now_ms: u64, error: Error) {
        self.now = now_ms;
        if self.cfg.durable && error.code == ErrorCode::Conflict {
            // Our own id exists: an earlier attempt reached the service, its answer did not.
            let id = self.session_id.clone().unwrap_or_default();
            return self.on_created(&id, None);
        }
        self.create = self.failed_step(now_ms, error);
        self.after_event(now_ms);
    }

    /// A chunk arrived: `size` bytes, the Blob's `mime` type if any, its first bytes.
    pub fn on_chunk(&mut self, now_ms: u64, size: u64, mime: Option<&str>, head: &[u8]) {
        self.now = now_ms;
        self.asking = false;
        if self.settled {
            return;
        }
        if !self.cfg.durable {
            if let Some(d) = &mut self.deadline {
                d.on_chunk(now_ms);
            }
        }
        let n = self.chunks.len() as u32;
        if self.cfg.durable && n >= MAX_CHUNKS {
            return self.reject(Error::invalid_argument(
                "a recording has at most 65536 chunks",
            ));
        }
        match resolve_format(None, mime, head) {
            Ok(format) => self.chunks.push(Chunk {
                slot: Slot::Waiting { wake_ms: 0 },
                size,
                format,
                tries: 0,
                unstored: false,
            }),
            Err(e) => return self.reject(e),
        }
        if self.cfg.durable {
            // The chunk and the state that counts it are stored together.
            self.dirty = false;
            let state = self.durable_state().encode();
            self.push(TranscribeAction::Store { n, state });
        }
        self.after_event(now_ms);
    }

    /// What the iterator gave is not a chunk (or its size is not allowed): `error`.
    pub fn on_bad_chunk(&mut self, error: Error) {
        self.asking = false;
        self.reject(error);
    }

    /// Durable: storing chunk `n` ended; `ok` false when it could not be stored (it is
    /// uploaded from memory, and named in the result).
    pub fn on_stored(&mut self, n: u32, ok: bool) {
        if let Some(c) = self.chunks.get_mut(n as usize) {
            c.unstored = !ok;
        }
        if !ok {
            self.report();
        }
    }

    /// Resuming: stored chunk `n` was read: its size, MIME type and first bytes, or `None`
    /// when it is not stored. Past the state's chunks, what is found (a chunk stored just
    /// before a crash, or the chunk being recorded, stored as it grew) is counted, and the
    /// next index is looked for.
    pub fn on_loaded(&mut self, now_ms: u64, n: u32, found: Option<(u64, Option<&str>, &[u8])>) {
        self.now = now_ms;
        let probe = n as usize + 1 == self.chunks.len() && self.probing;
        let Some(c) = self.chunks.get_mut(n as usize) else {
            return;
        };
        if c.slot != Slot::Loading || self.settled {
            return;
        }
        match found.map(|(size, mime, head)| (size, resolve_format(None, mime, head))) {
            Some((size, Ok(format))) => {
                *c = Chunk {
                    slot: Slot::Waiting { wake_ms: 0 },
                    size,
                    format,
                    tries: 0,
                    unstored: false,
                };
                if probe && n + 1 < MAX_CHUNKS {
                    self.dirty = true;
                    self.chunks.push(Chunk {
                        slot: Slot::Loading,
                        ..self.chunks[n as usize].clone()
                    });
                    self.push(TranscribeAction::Load { n: n + 1 });
                } else if probe {
                    self.probing = false;
                }
            }
            Some((_, Err(_))) | None if !probe => c.slot = Slot::Lost,
            _ => {
                self.chunks.pop();
                self.probing = false;
            }
        }
        self.after_event(now_ms);
    }

    /// The iterator has no more chunks (a recording: it stopped).
    pub fn on_chunks_done(&mut self, now_ms: u64) {
        self.now = now_ms;
        self.asking = false;
        self.chunks_done = true;
        if self.cfg.durable && self.deadline.is_none() {
            self.deadline = Some(TranscribeDeadline::new(now_ms, self.cfg.timeout_ms));
            self.dirty = true;
        }
        self.after_event(now_ms);
    }

    /// Chunk `n` settled: uploaded, or failed after its request's retries with `outcome`'s
    /// error.
    pub fn on_uploaded(&mut self, now_ms: u64, n: u32, outcome: Result<(), Error>) {
        self.now = now_ms;
        let Some(c) = self.chunks.get(n as usize) else {
            return;
        };
        if c.slot != Slot::InFlight || self.settled {
            return;
        }
        let (size, name) = (c.size, super::audio::file_name(n, c.format));
        self.state.ledger.settle(n, &name, outcome.is_ok());
        match outcome {
            Ok(()) => self.uploaded(n, size),
            Err(e) if matches!(e.code, ErrorCode::InvalidArgument | ErrorCode::InvalidAudio) => {
                return self.reject(e)
            }
            Err(e) if self.cfg.durable && transient(&e) => {
                let wake_ms = self.retry_at(now_ms, e, Some(n));
                let c = &mut self.chunks[n as usize];
                c.tries += 1;
                c.slot = Slot::Waiting { wake_ms };
            }
            Err(e) => {
                self.chunks[n as usize].slot = Slot::Failed;
                self.progress.settle(size, false);
                self.first_failure.get_or_insert(e);
            }
        }
        self.report();
        self.after_event(now_ms);
    }

    /// End Session succeeded: poll.
    pub fn on_ended(&mut self, now_ms: u64) {
        self.now = now_ms;
        self.ended = true;
        self.end = Step::Idle;
        self.dirty = true;
        self.succeeded();
        self.save();
        if let Some(timeout_ms) = self.step(now_ms) {
            self.push(TranscribeAction::Poll { timeout_ms });
        }
    }

    /// End Session failed with `error` (after its request's own retries).
    pub fn on_end_failed(&mut self, now_ms: u64, error: Error) {
        self.now = now_ms;
        if self.cfg.durable && error.api_code.as_deref() == Some("session_ended") {
            // An earlier End reached the service, its answer did not.
            return self.on_ended(now_ms);
        }
        self.end = self.failed_step(now_ms, error);
        self.after_event(now_ms);
    }

    /// The poll resolved: done.
    pub fn on_polled(&mut self) {
        if !self.settled {
            self.settled = true;
            if self.cfg.durable {
                self.push(TranscribeAction::Forget);
            }
            let missing_chunks = core::mem::take(&mut self.missing);
            let unstored_chunks = (0..self.chunks.len() as u32)
                .filter(|&n| self.chunks[n as usize].unstored)
                .collect();
            self.push(TranscribeAction::Resolve {
                missing_chunks,
                unstored_chunks,
            });
        }
    }

    /// The timer of [`Transcriber::timer_ms`] fired.
    pub fn on_timer(&mut self, now_ms: u64) {
        self.now = now_ms;
        if self.deadline.is_some_and(|d| d.passed(now_ms)) {
            return self.on_deadline();
        }
        self.after_event(now_ms);
    }

    /// The network came back (the page's `online` event): what waits for a retry goes now.
    pub fn on_online(&mut self, now_ms: u64) {
        self.now = now_ms;
        for c in &mut self.chunks {
            if let Slot::Waiting { wake_ms } = &mut c.slot {
                *wake_ms = (*wake_ms).min(now_ms);
            }
        }
        for step in [&mut self.create, &mut self.end] {
            if let Step::Retry(t) = step {
                *t = (*t).min(now_ms);
            }
        }
        self.after_event(now_ms);
    }
}

//! The rules of `transcribe` (create → upload chunks as they arrive → end → poll): its
//! phases and progress, and its deadline.
//!
//! `timeoutMs` of a `transcribe` bounds the call FROM THE LAST CHUNK ON: the deadline is
//! `timeoutMs` after the later of the call's start and the arrival of the latest chunk.
//! So a live recording may last as long as it keeps producing chunks (a consultation of
//! an hour with the default 10 minutes), while a recorder that stalls — no chunk for
//! `timeoutMs` — and everything after the last chunk (the remaining uploads, End Session,
//! the processing) are bounded. Every step gets what is left of the deadline when it
//! starts; the wait for the next chunk is cut to it.

use super::error::{push_decimal, Error, ErrorCode};
use super::sessions::{SessionState, Target, UploadPlan};
use super::url::BaseUrl;
use alloc::{string::String, vec::Vec};

/// The phases `transcribe` reports through `onProgress`, in the order they come.
///
/// ```
/// use eka_voice::proto::Phase;
/// assert_eq!(Phase::Uploading.as_str(), "uploading");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Create Session is under way.
    Creating,
    /// Chunks are being uploaded (reported at the start and after each chunk).
    Uploading,
    /// End Session is under way.
    Ending,
    /// The service is processing (reported with each 202 snapshot).
    Processing,
}

impl Phase {
    /// The `phase` string of a progress event.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Creating => "creating",
            Phase::Uploading => "uploading",
            Phase::Ending => "ending",
            Phase::Processing => "processing",
        }
    }
}

/// How far the uploads of a `transcribe` are: chunks settled (uploaded or finally failed)
/// and bytes uploaded, against the totals when the input's size is known up front (an
/// array), so that a UI can draw a real progress bar.
///
/// ```
/// use eka_voice::proto::UploadProgress;
/// let mut p = UploadProgress::new(Some(2), Some(300));
/// p.settle(100, true);
/// assert_eq!((p.chunks_done, p.bytes_done, p.bytes_total), (1, 100, Some(300)));
/// p.settle(200, false); // failed: settled, but its bytes did not arrive
/// assert_eq!((p.chunks_done, p.bytes_done), (2, 100));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UploadProgress {
    /// Chunks settled so far.
    pub chunks_done: u32,
    /// Chunks in all, when known.
    pub chunks_total: Option<u32>,
    /// Bytes uploaded so far.
    pub bytes_done: u64,
    /// Bytes in all, when known.
    pub bytes_total: Option<u64>,
}

impl UploadProgress {
    /// Nothing done yet, out of these totals.
    pub fn new(chunks_total: Option<u32>, bytes_total: Option<u64>) -> UploadProgress {
        UploadProgress {
            chunks_total,
            bytes_total,
            ..UploadProgress::default()
        }
    }

    /// One chunk of `bytes` settled: uploaded (`ok`) or finally failed.
    pub fn settle(&mut self, bytes: u64, ok: bool) {
        self.chunks_done = self.chunks_done.saturating_add(1);
        if ok {
            self.bytes_done = self.bytes_done.saturating_add(bytes);
        }
    }
}

/// The moving deadline of one `transcribe` call; see the module docs.
///
/// ```
/// use eka_voice::proto::TranscribeDeadline;
/// let mut d = TranscribeDeadline::new(1_000, 500);
/// assert_eq!(d.remaining(1_200), 300);
/// d.on_chunk(1_400); // a chunk arrived: 500 ms from now
/// assert_eq!(d.remaining(1_600), 300);
/// assert_eq!(d.remaining(2_000), 0);
/// assert!(d.passed(1_900));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TranscribeDeadline {
    timeout_ms: u64,
    at_ms: u64,
}

impl TranscribeDeadline {
    /// A call started at `now_ms` with `timeoutMs` = `timeout_ms`.
    pub fn new(now_ms: u64, timeout_ms: u64) -> TranscribeDeadline {
        TranscribeDeadline {
            timeout_ms,
            at_ms: now_ms.saturating_add(timeout_ms),
        }
    }

    /// A chunk arrived at `now_ms`: the deadline moves to `timeout_ms` from now (never
    /// earlier than it was).
    pub fn on_chunk(&mut self, now_ms: u64) {
        self.at_ms = self.at_ms.max(now_ms.saturating_add(self.timeout_ms));
    }

    /// Milliseconds left at `now_ms` (0 once passed): the `timeoutMs` of the next step.
    pub fn remaining(&self, now_ms: u64) -> u64 {
        self.at_ms.saturating_sub(now_ms)
    }

    /// Whether the deadline has passed at `now_ms`.
    pub fn passed(&self, now_ms: u64) -> bool {
        now_ms >= self.at_ms
    }

    /// The `timeout` error of a call whose deadline passed.
    ///
    /// ```
    /// let e = eka_voice::proto::TranscribeDeadline::new(0, 500).timeout();
    /// assert_eq!(e.message, "no chunk and no final answer within 500 ms (timeoutMs, from the last chunk)");
    /// ```
    pub fn timeout(&self) -> Error {
        let mut m = String::from("no chunk and no final answer within ");
        push_decimal(&mut m, self.timeout_ms);
        m.push_str(" ms (timeoutMs, from the last chunk)");
        Error::new(ErrorCode::Timeout, m)
    }
}

/// The options of one `transcribe` that its machine decides with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TranscribeConfig {
    /// Uploads in flight at once (`concurrency`, default 2; at least 1).
    pub concurrency: u32,
    /// Go on when some (not all) chunks failed (`allowPartialUpload`).
    pub allow_partial: bool,
    /// `timeoutMs`, counted from the last chunk ([`TranscribeDeadline`]).
    pub timeout_ms: u64,
    /// The number of chunks, when known up front (an array).
    pub chunks_total: Option<u32>,
    /// Their bytes in all, when known up front.
    pub bytes_total: Option<u64>,
}

/// What the IO layer must do next for a `transcribe` (see [`Transcriber`]).
#[derive(Clone, Debug, PartialEq)]
#[must_use = "the IO layer must perform the action and report back"]
pub enum TranscribeAction {
    /// Report progress (`onProgress`): this phase, with the upload counts while uploading.
    Progress(Phase, Option<UploadProgress>),
    /// Create the session within `timeout_ms`, then [`Transcriber::on_created`].
    Create {
        /// What is left of the deadline.
        timeout_ms: u64,
    },
    /// Ask the caller's iterator for the next chunk, then [`Transcriber::on_chunk`] (or
    /// [`Transcriber::on_bad_chunk`], [`Transcriber::on_chunks_done`]).
    NextChunk,
    /// Send this chunk (the `size` bytes that arrived with it) within `timeout_ms`, then
    /// [`Transcriber::on_uploaded`].
    Upload {
        /// What is sent, where, under which name.
        plan: UploadPlan,
        /// Its size in bytes.
        size: u64,
        /// What is left of the deadline.
        timeout_ms: u64,
    },
    /// End the session with these counts within `timeout_ms`, then [`Transcriber::on_ended`].
    End {
        /// `audio_files_sent`.
        sent: u32,
        /// `audio_files_uploaded`.
        uploaded: u32,
        /// What is left of the deadline.
        timeout_ms: u64,
    },
    /// Poll the session until it is final within `timeout_ms` (its 202 snapshots are
    /// [`Phase::Processing`] progress), then [`Transcriber::on_polled`].
    Poll {
        /// What is left of the deadline.
        timeout_ms: u64,
    },
    /// Done: resolve with the poll's result, listing these `missing_chunks` (when any).
    Resolve {
        /// The chunks that failed (only with `allow_partial`).
        missing_chunks: Vec<String>,
    },
    /// Done: fail with this error.
    Reject(Error),
}

/// The state machine of `transcribe`: create → upload every chunk as it arrives (at most
/// `concurrency` at once) → end → poll. Time comes in as `now_ms`; the IO layer performs
/// each [`TranscribeAction`] of [`Transcriber::next_action`] and reports back through the
/// `on_*` methods. It owns the session's target and upload ledger, the progress, the phase
/// and the deadline, and its rules:
///
/// - no input at all (an empty array) fails before anything is sent;
/// - a chunk that is not audio, or cannot be uploaded where the session says (a refused
///   target), ends the call at once (`invalid_argument` / `invalid_response`);
/// - a chunk that still fails after its retries is never dropped silently: once the
///   chunks ran out and nothing is in flight, End is sent only if every chunk made it, or
///   (with `allow_partial`) at least one did; else the call fails with `upload_failed`
///   naming the failed chunks and the first failure (the session is not ended);
/// - End reports the ledger's counts; the result lists the missing chunks;
/// - the deadline (see [`TranscribeDeadline`]) bounds every step and the wait for chunks.
///
/// ```
/// use eka_voice::proto::*;
/// let cfg = TranscribeConfig { concurrency: 2, allow_partial: false, timeout_ms: 60_000,
///                              chunks_total: Some(1), bytes_total: Some(8) };
/// let mut t = Transcriber::new(cfg, BaseUrl::default(), 0);
/// assert!(matches!(t.next_action(), Some(TranscribeAction::Progress(Phase::Creating, None))));
/// assert!(matches!(t.next_action(), Some(TranscribeAction::Create { .. })));
/// t.on_created("ses_1", None);
/// assert!(matches!(t.next_action(), Some(TranscribeAction::Progress(Phase::Uploading, _))));
/// assert_eq!(t.next_action(), Some(TranscribeAction::NextChunk));
/// t.on_chunk(20, 8, None, b"OggS");
/// let Some(TranscribeAction::Upload { plan, .. }) = t.next_action() else { panic!() };
/// assert_eq!(plan.name, "audio_0.ogg");
/// ```
#[derive(Clone, Debug)]
pub struct Transcriber {
    cfg: TranscribeConfig,
    base: BaseUrl,
    deadline: TranscribeDeadline,
    session_id: Option<String>,
    state: SessionState,
    progress: UploadProgress,
    /// The actions to perform, in order; `next_action` takes them from `read` on (a Vec
    /// rather than a VecDeque: the queue is always drained before new events come).
    actions: Vec<Option<TranscribeAction>>,
    read: usize,
    asking: bool,
    chunks_done: bool,
    in_flight: Vec<(u32, u64, String)>,
    first_failure: Option<Error>,
    missing: Vec<String>,
    settled: bool,
}

impl Transcriber {
    /// A `transcribe` started at `now_ms`, uploading to sessions under `base`.
    pub fn new(cfg: TranscribeConfig, base: BaseUrl, now_ms: u64) -> Transcriber {
        let mut t = Transcriber {
            cfg,
            base,
            deadline: TranscribeDeadline::new(now_ms, cfg.timeout_ms),
            session_id: None,
            state: SessionState::default(),
            progress: UploadProgress::new(cfg.chunks_total, cfg.bytes_total),
            actions: Vec::new(),
            read: 0,
            asking: false,
            chunks_done: false,
            in_flight: Vec::new(),
            first_failure: None,
            missing: Vec::new(),
            settled: false,
        };
        if cfg.chunks_total == Some(0) {
            t.reject(Error::invalid_argument("no audio chunks were given"));
        } else {
            t.push(TranscribeAction::Progress(Phase::Creating, None));
            if let Some(timeout_ms) = t.step(now_ms) {
                t.push(TranscribeAction::Create { timeout_ms });
            }
        }
        t
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

    fn push(&mut self, action: TranscribeAction) {
        self.actions.push(Some(action));
    }

    /// Milliseconds until the deadline: the IO layer calls [`Transcriber::on_timer`] then.
    pub fn timer_ms(&self, now_ms: u64) -> u64 {
        self.deadline.remaining(now_ms)
    }

    /// The session, once created.
    pub fn session_id(&self) -> Option<&str> {
        self.session_id.as_deref()
    }

    /// The session was created: `session_id`, and its `upload_url` when it had one.
    pub fn on_created(&mut self, session_id: &str, target: Option<Target>) {
        self.session_id = Some(session_id.into());
        self.state.target = target;
        self.report();
        self.ask();
    }

    /// A chunk arrived: `size` bytes, the Blob's `mime` type if any, its first bytes.
    pub fn on_chunk(&mut self, now_ms: u64, size: u64, mime: Option<&str>, head: &[u8]) {
        self.asking = false;
        if self.settled {
            return;
        }
        self.deadline.on_chunk(now_ms);
        let id = self.session_id.clone().unwrap_or_default();
        let plan = self
            .state
            .plan_upload(&self.base, &id, None, None, None, mime, head);
        match (plan, self.step(now_ms)) {
            (Err(e), _) => self.reject(e),
            (Ok(plan), Some(timeout_ms)) => {
                self.in_flight.push((plan.n, size, plan.name.clone()));
                self.push(TranscribeAction::Upload {
                    plan,
                    size,
                    timeout_ms,
                });
                self.ask();
            }
            (Ok(_), None) => {}
        }
    }

    /// What the iterator gave is not a chunk (or its size is not allowed): `error`.
    pub fn on_bad_chunk(&mut self, error: Error) {
        self.asking = false;
        self.reject(error);
    }

    /// The iterator has no more chunks.
    pub fn on_chunks_done(&mut self, now_ms: u64) {
        self.asking = false;
        self.chunks_done = true;
        self.end_when_done(now_ms);
    }

    /// Chunk `n` settled: uploaded, or failed after its retries with `outcome`'s error.
    pub fn on_uploaded(&mut self, now_ms: u64, n: u32, outcome: Result<(), Error>) {
        let mut found = None;
        self.in_flight.retain(|(m, size, name)| {
            let mine = *m == n && found.is_none();
            if mine {
                found = Some((*size, name.clone()));
            }
            !mine
        });
        let Some((size, name)) = found else {
            return;
        };
        if self.settled {
            return;
        }
        self.state.ledger.settle(n, &name, outcome.is_ok());
        self.progress.settle(size, outcome.is_ok());
        if let Err(e) = outcome {
            if e.code == ErrorCode::InvalidArgument {
                return self.reject(e);
            }
            self.first_failure.get_or_insert(e);
        }
        self.report();
        self.ask();
        self.end_when_done(now_ms);
    }

    /// End Session succeeded: poll.
    pub fn on_ended(&mut self, now_ms: u64) {
        if let Some(timeout_ms) = self.step(now_ms) {
            self.push(TranscribeAction::Poll { timeout_ms });
        }
    }

    /// The poll resolved: done.
    pub fn on_polled(&mut self) {
        if !self.settled {
            self.settled = true;
            let missing_chunks = core::mem::take(&mut self.missing);
            self.push(TranscribeAction::Resolve { missing_chunks });
        }
    }

    /// The timer of [`Transcriber::timer_ms`] fired: past the deadline, the call fails.
    pub fn on_timer(&mut self, now_ms: u64) {
        if self.deadline.passed(now_ms) {
            self.reject(self.deadline.timeout());
        }
    }

    /// What is left of the deadline for the next step; past it, the call fails.
    fn step(&mut self, now_ms: u64) -> Option<u64> {
        if self.deadline.passed(now_ms) {
            self.reject(self.deadline.timeout());
            return None;
        }
        Some(self.deadline.remaining(now_ms))
    }

    fn report(&mut self) {
        let p = TranscribeAction::Progress(Phase::Uploading, Some(self.progress));
        self.push(p);
    }

    /// Asks for the next chunk when one more upload may start.
    fn ask(&mut self) {
        let room = self.in_flight.len() < self.cfg.concurrency.max(1) as usize;
        if room && !self.asking && !self.chunks_done && !self.settled {
            self.asking = true;
            self.push(TranscribeAction::NextChunk);
        }
    }

    /// Once the chunks ran out and none is in flight: End (with the missing chunks kept
    /// for the result), or `upload_failed`.
    fn end_when_done(&mut self, now_ms: u64) {
        if self.settled || !self.chunks_done || !self.in_flight.is_empty() {
            return;
        }
        match self.state.ledger.check(self.cfg.allow_partial) {
            Err(mut e) => {
                if let Some(first) = &self.first_failure {
                    e.message.push_str("; first failure: ");
                    e.message.push_str(&first.message);
                }
                self.reject(e);
            }
            Ok(missing) => {
                self.missing = missing;
                let (sent, uploaded) = self.state.ledger.end_counts();
                self.push(TranscribeAction::Progress(Phase::Ending, None));
                if let Some(timeout_ms) = self.step(now_ms) {
                    self.push(TranscribeAction::End {
                        sent,
                        uploaded,
                        timeout_ms,
                    });
                }
            }
        }
    }

    /// Ends the call with `error` (once; nothing else is done after it).
    fn reject(&mut self, error: Error) {
        if !self.settled {
            self.settled = true;
            self.actions.clear();
            self.read = 0;
            self.push(TranscribeAction::Reject(error));
        }
    }
}

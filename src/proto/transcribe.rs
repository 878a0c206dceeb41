//! The rules of `transcribe` (create → upload chunks as they arrive → end → poll): its
//! phases and progress, and its deadline.
//!
//! `timeoutMs` of a `transcribe` bounds the call FROM THE LAST CHUNK ON (a durable one's,
//! from the end of the recording: see [`Transcriber`]): the deadline is
//! `timeoutMs` after the later of the call's start and the arrival of the latest chunk.
//! So a live recording may last as long as it keeps producing chunks (a consultation of
//! an hour with the default 10 minutes), while a recorder that stalls — no chunk for
//! `timeoutMs` — and everything after the last chunk (the remaining uploads, End Session,
//! the processing) are bounded. Every step gets what is left of the deadline when it
//! starts; the wait for the next chunk is cut to it.

use super::error::{push_decimal, Error, ErrorCode};
use super::sessions::UploadPlan;
use alloc::{string::String, vec::Vec};

#[allow(unused_imports)]
use super::Transcriber;

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
/// array), so that a UI can draw a real progress bar; and, for a recording, how many
/// chunks wait for the network and whether it is away ("offline, 3 chunks waiting").
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
    /// Chunks cut and not uploaded yet (a durable transcription: waiting for the network).
    pub chunks_waiting: u32,
    /// Whether the last step failed for want of a network or a service (a durable
    /// transcription keeps trying; the next success clears it).
    pub offline: bool,
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
    /// A durable transcription (a recording's): chunks and state stored by the driver,
    /// network failures never final while recording (see [`Transcriber`]).
    pub durable: bool,
}

/// What the IO layer must do next for a `transcribe` (see [`Transcriber`]).
#[derive(Clone, Debug, PartialEq)]
#[must_use = "the IO layer must perform the action and report back"]
pub enum TranscribeAction {
    /// Report progress (`onProgress`): this phase, with the upload counts while uploading.
    Progress(Phase, Option<UploadProgress>),
    /// Create the session within `timeout_ms`, then [`Transcriber::on_created`] (or
    /// [`Transcriber::on_create_failed`]).
    Create {
        /// What is left of the deadline.
        timeout_ms: u64,
        /// The client-chosen `session_id` to send (a durable transcription's: a create that
        /// may have reached the service is safe to repeat).
        session_id: Option<String>,
    },
    /// Durable: store chunk `n` (the body that arrived with it) and this state, which
    /// counts it, in ONE transaction; then [`Transcriber::on_stored`].
    Store {
        /// The chunk.
        n: u32,
        /// The state to store with it ([`DurableState`](super::DurableState)'s text).
        state: String,
    },
    /// Durable, resuming: read stored chunk `n`, then [`Transcriber::on_loaded`].
    Load {
        /// The chunk.
        n: u32,
    },
    /// Durable: the service has chunk `n`; its stored bytes may go.
    Drop {
        /// The chunk.
        n: u32,
    },
    /// Durable: store this state ([`DurableState`](super::DurableState)'s text).
    Save {
        /// What to store, as it is.
        state: String,
    },
    /// Durable: the transcription is over; forget what is stored of it.
    Forget,
    /// A step failed for a transient reason and is tried again in `delay_ms` (or at once
    /// when the network comes back): report it (`onRetry`).
    Retrying {
        /// The chunk whose upload failed (`None`: Create or End).
        chunk: Option<u32>,
        /// How many times in a row a step failed.
        attempt: u32,
        /// The wait.
        delay_ms: u64,
        /// Why.
        error: Error,
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
    /// End the session with these counts within `timeout_ms`, then [`Transcriber::on_ended`]
    /// (or [`Transcriber::on_end_failed`]).
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
        /// Durable: the chunks that could never be stored (uploaded from memory).
        unstored_chunks: Vec<u32>,
    },
    /// Done: fail with this error.
    Reject(Error),
}

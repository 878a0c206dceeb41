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
use alloc::string::String;

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

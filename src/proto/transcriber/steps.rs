//! The [`Transcriber`]'s inner steps: what it does after each event (start uploads, ask
//! for chunks, end), its failure policy and what it saves.

use super::{Chunk, Slot, Step, Transcriber, STEP_BACKOFF};
use crate::proto::durable::DurableState;
use crate::proto::error::{push_decimal, Error, ErrorCode};
use crate::proto::sessions::SessionState;
use crate::proto::transcribe::{Phase, TranscribeAction, TranscribeConfig, UploadProgress};
use crate::proto::url::BaseUrl;
use alloc::{string::String, vec::Vec};

/// Whether a step's failure is for want of a network or a service: never final in a
/// durable transcription. A token source that may come back (`token_unavailable`) counts,
/// a token the service refused (or a source that refused for good) does not.
pub(super) fn transient(e: &Error) -> bool {
    matches!(
        e.code,
        ErrorCode::Network
            | ErrorCode::ServerError
            | ErrorCode::RateLimited
            | ErrorCode::Timeout
            | ErrorCode::TokenUnavailable
    )
}

impl Transcriber {
    pub(super) fn empty(cfg: TranscribeConfig, base: BaseUrl, now_ms: u64) -> Transcriber {
        Transcriber {
            cfg,
            base,
            deadline: None,
            session_id: None,
            created: false,
            create: Step::Idle,
            end: Step::Idle,
            ended: false,
            state: SessionState::default(),
            chunks: Vec::new(),
            progress: UploadProgress::new(cfg.chunks_total, cfg.bytes_total),
            actions: Vec::new(),
            read: 0,
            asking: false,
            chunks_done: false,
            failures: 0,
            first_failure: None,
            missing: Vec::new(),
            dirty: false,
            probing: false,
            settled: false,
            now: now_ms,
            seed: 1,
        }
    }

    /// A durable machine with nothing done yet: its session id and its jitter's seed.
    pub(super) fn empty_durable(
        cfg: TranscribeConfig,
        base: BaseUrl,
        now_ms: u64,
        session_id: String,
        seed: u64,
    ) -> Transcriber {
        let cfg = TranscribeConfig {
            durable: true,
            ..cfg
        };
        let mut t = Transcriber::empty(cfg, base, now_ms);
        t.session_id = Some(session_id);
        t.seed = seed | 1;
        t
    }

    pub(super) fn start(&mut self, now_ms: u64) {
        self.push(TranscribeAction::Progress(Phase::Creating, None));
        if self.cfg.durable {
            // A recording does not wait for the session: its chunks are stored meanwhile.
            self.try_create(now_ms);
        }
        // A plain one checks its first chunk before it creates a session (`create_when_ready`):
        // audio that is not audio, or an iterable that fails at once, leaves no session behind.
        self.ask();
    }

    /// A plain transcription: Create once the first chunk is in hand and checked; with no
    /// chunk at all, the call fails having sent nothing.
    fn create_when_ready(&mut self, now_ms: u64) {
        if self.cfg.durable || self.created || self.create != Step::Idle {
            return;
        }
        if !self.chunks.is_empty() {
            self.try_create(now_ms);
        } else if self.chunks_done {
            self.reject(Error::invalid_argument("no audio chunks were given"));
        }
    }

    /// Sends Create (a durable transcription's id saved first).
    fn try_create(&mut self, now_ms: u64) {
        if let Some(timeout_ms) = self.step(now_ms) {
            self.create = Step::Busy;
            self.save();
            let session_id = self.cfg.durable.then(|| self.session_id.clone()).flatten();
            self.push(TranscribeAction::Create {
                timeout_ms,
                session_id,
            });
        }
    }

    /// Restores a stored state (see [`Transcriber::resume`]).
    pub(super) fn restore(&mut self, s: DurableState, now_ms: u64) {
        self.created = s.created;
        self.ended = s.ended;
        self.state.target = s.target;
        self.chunks_done = true;
        self.deadline = Some(crate::proto::TranscribeDeadline::new(
            now_ms,
            self.cfg.timeout_ms,
        ));
        let mut uploaded = s.uploaded.iter().peekable();
        for n in 0..=s.cut {
            let done = uploaded.next_if(|&&u| u == n).is_some();
            self.chunks.push(Chunk {
                slot: if done { Slot::Uploaded } else { Slot::Loading },
                size: 0,
                format: crate::proto::AudioFormat::Wav,
                tries: 0,
                unstored: false,
            });
            if done {
                self.progress.settle(0, true);
                self.state.ledger.settle(n, "", true);
            } else if !s.ended {
                self.push(TranscribeAction::Load { n });
            }
        }
        self.probing = !s.ended;
        if s.ended {
            self.chunks.pop();
            self.on_ended(now_ms);
        } else if !s.created {
            self.push(TranscribeAction::Progress(Phase::Creating, None));
            self.try_create(now_ms);
        } else {
            self.report();
        }
    }

    /// After every event: start what may start, ask for a chunk, end when done, save.
    pub(super) fn after_event(&mut self, now_ms: u64) {
        if self.settled {
            return;
        }
        if matches!(self.create, Step::Retry(t) if t <= now_ms) {
            self.try_create(now_ms);
        }
        if matches!(self.end, Step::Retry(t) if t <= now_ms) {
            self.end = Step::Idle;
        }
        self.create_when_ready(now_ms);
        self.pump(now_ms);
        self.ask();
        self.end_when_done(now_ms);
        self.save();
    }

    /// Starts the uploads that may start: lowest chunk first, at most `concurrency`.
    fn pump(&mut self, now_ms: u64) {
        if !self.created || self.settled {
            return;
        }
        let mut in_flight = self.count(|s| s == Slot::InFlight);
        while in_flight < self.cfg.concurrency.max(1) as usize {
            let Some(n) = self
                .chunks
                .iter()
                .position(|c| matches!(c.slot, Slot::Waiting { wake_ms } if wake_ms <= now_ms))
            else {
                return;
            };
            let c = &self.chunks[n];
            let (size, format) = (c.size, c.format);
            let id = self.session_id.clone().unwrap_or_default();
            let plan = self.state.plan_upload(
                &self.base,
                &id,
                None,
                Some(n as u32),
                Some(format.ext()),
                None,
                &[],
            );
            let plan = match plan {
                Ok(plan) => plan,
                Err(e) => return self.reject(e),
            };
            let Some(timeout_ms) = self.step(now_ms) else {
                return;
            };
            self.chunks[n].slot = Slot::InFlight;
            in_flight += 1;
            self.push(TranscribeAction::Upload {
                plan,
                size,
                timeout_ms,
            });
        }
    }

    /// Chunks not yet with the service nor given up: waiting, loading or in flight.
    fn unsettled(&self) -> usize {
        self.count(|s| matches!(s, Slot::InFlight | Slot::Waiting { .. } | Slot::Loading))
    }

    fn count(&self, f: impl Fn(Slot) -> bool) -> usize {
        self.chunks.iter().filter(|c| f(c.slot)).count()
    }

    /// Asks for the next chunk: a durable transcription always (a recording does not
    /// wait), a plain one when one more upload may start (the iterable's back-pressure).
    pub(super) fn ask(&mut self) {
        let busy = self.count(|s| matches!(s, Slot::InFlight | Slot::Waiting { .. }));
        let room = self.cfg.durable
            || (busy < self.cfg.concurrency.max(1) as usize
                && (self.created || self.chunks.is_empty()));
        if room && !self.asking && !self.chunks_done && !self.settled {
            self.asking = true;
            self.push(TranscribeAction::NextChunk);
        }
    }

    /// A chunk the service has now.
    pub(super) fn uploaded(&mut self, n: u32, size: u64) {
        self.chunks[n as usize].slot = Slot::Uploaded;
        self.progress.settle(size, true);
        self.succeeded();
        if self.cfg.durable {
            // Saved as uploaded before its stored bytes go: a crash in between loses nothing.
            self.dirty = true;
            self.save();
            self.push(TranscribeAction::Drop { n });
        }
    }

    /// A success: the network is there.
    pub(super) fn succeeded(&mut self) {
        self.failures = 0;
        self.progress.offline = false;
    }

    /// A step (Create, End) failed: retried later when durable and transient, else final.
    pub(super) fn failed_step(&mut self, now_ms: u64, error: Error) -> Step {
        if self.cfg.durable && transient(&error) {
            Step::Retry(self.retry_at(now_ms, error, None))
        } else {
            self.reject(error);
            Step::Idle
        }
    }

    /// When a transiently failed step goes again; reports it (`Retrying`).
    pub(super) fn retry_at(&mut self, now_ms: u64, error: Error, chunk: Option<u32>) -> u64 {
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        let rand01 = (self.seed >> 11) as f64 / (1u64 << 53) as f64;
        let delay_ms = STEP_BACKOFF.delay_ms(self.failures, rand01);
        self.failures = self.failures.saturating_add(1);
        self.progress.offline = true;
        self.push(TranscribeAction::Retrying {
            chunk,
            attempt: self.failures,
            delay_ms,
            error,
        });
        self.report();
        now_ms.saturating_add(delay_ms)
    }

    /// Once the chunks ran out and none is under way: End, or the failure.
    fn end_when_done(&mut self, now_ms: u64) {
        let waiting = !self.chunks_done || !self.created || self.unsettled() > 0;
        if self.settled || waiting || self.end != Step::Idle || self.ended {
            return;
        }
        let counts = if self.cfg.durable {
            self.durable_counts()
        } else {
            self.plain_counts()
        };
        let Some((sent, uploaded)) = counts else {
            return;
        };
        self.push(TranscribeAction::Progress(Phase::Ending, None));
        if let Some(timeout_ms) = self.step(now_ms) {
            self.end = Step::Busy;
            self.push(TranscribeAction::End {
                sent,
                uploaded,
                timeout_ms,
            });
        }
    }

    /// A plain transcription's End counts (the ledger's policy), or the failure.
    fn plain_counts(&mut self) -> Option<(u32, u32)> {
        match self.state.ledger.check(self.cfg.allow_partial) {
            Err(mut e) => {
                if let Some(first) = &self.first_failure {
                    e.message.push_str("; first failure: ");
                    e.message.push_str(&first.message);
                }
                self.reject(e);
                None
            }
            Ok(missing) => {
                self.missing = missing;
                Some(self.state.ledger.end_counts())
            }
        }
    }

    /// A durable transcription's End counts: every chunk cut, each one uploaded; else the
    /// failure naming the missing ones.
    fn durable_counts(&mut self) -> Option<(u32, u32)> {
        let cut = self.chunks.len() as u32;
        if cut == 0 {
            self.reject(Error::invalid_argument("the recording has no audio chunk"));
            return None;
        }
        if let Some(e) = self.missing_error() {
            self.reject(e);
            return None;
        }
        Some((cut, cut))
    }

    /// `upload_failed` naming the chunks the service lacks, when any.
    fn missing_error(&self) -> Option<Error> {
        let missing: Vec<u32> = (0..self.chunks.len() as u32)
            .filter(|&n| self.chunks[n as usize].slot != Slot::Uploaded)
            .collect();
        if missing.is_empty() {
            return None;
        }
        let mut m = String::from("the service lacks ");
        push_decimal(&mut m, missing.len() as u64);
        m.push_str(" of ");
        push_decimal(&mut m, self.chunks.len() as u64);
        m.push_str(" chunks:");
        for n in &missing {
            let c = &self.chunks[*n as usize];
            m.push(' ');
            m.push_str(&crate::proto::file_name(*n, c.format));
            m.push_str(match c.slot {
                Slot::Lost => " (lost: not stored)",
                _ if c.unstored => " (not stored)",
                _ => "",
            });
        }
        m.push_str("; what is stored is kept for resumeTranscription");
        if let Some(first) = &self.first_failure {
            m.push_str("; first failure: ");
            m.push_str(&first.message);
        }
        Some(Error::new(ErrorCode::UploadFailed, m))
    }

    /// The deadline passed: what is missing, or `timeout`.
    pub(super) fn on_deadline(&mut self) {
        let e = match (self.cfg.durable, self.missing_error()) {
            (true, Some(e)) => e,
            _ => self
                .deadline
                .map(|d| d.timeout())
                .unwrap_or_else(|| Error::new(ErrorCode::Timeout, "timeoutMs passed")),
        };
        self.reject(e);
    }

    pub(super) fn report(&mut self) {
        self.progress.chunks_waiting = self.unsettled() as u32;
        let p = TranscribeAction::Progress(Phase::Uploading, Some(self.progress));
        self.push(p);
    }

    /// Durable: a `Save` of the state when it changed.
    pub(super) fn save(&mut self) {
        if self.cfg.durable && self.dirty && !self.settled {
            self.dirty = false;
            let state = self.durable_state().encode();
            self.push(TranscribeAction::Save { state });
        }
    }

    pub(super) fn durable_state(&self) -> DurableState {
        let cut = self.chunks.len() - usize::from(self.probing);
        DurableState {
            session_id: self.session_id.clone(),
            created: self.created,
            target: self.state.target.clone(),
            cut: cut as u32,
            uploaded: (0..cut as u32)
                .filter(|&n| self.chunks[n as usize].slot == Slot::Uploaded)
                .collect(),
            stopped: self.chunks_done,
            ended: self.ended,
        }
    }

    /// What is left of the deadline for the next step (a durable transcription's steps,
    /// while recording: `timeout_ms` each); past it, the call fails.
    pub(super) fn step(&mut self, now_ms: u64) -> Option<u64> {
        match self.deadline {
            Some(d) if d.passed(now_ms) => {
                self.on_deadline();
                None
            }
            Some(d) => Some(d.remaining(now_ms)),
            None => Some(self.cfg.timeout_ms),
        }
    }

    pub(super) fn push(&mut self, action: TranscribeAction) {
        self.actions.push(Some(action));
    }

    /// Ends the call with `error` (once; nothing else is done after it).
    pub(super) fn reject(&mut self, error: Error) {
        if !self.settled {
            self.settled = true;
            self.actions.clear();
            self.read = 0;
            self.push(TranscribeAction::Reject(error));
        }
    }
}

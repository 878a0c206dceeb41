//! The recorder's reload-safe lifecycle (issue 14): which step comes next for a recording
//! whose chunks are kept in the browser's storage until the service has them. Sans-IO:
//! facts come in (`on_*`), the next step goes out ([`Journal::next_step`]); the JS side performs
//! it (IndexedDB, `createSession`, `uploadAudio`, `endSession`, `pollSession`) and stores
//! [`Journal::state`] beside the chunks, so a page that reloads restores the journal and
//! finishes the job (`resumeTranscription`).
//!
//! Rules:
//! - the session is created once, before any upload;
//! - chunks are uploaded in index order, at most `max_in_flight` at a time; a chunk the
//!   service has is never sent again;
//! - a failed upload (the client already retried it) is tried again after the others, up
//!   to `max_attempts` times in all; then the journal stops with those chunks missing (they
//!   stay stored: a later resume tries them again);
//! - End Session only once the recording stopped and the service has EVERY chunk cut, with
//!   `audio_files_sent` = the number of chunks; then the poll.

use alloc::vec::Vec;

/// What to do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JournalStep {
    /// Create the session (then `on_created`).
    Create,
    /// Upload this chunk (then `on_uploaded` or `on_upload_failed`).
    Upload(u32),
    /// End the session: every chunk is there (then `on_ended`).
    End {
        /// `audio_files_sent`.
        sent: u32,
    },
    /// Poll the session for its result (the end of the journal).
    Poll,
    /// Nothing to do until a fact comes in (a chunk is cut, an upload settles, a stop).
    Wait,
    /// Uploads failed too often: these chunks are missing (still stored).
    Stuck {
        /// Their indices.
        missing: Vec<u32>,
    },
}

/// What a journal remembers across a reload.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JournalState {
    /// Whether the session exists.
    pub created: bool,
    /// Chunks cut so far (indices `0..cut`).
    pub cut: u32,
    /// Chunks the service has.
    pub uploaded: Vec<u32>,
    /// Whether the recording ended (no more chunks).
    pub stopped: bool,
    /// Whether End Session succeeded.
    pub ended: bool,
}

/// The journal of one recording.
#[derive(Clone, Debug)]
pub struct Journal {
    s: JournalState,
    /// Per chunk: 0 = waiting, 1 = in flight, 2 = uploaded; and its failed attempts.
    chunks: Vec<(u8, u8)>,
    creating: bool,
    ending: bool,
    max_in_flight: usize,
    max_attempts: u8,
}

impl Journal {
    /// A journal for a new recording, or one restored from its stored state.
    pub fn new(state: JournalState, max_in_flight: usize, max_attempts: u8) -> Journal {
        let mut chunks = alloc::vec![(0u8, 0u8); state.cut as usize];
        for &i in &state.uploaded {
            if let Some(c) = chunks.get_mut(i as usize) {
                c.0 = 2;
            }
        }
        Journal {
            s: state,
            chunks,
            creating: false,
            ending: false,
            max_in_flight: max_in_flight.max(1),
            max_attempts: max_attempts.max(1),
        }
    }

    /// What to store.
    pub fn state(&self) -> JournalState {
        let mut s = self.s.clone();
        s.uploaded.clear();
        for (i, c) in self.chunks.iter().enumerate() {
            if c.0 == 2 {
                s.uploaded.push(i as u32);
            }
        }
        s
    }

    /// The session was created.
    pub fn on_created(&mut self) {
        self.creating = false;
        self.s.created = true;
    }

    /// Creating the session failed: it may be tried again.
    pub fn on_create_failed(&mut self) {
        self.creating = false;
    }

    /// Chunk `index` was cut and stored (indices come in order; others are ignored).
    pub fn on_cut(&mut self, index: u32) {
        if index == self.s.cut && !self.s.stopped {
            self.s.cut += 1;
            self.chunks.push((0, 0));
        }
    }

    /// The service has chunk `index`.
    pub fn on_uploaded(&mut self, index: u32) {
        if let Some(c) = self.chunks.get_mut(index as usize) {
            c.0 = 2;
        }
    }

    /// Uploading chunk `index` failed (after the client's own retries).
    pub fn on_upload_failed(&mut self, index: u32) {
        if let Some(c) = self.chunks.get_mut(index as usize) {
            if c.0 == 1 {
                *c = (0, c.1.saturating_add(1));
            }
        }
    }

    /// The recording ended: no more chunks.
    pub fn on_stopped(&mut self) {
        self.s.stopped = true;
    }

    /// End Session succeeded.
    pub fn on_ended(&mut self) {
        self.ending = false;
        self.s.ended = true;
    }

    /// End Session failed: it may be tried again.
    pub fn on_end_failed(&mut self) {
        self.ending = false;
    }

    /// The next step (marking it under way).
    pub fn next_step(&mut self) -> JournalStep {
        if self.s.ended {
            return JournalStep::Poll;
        }
        if !self.s.created {
            return match core::mem::replace(&mut self.creating, true) {
                true => JournalStep::Wait,
                false => JournalStep::Create,
            };
        }
        // One pass: uploads in flight, chunks the service lacks, and the one to send next
        // (the fewest failed attempts, then the lowest index).
        let (mut in_flight, mut missing, mut pick) = (0, 0, None);
        for (i, &(state, tries)) in self.chunks.iter().enumerate() {
            missing += usize::from(state != 2);
            in_flight += usize::from(state == 1);
            let better = pick.is_none_or(|p: usize| tries < self.chunks[p].1);
            if state == 0 && tries < self.max_attempts && better {
                pick = Some(i);
            }
        }
        match pick {
            Some(i) if in_flight < self.max_in_flight => {
                self.chunks[i].0 = 1;
                JournalStep::Upload(i as u32)
            }
            _ if in_flight > 0 || !self.s.stopped || self.ending => JournalStep::Wait,
            _ if missing > 0 => JournalStep::Stuck {
                missing: (0..self.s.cut)
                    .filter(|&i| self.chunks[i as usize].0 != 2)
                    .collect(),
            },
            _ => {
                self.ending = true;
                JournalStep::End { sent: self.s.cut }
            }
        }
    }
}

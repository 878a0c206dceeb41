//! The recorder's chunking rules (issue 14): where a live recording is cut into
//! the chunks that `transcribe` uploads during the consultation. Sans-IO: frames of 16 kHz
//! mono samples come in, each with the voice-activity detector's verdict; chunks go out.
//!
//! Rules (defaults of [`ChunkerConfig`]; all configurable):
//! - once a chunk holds ≥ 10 s, it is cut in a pause of ≥ 500 ms;
//! - once it holds ≥ 15 s, a pause of ≥ 100 ms is enough;
//! - at 20 s (the service's `max_chunk_duration_seconds`) it is cut in any case;
//! - a cut in a pause falls in the middle of the pause as it stands when the rule first
//!   holds (250 ms into a pause for the 500 ms rule, whatever the frame sizes), so both
//!   chunks keep some silence around their speech; a pause counts only from the length its rule starts at (a pause
//!   that ends right at 10 s is not cut at its very end, where a detector's lag would put
//!   the cut in speech; a long silence makes chunks of 10.25 s);
//! - a forced cut at 20 s falls in the middle of the trailing pause if there is one, else
//!   in the middle of the quietest 100 ms (`accept_pause_ms`) since 10 s (between words,
//!   or where only the room is heard: with babble at 10 dB, where the detector finds no
//!   pause, 96 % of these cuts fall in a true pause — `examples/vad_report.rs`);
//! - nothing is ever dropped: the chunks, concatenated, are the whole recording, sample for
//!   sample (silence included).

use alloc::vec::Vec;

/// The chunking rules, in milliseconds of audio.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkerConfig {
    /// Samples per second of the frames (16 000).
    pub sample_rate: u32,
    /// From this length on, a long pause cuts (10 000).
    pub prefer_after_ms: u32,
    /// What a long pause is (500).
    pub prefer_pause_ms: u32,
    /// From this length on, a short pause cuts (15 000).
    pub accept_after_ms: u32,
    /// What a short pause is (100).
    pub accept_pause_ms: u32,
    /// The longest chunk (20 000).
    pub max_ms: u32,
}

impl Default for ChunkerConfig {
    fn default() -> Self {
        ChunkerConfig {
            sample_rate: 16_000,
            prefer_after_ms: 10_000,
            prefer_pause_ms: 500,
            accept_after_ms: 15_000,
            accept_pause_ms: 100,
            max_ms: 20_000,
        }
    }
}

/// Why a chunk ended where it did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CutReason {
    /// In a pause of at least `prefer_pause_ms`, once the chunk held `prefer_after_ms`.
    Pause,
    /// In a pause of at least `accept_pause_ms`, once the chunk held `accept_after_ms`.
    ShortPause,
    /// At `max_ms` without such a pause: in a shorter trailing pause, or in the middle of
    /// the quietest `accept_pause_ms` since `prefer_after_ms`.
    Forced,
    /// The recording ended.
    End,
}

/// One chunk of the recording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedChunk {
    /// 0, 1, 2… (its `audio_<n>` upload name).
    pub index: u32,
    /// Where it starts in the recording, in samples.
    pub start: u64,
    /// Its samples.
    pub samples: Vec<i16>,
    /// Why it ended there.
    pub cut: CutReason,
}

/// The chunker state machine.
///
/// ```
/// use eka_voice::proto::{Chunker, ChunkerConfig};
/// let mut c = Chunker::new(ChunkerConfig::default());
/// let speech = vec![1000i16; 16_000]; // 1 s
/// let silence = vec![0i16; 16_000];
/// let mut chunks = Vec::new();
/// for _ in 0..10 { chunks.extend(c.push(&speech, true)); }
/// // A pause after 10 s: cut once it is 500 ms long, 250 ms into it.
/// chunks.extend(c.push(&silence, false));
/// chunks.extend(c.finish());
/// assert_eq!(chunks.len(), 2);
/// assert_eq!(chunks[0].samples.len(), 10 * 16_000 + 4_000);
/// ```
#[derive(Clone, Debug)]
pub struct Chunker {
    cfg: ChunkerConfig,
    buf: Vec<i16>,
    /// Samples of silence at the end of `buf`.
    trailing_silence: usize,
    index: u32,
    start: u64,
}

/// The middle of the quietest `window` samples of `buf[from..]` (windows every `step`
/// samples; the latest of equally quiet ones, so chunks are as long as they may be); the
/// end of `buf` when it holds no whole window.
fn quietest(buf: &[i16], from: usize, window: usize, step: usize) -> usize {
    let energy = |w: &[i16]| w.iter().map(|&s| i64::from(s) * i64::from(s)).sum::<i64>();
    let window = window.max(1);
    (from..(buf.len() + 1).saturating_sub(window))
        .step_by(step.max(1))
        .rev()
        .min_by_key(|&at| energy(&buf[at..at + window]))
        .map_or(buf.len(), |at| at + window / 2)
}

impl Chunker {
    /// A chunker with these rules.
    pub fn new(cfg: ChunkerConfig) -> Chunker {
        Chunker {
            cfg,
            buf: Vec::new(),
            trailing_silence: 0,
            index: 0,
            start: 0,
        }
    }

    /// A frame of samples and whether it holds speech: the chunks it completes (at most
    /// one per 20 s of the frame).
    pub fn push(&mut self, frame: &[i16], speech: bool) -> Vec<RecordedChunk> {
        let mut out = Vec::new();
        let mut rest = frame;
        while !rest.is_empty() {
            // Never step past the point where a rule starts to hold (so frames of any size
            // cut at the same samples): take that much, decide, go on.
            let room = self.until_a_rule(speech);
            let (now, later) = rest.split_at(room.min(rest.len()));
            self.buf.extend_from_slice(now);
            self.trailing_silence = if speech {
                0
            } else {
                self.trailing_silence + now.len()
            };
            if let Some(chunk) = self.decide() {
                out.push(chunk);
            }
            rest = later;
        }
        out
    }

    /// The chunk being recorded: its index and its samples so far.
    pub fn in_progress(&self) -> (u32, &[i16]) {
        (self.index, &self.buf)
    }

    /// The recording ended: the last chunk, if any audio is left.
    pub fn finish(&mut self) -> Option<RecordedChunk> {
        (!self.buf.is_empty()).then(|| self.cut(self.buf.len(), CutReason::End))
    }

    /// How many more samples (at least 1) of this kind until a rule may hold.
    fn until_a_rule(&self, speech: bool) -> usize {
        let (len, pause, c) = (self.buf.len(), self.trailing_silence, self.cfg);
        let to = |target: usize, now: usize| target.saturating_sub(now);
        let mut k = to(self.samples(c.max_ms), len);
        if !speech {
            // A pause rule holds once the chunk is long enough and the pause, counted from
            // that length, is too.
            for (after, min_pause) in [
                (c.prefer_after_ms, c.prefer_pause_ms),
                (c.accept_after_ms, c.accept_pause_ms),
            ] {
                let (after, min_pause) = (self.samples(after), self.samples(min_pause));
                k = k.min(to(after + min_pause, len).max(to(min_pause, pause)));
            }
        }
        k.max(1)
    }

    fn decide(&mut self) -> Option<RecordedChunk> {
        let (len, pause, c) = (self.buf.len(), self.trailing_silence, self.cfg);
        // A rule's pause counts only from the length the rule starts at: a pause that ended
        // right at 10 s (or began long before) is not cut at its very end.
        let eligible = |after_ms: u32| pause.min(len.saturating_sub(self.samples(after_ms)));
        let (long, short) = (eligible(c.prefer_after_ms), eligible(c.accept_after_ms));
        let after = |ms: u32| len >= self.samples(ms);
        // In the middle of the (eligible part of the) pause.
        let (at, why) = if after(c.prefer_after_ms) && long >= self.samples(c.prefer_pause_ms) {
            (len - long / 2, CutReason::Pause)
        } else if after(c.accept_after_ms) && short >= self.samples(c.accept_pause_ms) {
            (len - short / 2, CutReason::ShortPause)
        } else if after(c.max_ms) && pause > 0 {
            (len - pause / 2, CutReason::Forced)
        } else if after(c.max_ms) {
            // No pause at all by the longest chunk: cut in the middle of its quietest
            // `accept_pause_ms` since `prefer_after_ms` (between words, or where the
            // speaker near the microphone paused and only the room is heard), sought
            // every 8 ms.
            let from = self.samples(c.prefer_after_ms).min(len);
            let at = quietest(
                &self.buf,
                from,
                self.samples(c.accept_pause_ms),
                self.samples(8),
            );
            (at, CutReason::Forced)
        } else {
            return None;
        };
        Some(self.cut(at, why))
    }

    /// Emits `buf[..at]` as the next chunk; the rest starts the next one.
    fn cut(&mut self, at: usize, cut: CutReason) -> RecordedChunk {
        let rest = self.buf.split_off(at);
        let samples = core::mem::replace(&mut self.buf, rest);
        self.trailing_silence = self.trailing_silence.min(self.buf.len());
        let chunk = RecordedChunk {
            index: self.index,
            start: self.start,
            samples,
            cut,
        };
        self.index += 1;
        self.start += chunk.samples.len() as u64;
        chunk
    }

    fn samples(&self, ms: u32) -> usize {
        (u64::from(ms) * u64::from(self.cfg.sample_rate) / 1000) as usize
    }
}

//! The recorder's chunking rules (issue 14, first part): where a live recording is cut into
//! the chunks that `transcribe` uploads during the consultation. Sans-IO: frames of 16 kHz
//! mono samples come in, each with the voice-activity detector's verdict; chunks go out.
//!
//! Rules (defaults of [`ChunkerConfig`]; all configurable):
//! - once a chunk holds ≥ 10 s, it is cut in a pause of ≥ 500 ms;
//! - once it holds ≥ 15 s, a pause of ≥ 100 ms is enough;
//! - at 20 s (the service's `max_chunk_duration_seconds`) it is cut in any case;
//! - a cut in a pause falls in the MIDDLE of the pause, so both chunks keep some silence
//!   around their speech; a forced cut falls in the trailing pause if there is one, else at
//!   the 20 s mark;
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

/// One chunk of the recording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedChunk {
    /// 0, 1, 2… (its `audio_<n>` upload name).
    pub index: u32,
    /// Where it starts in the recording, in samples.
    pub start: u64,
    /// Its samples.
    pub samples: Vec<i16>,
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
/// chunks.extend(c.push(&silence, false)); // 1 s of pause after 10 s: cut in its middle
/// chunks.extend(c.finish());
/// assert_eq!(chunks.len(), 2);
/// assert_eq!(chunks[0].samples.len(), 10 * 16_000 + 8_000);
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
            // Never let the buffer pass the longest chunk: take what fits, decide, go on.
            let room = self
                .samples(self.cfg.max_ms)
                .saturating_sub(self.buf.len())
                .max(1);
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

    /// The recording ended: the last chunk, if any audio is left.
    pub fn finish(&mut self) -> Option<RecordedChunk> {
        (!self.buf.is_empty()).then(|| self.cut(self.buf.len()))
    }

    fn decide(&mut self) -> Option<RecordedChunk> {
        let len = self.buf.len();
        let pause = self.trailing_silence;
        let c = self.cfg;
        let long_pause =
            len >= self.samples(c.prefer_after_ms) && pause >= self.samples(c.prefer_pause_ms);
        let short_pause =
            len >= self.samples(c.accept_after_ms) && pause >= self.samples(c.accept_pause_ms);
        if long_pause || short_pause || (len >= self.samples(c.max_ms) && pause > 0) {
            // In the middle of the pause.
            return Some(self.cut(len - pause / 2));
        }
        (len >= self.samples(c.max_ms)).then(|| self.cut(len))
    }

    /// Emits `buf[..at]` as the next chunk; the rest starts the next one.
    fn cut(&mut self, at: usize) -> RecordedChunk {
        let rest = self.buf.split_off(at);
        let samples = core::mem::replace(&mut self.buf, rest);
        self.trailing_silence = self.trailing_silence.min(self.buf.len());
        let chunk = RecordedChunk {
            index: self.index,
            start: self.start,
            samples,
        };
        self.index += 1;
        self.start += chunk.samples.len() as u64;
        chunk
    }

    fn samples(&self, ms: u32) -> usize {
        (u64::from(ms) * u64::from(self.cfg.sample_rate) / 1000) as usize
    }
}

/// A WAV file (RIFF, PCM signed 16-bit little-endian, mono) of `samples` at `sample_rate`:
/// what the recorder uploads.
///
/// ```
/// use eka_voice::proto::wav_bytes;
/// let wav = wav_bytes(&[0, 1, -1], 16_000);
/// assert_eq!(&wav[..4], b"RIFF");
/// assert_eq!(&wav[8..16], b"WAVEfmt ");
/// assert_eq!(wav.len(), 44 + 6);
/// ```
pub fn wav_bytes(samples: &[i16], sample_rate: u32) -> Vec<u8> {
    let data = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + samples.len() * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes()); // fmt chunk size
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&sample_rate.to_le_bytes());
    out.extend_from_slice(&(sample_rate * 2).to_le_bytes()); // bytes a second
    out.extend_from_slice(&2u16.to_le_bytes()); // block align
    out.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

//! The recorder's DSP pipeline (issue 14), sans-IO: blocks of capture samples (any rate,
//! any channels) come in, events for the UI and finished chunks go out.
//!
//! downmix → resample to 16 kHz ([`Resampler`]) → level meter ([`LevelMeter`]) → 16 ms
//! frames → voice-activity detector ([`SpeechDetector`]) → speech edges ([`SpeechGate`]) and
//! the chunker ([`Chunker`], which takes the raw frame verdicts) → chunks.
//!
//! The same pipeline cuts pre-recorded WAV files ([`split_wav`]), so a file and a live
//! recording are cut by the same rules. Nothing is dropped: the chunks, concatenated, are
//! the whole 16 kHz stream, sample for sample.

use alloc::vec::Vec;

use super::chunker::{Chunker, ChunkerConfig, RecordedChunk};
use super::error::Error;
use super::meter::{LevelMeter, MeterEvent};
use super::resample::{downmix, Resampler, TARGET_RATE};
use super::vad::{SpeechDetector, SpeechEdge, SpeechGate, VoiceDetector, VAD_FRAME};
use super::wav::{parse_wav_header, WavFrames};

/// How a recorder listens and cuts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RecorderConfig {
    /// The capture rate in Hz (the audio context's `sampleRate`).
    pub input_rate: u32,
    /// The chunking rules (their `sample_rate` is always 16 000 here).
    pub chunker: ChunkerConfig,
    /// The detector's speech threshold, 0–1 (0.5).
    pub vad_threshold: f32,
    /// "No signal" after this long of exact zeros (3 000 ms).
    pub no_signal_after_ms: u32,
    /// Speech "starts" after this much speech in a row (48 ms).
    pub speech_start_ms: u32,
    /// Speech "ends" after this much non-speech in a row (300 ms).
    pub speech_end_ms: u32,
}

/// The ranges [`RecorderConfig::check`] allows, in ms: chunk lengths (the longest is the
/// service's `max_chunk_duration_seconds`, 20 s) and pauses (a 16 ms frame to 10 s).
pub const CHUNK_MS: core::ops::RangeInclusive<u32> = 1_000..=20_000;
/// See [`CHUNK_MS`].
pub const PAUSE_MS: core::ops::RangeInclusive<u32> = 16..=10_000;

/// The recorder's rules (in [`rule_defaults`](super::rule_defaults)' order) fitted to what
/// the service's Discovery says: a `max_chunk_duration_seconds` under the recorder's
/// longest chunk lowers `maxChunkMs` to it (within [`CHUNK_MS`]; the service's limit wins
/// over an option), and `acceptAfterMs` / `preferAfterMs` to at most ¾ / ½ of it; an
/// `audio_formats` list (`formats`: UTF-8, one per line) without WAV (what the recorder makes) is
/// `invalid_argument`. What Discovery does not say changes nothing.
///
/// ```
/// use eka_voice::proto::{fit_rules_to_service, rule_defaults};
/// let mut rules: Vec<f64> = rule_defaults().iter().map(|r| r.1).collect();
/// fit_rules_to_service(&mut rules, Some(8.0), Some(b"audio/webm\naudio/wav")).unwrap();
/// assert_eq!((rules[0], rules[2], rules[4]), (4_000.0, 6_000.0, 8_000.0));
/// assert!(fit_rules_to_service(&mut rules, None, Some(b"audio/webm")).is_err());
/// ```
pub fn fit_rules_to_service(
    rules: &mut [f64],
    max_chunk_seconds: Option<f64>,
    formats: Option<&[u8]>,
) -> Result<(), Error> {
    if let Some(f) = formats.filter(|f| !f.is_empty()) {
        // One format per line; bytes only (no searcher, no UTF-8 work: a MIME type is ASCII).
        let wav = |m: &[u8]| {
            let m = m.trim_ascii();
            let (head, rest) = m.split_at(m.len().min(9));
            head.eq_ignore_ascii_case(b"audio/wav") && rest.first().is_none_or(|&b| b == b';')
        };
        if !f.split(|&b| b == b'\n').any(wav) {
            return Err(Error::invalid_argument(
                "the service takes no WAV (Discovery's audio_formats), and the recorder's chunks are WAV",
            ));
        }
    }
    let Some(seconds) = max_chunk_seconds.filter(|s| s.is_finite() && *s > 0.0) else {
        return Ok(());
    };
    let (lo, hi) = (f64::from(*CHUNK_MS.start()), f64::from(*CHUNK_MS.end()));
    // (No `floor` without std: the values are positive, truncation is the floor.)
    let whole = |x: f64| (x as u64) as f64;
    let service = whole(seconds * 1000.0).clamp(lo, hi);
    let [p, a, m] = FITTED_RULES.map(|i| rules.get(i).copied());
    if let (Some(p), Some(a), Some(m)) = (p, a, m) {
        let m = m.min(service);
        let fitted = [p.min(whole(m * 0.5)), a.min(whole(m * 0.75)), m];
        for (i, v) in FITTED_RULES.into_iter().zip(fitted) {
            if let Some(r) = rules.get_mut(i) {
                *r = v;
            }
        }
    }
    Ok(())
}

/// Where [`fit_rules_to_service`] finds `preferAfterMs`, `acceptAfterMs` and `maxChunkMs` in
/// the rules (held against [`rule_defaults`](super::rule_defaults) by its tests).
pub const FITTED_RULES: [usize; 3] = [0, 2, 4];

impl RecorderConfig {
    /// Whether the configuration makes sense: `invalid_argument` naming the option (its
    /// JS name) when not. Rates 8–384 kHz; `maxChunkMs` within [`CHUNK_MS`] and
    /// `preferAfterMs` ≤ `acceptAfterMs` ≤ `maxChunkMs`; pauses within [`PAUSE_MS`]; the
    /// threshold 0–1; `noSignalAfterMs` 100 ms – 10 min.
    pub fn check(&self) -> Result<(), Error> {
        let c = &self.chunker;
        let bad = |what: &str| {
            let mut m = alloc::string::String::from("recorder option out of range: ");
            m.push_str(what);
            Err(Error::invalid_argument(m))
        };
        if !super::wav::WAV_RATES.contains(&self.input_rate) {
            return bad("the capture rate (8-384 kHz)");
        }
        if !CHUNK_MS.contains(&c.max_ms) {
            return bad("maxChunkMs (1000-20000)");
        }
        if c.prefer_after_ms > c.accept_after_ms || c.accept_after_ms > c.max_ms {
            return bad("preferAfterMs <= acceptAfterMs <= maxChunkMs");
        }
        if !PAUSE_MS.contains(&c.prefer_pause_ms) || !PAUSE_MS.contains(&c.accept_pause_ms) {
            return bad("preferPauseMs and acceptPauseMs (16-10000)");
        }
        if !(0.0..=1.0).contains(&self.vad_threshold) {
            return bad("vadThreshold (0-1)");
        }
        if !(100..=600_000).contains(&self.no_signal_after_ms) {
            return bad("noSignalAfterMs (100-600000)");
        }
        Ok(())
    }

    /// The defaults for a capture at `input_rate`.
    pub fn new(input_rate: u32) -> RecorderConfig {
        RecorderConfig {
            input_rate,
            chunker: ChunkerConfig::default(),
            vad_threshold: 0.5,
            no_signal_after_ms: 3_000,
            speech_start_ms: 48,
            speech_end_ms: 300,
        }
    }
}

/// What the pipeline reports.
#[derive(Clone, Debug, PartialEq)]
pub enum RecorderEvent {
    /// A level, no signal, or signal back.
    Meter(MeterEvent),
    /// Speech started or ended, at this time of the recording (ms since its start).
    Speech {
        /// Started or ended.
        edge: SpeechEdge,
        /// When, in ms of recorded audio.
        at_ms: u64,
    },
    /// A finished chunk.
    Chunk(RecordedChunk),
    /// The chunk being recorded, so far (a live recording's, every
    /// [`PARTIAL_EVERY_MS`] once [`RecorderCore::report_partials`] is on): stored as it
    /// grows, so that a crash loses at most about that much.
    Partial {
        /// The index the chunk will have.
        index: u32,
        /// Its samples so far.
        samples: Vec<i16>,
    },
}

/// How often a live recording reports the chunk it is recording ([`RecorderEvent::Partial`]).
pub const PARTIAL_EVERY_MS: u32 = 1_000;

/// One recording's pipeline.
#[derive(Debug)]
pub struct RecorderCore<D: SpeechDetector = VoiceDetector> {
    resampler: Resampler,
    meter: LevelMeter,
    detector: D,
    gate: SpeechGate,
    chunker: Chunker,
    /// 16 kHz samples waiting for a whole frame.
    pending: Vec<i16>,
    frames: u64,
    last_speech: bool,
    cfg: RecorderConfig,
    /// Frames between two partial reports (0: none).
    partial_frames: u64,
}

const FRAME_MS: u32 = (VAD_FRAME as u32 * 1000) / TARGET_RATE;

impl RecorderCore<VoiceDetector> {
    /// A pipeline with the network detector.
    pub fn new(cfg: RecorderConfig) -> Self {
        Self::with_detector(cfg, VoiceDetector::new(cfg.vad_threshold))
    }
}

impl<D: SpeechDetector> RecorderCore<D> {
    /// A pipeline with another detector (the labelled set compares them).
    pub fn with_detector(cfg: RecorderConfig, detector: D) -> Self {
        let frames = |ms: u32| ms.div_ceil(FRAME_MS);
        RecorderCore {
            resampler: Resampler::new(cfg.input_rate),
            meter: LevelMeter::new(TARGET_RATE, cfg.no_signal_after_ms),
            detector,
            gate: SpeechGate::new(frames(cfg.speech_start_ms), frames(cfg.speech_end_ms)),
            chunker: Chunker::new(ChunkerConfig {
                sample_rate: TARGET_RATE,
                ..cfg.chunker
            }),
            pending: Vec::with_capacity(VAD_FRAME),
            frames: 0,
            last_speech: false,
            cfg,
            partial_frames: 0,
        }
    }

    /// Reports the chunk being recorded every [`PARTIAL_EVERY_MS`] (a live recording's).
    pub fn report_partials(&mut self) {
        self.partial_frames = u64::from(PARTIAL_EVERY_MS.div_ceil(FRAME_MS));
    }

    /// The next block of capture samples, one slice per channel: the events it completes.
    pub fn push(&mut self, channels: &[&[f32]]) -> Vec<RecorderEvent> {
        let mono = match channels {
            [one] => self.resampler.push(one),
            _ => self.resampler.push(&downmix(channels)),
        };
        self.take(&mono)
    }

    /// The next block as decoded channels (a file's frames): [`RecorderCore::push`].
    pub fn push_channels(&mut self, channels: &[Vec<f32>]) -> Vec<RecorderEvent> {
        let views: Vec<&[f32]> = channels.iter().map(Vec::as_slice).collect();
        self.push(&views)
    }

    /// The recording ended: the rest of the stream and the last chunk.
    pub fn finish(&mut self) -> Vec<RecorderEvent> {
        let tail = self.resampler.finish();
        let mut out = self.take(&tail);
        let rest = core::mem::take(&mut self.pending);
        let chunks = self.chunker.push(&rest, self.last_speech);
        out.extend(chunks.into_iter().map(RecorderEvent::Chunk));
        out.extend(self.chunker.finish().map(RecorderEvent::Chunk));
        if self.gate.speaking() {
            let at_ms = self.frames * u64::from(FRAME_MS);
            out.push(RecorderEvent::Speech {
                edge: SpeechEdge::End,
                at_ms,
            });
        }
        out
    }

    fn take(&mut self, mono: &[f32]) -> Vec<RecorderEvent> {
        let mut out: Vec<RecorderEvent> = self
            .meter
            .push(mono)
            .into_iter()
            .map(RecorderEvent::Meter)
            .collect();
        for &s in mono {
            // ×32768 and not ×32767: a 16-bit source comes back sample for sample.
            self.pending
                .push(libm::roundf((s * 32_768.0).clamp(-32_768.0, 32_767.0)) as i16);
            if self.pending.len() == VAD_FRAME {
                self.frame(&mut out);
            }
        }
        out
    }

    fn frame(&mut self, out: &mut Vec<RecorderEvent>) {
        let speech = self.detector.is_speech(&self.pending);
        self.frames += 1;
        self.last_speech = speech;
        if let Some(edge) = self.gate.push(speech) {
            let run = match edge {
                SpeechEdge::Start => self.cfg.speech_start_ms,
                SpeechEdge::End => self.cfg.speech_end_ms,
            }
            .div_ceil(FRAME_MS);
            let at_ms = (self.frames - u64::from(run)) * u64::from(FRAME_MS);
            out.push(RecorderEvent::Speech { edge, at_ms });
        }
        let chunks = self.chunker.push(&self.pending, speech);
        out.extend(chunks.into_iter().map(RecorderEvent::Chunk));
        self.pending.clear();
        if self.partial_frames > 0 && self.frames.is_multiple_of(self.partial_frames) {
            let (index, so_far) = self.chunker.in_progress();
            if !so_far.is_empty() {
                let samples = so_far.to_vec();
                out.push(RecorderEvent::Partial { index, samples });
            }
        }
    }
}

/// Cuts a pre-recorded WAV file into chunks by the recorder's rules (16 kHz mono, at
/// pauses, 20 s at most by default): for a file over the upload limit, or to upload a long
/// file as it is cut. `chunker` gives the rules; the detector's threshold is 0.5.
///
/// ```
/// use eka_voice::proto::{split_wav, wav_bytes, ChunkerConfig};
/// let minute = wav_bytes(&vec![0i16; 60 * 16_000], 16_000);
/// let chunks = split_wav(&minute, ChunkerConfig::default()).unwrap();
/// // A minute of silence is one long pause: cut once a chunk has 500 ms of it past 10 s.
/// assert_eq!(chunks.len(), 6);
/// assert!(chunks[..5].iter().all(|c| c.samples.len() == 10_250 * 16));
/// ```
pub fn split_wav(bytes: &[u8], chunker: ChunkerConfig) -> Result<Vec<RecordedChunk>, Error> {
    let header = parse_wav_header(bytes)?;
    let end = usize::try_from(header.data_len)
        .map_or(bytes.len(), |n| header.data_start.saturating_add(n))
        .min(bytes.len());
    let mut core = RecorderCore::new(RecorderConfig {
        chunker,
        ..RecorderConfig::new(header.sample_rate)
    });
    let mut frames = WavFrames::new(header);
    let mut chunks = Vec::new();
    let mut keep = |events: Vec<RecorderEvent>| {
        chunks.extend(events.into_iter().filter_map(|e| match e {
            RecorderEvent::Chunk(c) => Some(c),
            _ => None,
        }))
    };
    for piece in bytes[header.data_start..end].chunks(64 * 1024) {
        keep(core.push_channels(&frames.push(piece)));
    }
    keep(core.finish());
    Ok(chunks)
}

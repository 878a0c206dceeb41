//! The recorder's voice-activity detection (issue 14): which 16 ms frames of the 16 kHz
//! stream hold speech. Sans-IO: frames in, verdicts out.
//!
//! - [`VoiceDetector`]: the detector the recorder uses — `earshot`'s small recurrent network
//!   over 40 mel bands (pure Rust, ~30 KB of quantized weights, no model fetched at run time).
//! - [`EnergyDetector`]: a plain energy detector over an adaptive noise floor, the baseline
//!   the labelled set (`examples/vad_report.rs`) measures the network against.
//! - [`SpeechGate`]: turns frame verdicts into "speech started" / "speech ended" for a UI,
//!   with a short confirmation on and a hangover off (the chunker takes the raw verdicts).

use alloc::boxed::Box;

/// Samples in one frame the detectors judge: 16 ms at 16 kHz.
pub const VAD_FRAME: usize = 256;

/// Judges frames of [`VAD_FRAME`] samples at 16 kHz, one after the other (it may keep state).
pub trait SpeechDetector {
    /// Whether this frame holds speech. A frame of another length is not speech.
    fn is_speech(&mut self, frame: &[i16]) -> bool;
}

/// The recorder's detector: `earshot`'s network, speech when its score reaches the
/// threshold (default 0.5).
pub struct VoiceDetector {
    inner: Box<earshot::Detector>,
    threshold: f32,
}

impl VoiceDetector {
    /// A detector that calls a frame speech from `threshold` (0–1) on.
    pub fn new(threshold: f32) -> VoiceDetector {
        VoiceDetector {
            inner: Box::new(earshot::Detector::default()),
            threshold,
        }
    }

    /// The network's score of this frame, 0 (no voice) to 1 (voice); −1 for a frame of the
    /// wrong length.
    pub fn score(&mut self, frame: &[i16]) -> f32 {
        if frame.len() != VAD_FRAME {
            return -1.0;
        }
        self.inner.predict_i16(frame)
    }
}

impl Default for VoiceDetector {
    fn default() -> Self {
        VoiceDetector::new(0.5)
    }
}

impl core::fmt::Debug for VoiceDetector {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VoiceDetector")
            .field("threshold", &self.threshold)
            .finish_non_exhaustive()
    }
}

impl SpeechDetector for VoiceDetector {
    fn is_speech(&mut self, frame: &[i16]) -> bool {
        self.score(frame) >= self.threshold
    }
}

/// The baseline: a frame is speech when its level is `margin_db` over a noise floor that
/// follows quiet frames down at once and creeps up 3 dB a second, and above −60 dBFS.
#[derive(Clone, Debug)]
pub struct EnergyDetector {
    floor_db: f32,
    margin_db: f32,
}

impl EnergyDetector {
    /// A detector with this margin over the floor (10 dB is the usual choice).
    pub fn new(margin_db: f32) -> EnergyDetector {
        EnergyDetector {
            floor_db: -60.0,
            margin_db,
        }
    }
}

impl Default for EnergyDetector {
    fn default() -> Self {
        EnergyDetector::new(10.0)
    }
}

/// The level of a frame of samples in dBFS (−100 for digital silence).
pub fn frame_dbfs(frame: &[i16]) -> f32 {
    let sum: f64 = frame.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    let mean = sum / frame.len().max(1) as f64 / (32768.0 * 32768.0);
    if mean <= 1e-10 {
        -100.0
    } else {
        (10.0 * libm::log10(mean)) as f32
    }
}

impl SpeechDetector for EnergyDetector {
    fn is_speech(&mut self, frame: &[i16]) -> bool {
        if frame.len() != VAD_FRAME {
            return false;
        }
        let db = frame_dbfs(frame);
        let speech = db > self.floor_db + self.margin_db && db > -60.0;
        // Down at once, up by 3 dB a second (16 ms frames), never under −90 dBFS.
        self.floor_db = if db < self.floor_db {
            db.max(-90.0)
        } else {
            self.floor_db + 3.0 * VAD_FRAME as f32 / 16_000.0
        };
        speech
    }
}

/// What [`SpeechGate::push`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpeechEdge {
    /// Speech began at this frame (confirmed by the following ones).
    Start,
    /// Speech ended: the hangover of silent frames has passed.
    End,
}

/// Speech start and end for a UI: speech starts after `on_frames` speech frames in a row
/// and ends after `off_frames` non-speech frames in a row.
#[derive(Clone, Debug)]
pub struct SpeechGate {
    on_frames: u32,
    off_frames: u32,
    run: u32,
    speaking: bool,
}

impl SpeechGate {
    /// A gate with these confirmation and hangover lengths, in frames.
    pub fn new(on_frames: u32, off_frames: u32) -> SpeechGate {
        SpeechGate {
            on_frames: on_frames.max(1),
            off_frames: off_frames.max(1),
            run: 0,
            speaking: false,
        }
    }

    /// The next frame's verdict: an edge when the state changes.
    ///
    /// ```
    /// use eka_voice::proto::{SpeechEdge, SpeechGate};
    /// let mut g = SpeechGate::new(2, 3);
    /// let edges: Vec<_> = [true, true, false, false, false]
    ///     .iter().map(|&s| g.push(s)).collect();
    /// assert_eq!(edges, [None, Some(SpeechEdge::Start), None, None, Some(SpeechEdge::End)]);
    /// ```
    pub fn push(&mut self, speech: bool) -> Option<SpeechEdge> {
        if speech == self.speaking {
            self.run = 0;
            return None;
        }
        self.run += 1;
        let needed = if self.speaking {
            self.off_frames
        } else {
            self.on_frames
        };
        if self.run < needed {
            return None;
        }
        self.run = 0;
        self.speaking = speech;
        Some(if speech {
            SpeechEdge::Start
        } else {
            SpeechEdge::End
        })
    }

    /// Whether speech is going on.
    pub fn speaking(&self) -> bool {
        self.speaking
    }
}

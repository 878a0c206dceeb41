//! The recorder's module (`eka-voice/recorder`, feature `recorder`): the core's
//! [`RecorderCore`] behind one small class, `RecorderDsp`, that runs inside the AudioWorklet
//! (`pkg-template/js/recorder-worklet.js`) and on the page for decoded files; `WavSplitter`,
//! the same pipeline over a WAV file read piece by piece; and the core's
//! [`Journal`] behind `RecordingJournal`, the reload-safe lifecycle `recorder.js` performs.
//!
//! The worklet's scope has no `TextDecoder` and must not allocate much per render quantum:
//! so nothing here passes a string. Events go out as numbers, [`EVENT_SLOTS`] per event
//! (`[kind, a, b, c, d]`, kinds below), and each chunk's WAV bytes are taken with
//! `takeChunk()` in the order of the chunk events. The JS side names the kinds.
//!
//! | kind | event | a | b | c | d |
//! |---|---|---|---|---|---|
//! | 0 | level | dBFS | | | |
//! | 1 | no signal | | | | |
//! | 2 | signal back | | | | |
//! | 3 | speech start | ms | | | |
//! | 4 | speech end | ms | | | |
//! | 5 | chunk | index | start (16 kHz samples) | samples | [`CutReason`] 0–3 |

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use js_sys::Float64Array;
use wasm_bindgen::prelude::*;

use crate::proto::{
    parse_wav_header, wav_bytes, ChunkerConfig, CutReason, Journal, JournalState, JournalStep,
    MeterEvent, RecorderConfig, RecorderCore, RecorderEvent, SpeechEdge, WavFrames, TARGET_RATE,
};

/// Numbers per event in what `push` and `finish` return.
pub const EVENT_SLOTS: usize = 5;

/// The pipeline of one recording, for JS.
#[wasm_bindgen]
pub struct RecorderDsp {
    core: RecorderCore,
    chunks: VecDeque<Vec<u8>>,
}

#[wasm_bindgen]
impl RecorderDsp {
    /// A pipeline for a capture at `input_rate` Hz with these `rules`: preferAfterMs,
    /// preferPauseMs, acceptAfterMs, acceptPauseMs, maxChunkMs, vadThreshold,
    /// noSignalAfterMs. Throws the message of an `invalid_argument` for rules out of range.
    #[wasm_bindgen(constructor)]
    pub fn new(input_rate: u32, rules: &[f64]) -> Result<RecorderDsp, JsValue> {
        let rule = |i: usize| rules.get(i).copied().unwrap_or(f64::NAN);
        // `as` saturates: a negative or huge number is out of range below, never wrapped.
        let ms = |i: usize| rule(i) as u32;
        let cfg = RecorderConfig {
            chunker: ChunkerConfig {
                sample_rate: TARGET_RATE,
                prefer_after_ms: ms(0),
                prefer_pause_ms: ms(1),
                accept_after_ms: ms(2),
                accept_pause_ms: ms(3),
                max_ms: ms(4),
            },
            vad_threshold: rule(5) as f32,
            no_signal_after_ms: ms(6),
            ..RecorderConfig::new(input_rate)
        };
        cfg.check().map_err(|e| JsValue::from(e.message))?;
        Ok(RecorderDsp {
            core: RecorderCore::new(cfg),
            chunks: VecDeque::new(),
        })
    }

    /// The next block of the capture: the left (or only) channel and the right one (empty
    /// for mono), the same length. Returns the events it completes.
    pub fn push(&mut self, left: &[f32], right: &[f32]) -> Float64Array {
        let events = if right.is_empty() {
            self.core.push(&[left])
        } else {
            self.core.push(&[left, right])
        };
        self.encode(events)
    }

    /// The capture ended: the rest of the stream's events and the last chunk (the last
    /// call: the worklet and the splitter free the pipeline after it).
    pub fn finish(&mut self) -> Float64Array {
        let events = self.core.finish();
        self.encode(events)
    }

    /// The WAV bytes of the oldest chunk event not taken yet.
    #[wasm_bindgen(js_name = takeChunk)]
    pub fn take_chunk(&mut self) -> Option<Vec<u8>> {
        self.chunks.pop_front()
    }

    fn encode(&mut self, events: Vec<RecorderEvent>) -> Float64Array {
        let mut out = Vec::with_capacity(events.len() * EVENT_SLOTS);
        for event in events {
            let slots: [f64; EVENT_SLOTS] = match event {
                RecorderEvent::Meter(MeterEvent::Level(db)) => [0.0, f64::from(db), 0.0, 0.0, 0.0],
                RecorderEvent::Meter(MeterEvent::NoSignal) => [1.0, 0.0, 0.0, 0.0, 0.0],
                RecorderEvent::Meter(MeterEvent::SignalBack) => [2.0, 0.0, 0.0, 0.0, 0.0],
                RecorderEvent::Speech { edge, at_ms } => {
                    let kind = if edge == SpeechEdge::Start { 3.0 } else { 4.0 };
                    [kind, at_ms as f64, 0.0, 0.0, 0.0]
                }
                RecorderEvent::Chunk(chunk) => {
                    let cut = match chunk.cut {
                        CutReason::Pause => 0.0,
                        CutReason::ShortPause => 1.0,
                        CutReason::Forced => 2.0,
                        CutReason::End => 3.0,
                    };
                    let meta = [
                        5.0,
                        f64::from(chunk.index),
                        chunk.start as f64,
                        chunk.samples.len() as f64,
                        cut,
                    ];
                    self.chunks
                        .push_back(wav_bytes(&chunk.samples, TARGET_RATE));
                    meta
                }
            };
            out.extend_from_slice(&slots);
        }
        Float64Array::from(&out[..])
    }
}

/// A pre-recorded WAV file cut by the recorder's rules, read piece by piece (a long file
/// is never all in memory): the header from the file's first bytes, then its samples.
#[wasm_bindgen]
pub struct WavSplitter {
    frames: WavFrames,
    dsp: RecorderDsp,
}

#[wasm_bindgen]
impl WavSplitter {
    /// From the file's first bytes (up to its `data` chunk) and the rules of
    /// [`RecorderDsp::new`]. Throws the message of an `invalid_argument` for a file that is
    /// not a WAV this library reads, or rules out of range.
    #[wasm_bindgen(constructor)]
    pub fn new(head: &[u8], rules: &[f64]) -> Result<WavSplitter, JsValue> {
        let header = parse_wav_header(head).map_err(|e| JsValue::from(e.message))?;
        Ok(WavSplitter {
            dsp: RecorderDsp::new(header.sample_rate, rules)?,
            frames: WavFrames::new(header),
        })
    }

    /// Where the samples start in the file.
    #[wasm_bindgen(getter, js_name = dataStart)]
    pub fn data_start(&self) -> f64 {
        self.frames.header().data_start as f64
    }

    /// The bytes of samples the header declares (may run past the end of the file).
    #[wasm_bindgen(getter, js_name = dataLength)]
    pub fn data_length(&self) -> f64 {
        self.frames.header().data_len as f64
    }

    /// The next piece of the samples: the events it completes (as [`RecorderDsp::push`];
    /// every channel downmixed, as `split_wav` does).
    pub fn push(&mut self, bytes: &[u8]) -> Float64Array {
        let events = self.dsp.core.push_channels(&self.frames.push(bytes));
        self.dsp.encode(events)
    }

    /// The end of the file: the last events and chunk.
    pub fn finish(&mut self) -> Float64Array {
        self.dsp.finish()
    }

    /// The WAV bytes of the oldest chunk event not taken yet.
    #[wasm_bindgen(js_name = takeChunk)]
    pub fn take_chunk(&mut self) -> Option<Vec<u8>> {
        self.dsp.take_chunk()
    }
}

/// The reload-safe lifecycle of one recording ([`Journal`]) for `recorder.js`, numbers only:
/// `nextStep()` gives `[kind, a, …]` — 0 create, 1 upload chunk `a`, 2 end with `a` files sent,
/// 3 poll, 4 wait, 5 stuck with the missing chunks' indices after the kind; `state()` gives
/// `[created, cut, stopped, ended, …uploaded]`, what the constructor takes back.
#[wasm_bindgen]
pub struct RecordingJournal {
    j: Journal,
}

/// Uploads in flight at once, and attempts per chunk in one run (each attempt is one
/// `uploadAudio`, which retries transient failures itself).
const IN_FLIGHT: usize = 2;
const ATTEMPTS: u8 = 3;

#[wasm_bindgen]
impl RecordingJournal {
    /// A journal from its stored `state()`, or a new one from an empty array.
    #[wasm_bindgen(constructor)]
    pub fn new(state: &[u32]) -> RecordingJournal {
        let flag = |i: usize| state.get(i).is_some_and(|&v| v != 0);
        let state = JournalState {
            created: flag(0),
            cut: state.get(1).copied().unwrap_or(0),
            stopped: flag(2),
            ended: flag(3),
            uploaded: state.get(4..).map(<[u32]>::to_vec).unwrap_or_default(),
        };
        RecordingJournal {
            j: Journal::new(state, IN_FLIGHT, ATTEMPTS),
        }
    }

    /// What to store.
    pub fn state(&self) -> Vec<u32> {
        let s = self.j.state();
        let mut out = alloc::vec![
            u32::from(s.created),
            s.cut,
            u32::from(s.stopped),
            u32::from(s.ended)
        ];
        out.extend(s.uploaded);
        out
    }

    /// The next step, marked under way.
    #[wasm_bindgen(js_name = nextStep)]
    pub fn next_step(&mut self) -> Vec<u32> {
        match self.j.next_step() {
            JournalStep::Create => alloc::vec![0],
            JournalStep::Upload(i) => alloc::vec![1, i],
            JournalStep::End { sent } => alloc::vec![2, sent],
            JournalStep::Poll => alloc::vec![3],
            JournalStep::Wait => alloc::vec![4],
            JournalStep::Stuck { missing } => core::iter::once(5).chain(missing).collect(),
        }
    }

    /// A fact: 0 created, 1 create failed, 2 chunk `index` cut, 3 uploaded, 4 upload
    /// failed, 5 stopped, 6 ended, 7 end failed.
    pub fn on(&mut self, fact: u32, index: u32) {
        match fact {
            0 => self.j.on_created(),
            1 => self.j.on_create_failed(),
            2 => self.j.on_cut(index),
            3 => self.j.on_uploaded(index),
            4 => self.j.on_upload_failed(index),
            5 => self.j.on_stopped(),
            6 => self.j.on_ended(),
            7 => self.j.on_end_failed(),
            _ => {}
        }
    }
}

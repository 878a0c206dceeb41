//! The recorder's module (`eka-voice/recorder`, feature `recorder`): the core's
//! [`RecorderCore`] behind one small class, `RecorderDsp`, that runs inside the AudioWorklet
//! (`pkg-template/js/recorder-worklet.js`) and on the page for files.
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
    wav_bytes, ChunkerConfig, CutReason, MeterEvent, RecorderConfig, RecorderCore, RecorderEvent,
    SpeechEdge, TARGET_RATE,
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
    /// A pipeline for a capture at `input_rate` Hz with these rules (ms; the threshold
    /// 0–1). Throws the message of an `invalid_argument` for options out of range.
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(constructor)]
    pub fn new(
        input_rate: u32,
        prefer_after_ms: u32,
        prefer_pause_ms: u32,
        accept_after_ms: u32,
        accept_pause_ms: u32,
        max_chunk_ms: u32,
        vad_threshold: f32,
        no_signal_after_ms: u32,
    ) -> Result<RecorderDsp, JsValue> {
        let cfg = RecorderConfig {
            chunker: ChunkerConfig {
                sample_rate: TARGET_RATE,
                prefer_after_ms,
                prefer_pause_ms,
                accept_after_ms,
                accept_pause_ms,
                max_ms: max_chunk_ms,
            },
            vad_threshold,
            no_signal_after_ms,
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

    /// The capture ended: the rest of the stream's events and the last chunk. The pipeline
    /// starts a new recording after it.
    pub fn finish(&mut self) -> Float64Array {
        let events = self.core.finish();
        let cfg = *self.core.config();
        self.core = RecorderCore::new(cfg);
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

//! The recorder's module (`eka-voice/recorder`, feature `recorder`): the core's
//! [`RecorderCore`] behind one small class, `RecorderDsp`, that runs inside the AudioWorklet
//! (`pkg-template/js/recorder-worklet.js`) and on the page for decoded files; `WavSplitter`,
//! the same pipeline over a WAV file read piece by piece. (A recording's reload-safe
//! transcription is the client's: `client.transcribe` with a durable store.)
//!
//! The worklet's scope has no `TextDecoder` and must not allocate much per render quantum:
//! so nothing here passes a string. Events go out as numbers, [`EVENT_SLOTS`] per event
//! (`[kind, a, b, c, d]`), and each chunk's (and partial chunk's) WAV bytes are taken with
//! `takeChunk()` in the order of their events. The kinds, the cut reasons and the rules'
//! order are the core's ([`crate::proto::seam`]); the JS side's lists are generated from it.
//!
//! | kind | event | a | b | c | d |
//! |---|---|---|---|---|---|
//! | `level` | a level | dBFS | | | |
//! | `nosignal`, `signalback` | no signal, signal back | | | | |
//! | `speechstart`, `speechend` | a speech edge | ms | | | |
//! | `chunk` | a chunk | index | start (16 kHz samples) | samples | its cut (`CUT_NAMES`) |
//! | `partial` | the chunk being recorded, so far (live) | index | | samples | |

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use js_sys::Float64Array;
use wasm_bindgen::prelude::*;

use crate::proto::{
    parse_wav_header, wav_bytes, ChunkerConfig, MeterEvent, RecorderConfig, RecorderCore,
    RecorderEvent, WavFrames, EVENT_SLOTS, TARGET_RATE,
};

/// The pipeline of one recording, for JS.
#[wasm_bindgen]
pub struct RecorderDsp {
    core: RecorderCore,
    chunks: VecDeque<Vec<u8>>,
}

#[wasm_bindgen]
impl RecorderDsp {
    /// A pipeline for a capture at `input_rate` Hz with these `rules`, in the order of the
    /// core's [`rule_defaults`](crate::proto::rule_defaults) (preferAfterMs, preferPauseMs,
    /// acceptAfterMs, acceptPauseMs, maxChunkMs, vadThreshold, noSignalAfterMs). Throws the
    /// message of an `invalid_argument` for rules out of range.
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

    /// Reports the chunk being recorded every second (`partial` events, their WAV bytes
    /// taken like a chunk's): the live worklet's, so that a crash loses at most that much.
    #[wasm_bindgen(js_name = reportPartials)]
    pub fn report_partials(&mut self) {
        self.core.report_partials();
    }

    /// Events as numbers ([`EVENT_SLOTS`] each: the kind, an index of the core's
    /// `EVENT_KINDS`, then its values); the WAV bytes of chunk and partial events queued.
    fn encode(&mut self, events: Vec<RecorderEvent>) -> Float64Array {
        let mut out = Vec::with_capacity(events.len() * EVENT_SLOTS);
        for event in events {
            let kind = f64::from(event.kind());
            let values: [f64; EVENT_SLOTS - 1] = match event {
                RecorderEvent::Meter(MeterEvent::Level(db)) => [f64::from(db), 0.0, 0.0, 0.0],
                RecorderEvent::Meter(_) => [0.0; 4],
                RecorderEvent::Speech { at_ms, .. } => [at_ms as f64, 0.0, 0.0, 0.0],
                RecorderEvent::Chunk(chunk) => {
                    self.chunks
                        .push_back(wav_bytes(&chunk.samples, TARGET_RATE));
                    [
                        f64::from(chunk.index),
                        chunk.start as f64,
                        chunk.samples.len() as f64,
                        f64::from(chunk.cut.number()),
                    ]
                }
                RecorderEvent::Partial { index, samples } => {
                    self.chunks.push_back(wav_bytes(&samples, TARGET_RATE));
                    [f64::from(index), 0.0, samples.len() as f64, 0.0]
                }
            };
            out.push(kind);
            out.extend_from_slice(&values);
        }
        Float64Array::from(&out[..])
    }
}

/// `fitRules(rules, maxChunkSeconds?, formats?)`: the rules (a `Float64Array`, changed in
/// place) fitted to the service's Discovery by the core
/// ([`fit_rules_to_service`](crate::proto::fit_rules_to_service)); `formats`: the audio
/// formats one per line, as UTF-8 bytes — no string crosses into this module: its glue
/// also runs in the AudioWorklet's scope, which has no `TextEncoder`. Throws the message of
/// an `invalid_argument` when the service takes no WAV.
#[wasm_bindgen(js_name = fitRules)]
pub fn fit_rules_js(
    rules: &mut [f64],
    max_chunk_seconds: Option<f64>,
    formats: Option<Vec<u8>>,
) -> Result<(), JsValue> {
    crate::proto::fit_rules_to_service(rules, max_chunk_seconds, formats.as_deref())
        .map_err(|e| JsValue::from(e.message))
}

/// `wavHeaderNeeds(head)`: how many of a WAV file's first bytes its header needs (0: enough;
/// the core's [`wav_header_needs`](crate::proto::wav_header_needs)).
#[wasm_bindgen(js_name = wavHeaderNeeds)]
pub fn wav_header_needs_js(head: &[u8]) -> f64 {
    crate::proto::wav_header_needs(head) as f64
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
    /// [`RecorderDsp::new`]. Throws `[message, 'invalid_audio']` for a file that is not a
    /// WAV this library reads, the message of an `invalid_argument` for rules out of range.
    #[wasm_bindgen(constructor)]
    pub fn new(head: &[u8], rules: &[f64]) -> Result<WavSplitter, JsValue> {
        let header = parse_wav_header(head).map_err(|e| {
            let pair = js_sys::Array::of2(&e.message.into(), &e.code.as_str().into());
            JsValue::from(pair)
        })?;
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

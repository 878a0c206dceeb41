//! What crosses between the recorder's core, its AudioWorklet and its page, declared once
//! here: the rules' JS names (the options of `createRecorder`) in the order `RecorderDsp`
//! takes them, with their defaults; the event kinds and the cut reasons by the numbers they
//! cross the worklet as (`[kind, a, b, c, d]`: the worklet's scope has no `TextDecoder`,
//! so no string crosses there). The JS side's lists are GENERATED from these
//! ([`recorder_seam_js`] → `pkg-template/js/recorder-seam.js`, by `cargo run --example
//! seam`), and `cargo test` fails when the file differs (`tests/seam_files.rs`).

use alloc::string::String;

use super::chunker::{ChunkerConfig, CutReason};
use super::error::push_decimal;
use super::meter::MeterEvent;
use super::recorder::{RecorderConfig, RecorderEvent};
use super::vad::SpeechEdge;

/// Numbers per event (`[kind, a, b, c, d]`).
pub const EVENT_SLOTS: usize = 5;

/// The page's name of each event kind, by its number.
pub const EVENT_KINDS: [&str; 7] = [
    "level",
    "nosignal",
    "signalback",
    "speechstart",
    "speechend",
    "chunk",
    "partial",
];

/// The page's name of each [`CutReason`], by its number.
pub const CUT_NAMES: [&str; 4] = ["pause", "short-pause", "forced", "end"];

impl CutReason {
    /// Its number (an index of [`CUT_NAMES`]).
    pub fn number(self) -> u8 {
        match self {
            CutReason::Pause => 0,
            CutReason::ShortPause => 1,
            CutReason::Forced => 2,
            CutReason::End => 3,
        }
    }
}

impl RecorderEvent {
    /// Its kind's number (an index of [`EVENT_KINDS`]).
    ///
    /// ```
    /// use eka_voice::proto::{RecorderEvent, EVENT_KINDS};
    /// let e = RecorderEvent::Partial { index: 0, samples: vec![] };
    /// assert_eq!(EVENT_KINDS[e.kind() as usize], "partial");
    /// ```
    pub fn kind(&self) -> u8 {
        match self {
            RecorderEvent::Meter(MeterEvent::Level(_)) => 0,
            RecorderEvent::Meter(MeterEvent::NoSignal) => 1,
            RecorderEvent::Meter(MeterEvent::SignalBack) => 2,
            RecorderEvent::Speech {
                edge: SpeechEdge::Start,
                ..
            } => 3,
            RecorderEvent::Speech { .. } => 4,
            RecorderEvent::Chunk(_) => 5,
            RecorderEvent::Partial { .. } => 6,
        }
    }
}

/// The rules' JS names and defaults, in the order `RecorderDsp` takes them.
///
/// ```
/// assert_eq!(eka_voice::proto::rule_defaults()[4], ("maxChunkMs", 20_000.0));
/// ```
pub fn rule_defaults() -> [(&'static str, f64); 7] {
    let c = ChunkerConfig::default();
    let r = RecorderConfig::new(48_000);
    [
        ("preferAfterMs", f64::from(c.prefer_after_ms)),
        ("preferPauseMs", f64::from(c.prefer_pause_ms)),
        ("acceptAfterMs", f64::from(c.accept_after_ms)),
        ("acceptPauseMs", f64::from(c.accept_pause_ms)),
        ("maxChunkMs", f64::from(c.max_ms)),
        ("vadThreshold", f64::from(r.vad_threshold)),
        ("noSignalAfterMs", f64::from(r.no_signal_after_ms)),
    ]
}

/// The text of `pkg-template/js/recorder-seam.js`.
pub fn recorder_seam_js() -> String {
    let mut s = String::from(
        "// GENERATED from src/proto/seam.rs by `cargo run --example seam` (checked by\n\
         // tests/seam_files.rs): do not edit. What crosses between the recorder's core, its\n\
         // AudioWorklet and its page.\n\n\
         /** The rules (createRecorder's options), in RecorderDsp's order, with their defaults. */\n\
         export const RULES = [",
    );
    for (i, (name, default)) in rule_defaults().iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str("['");
        s.push_str(name);
        s.push_str("', ");
        push_number(&mut s, *default);
        s.push(']');
    }
    s.push_str("];\n/** Numbers per event. */\nexport const EVENT_SLOTS = ");
    push_decimal(&mut s, EVENT_SLOTS as u64);
    s.push_str(";\n/** Event names by kind. */\nexport const EVENT_KINDS = ");
    push_list(&mut s, &EVENT_KINDS);
    s.push_str(";\n/** Cut reasons by number. */\nexport const CUTS = ");
    push_list(&mut s, &CUT_NAMES);
    s.push_str(";\n");
    s
}

fn push_list(s: &mut String, names: &[&str]) {
    s.push('[');
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push('\'');
        s.push_str(n);
        s.push('\'');
    }
    s.push(']');
}

/// A default as JS writes it: an integer, or one decimal (0.5).
fn push_number(s: &mut String, v: f64) {
    let whole = v as u64;
    push_decimal(s, whole);
    let tenths = ((v - whole as f64) * 10.0 + 0.5) as u64;
    if tenths > 0 {
        s.push('.');
        push_decimal(s, tenths);
    }
}

//! The recorder's level meter (issue 14): RMS level in dBFS about 20 times a second, for a
//! meter in the UI, and "no signal" after a stretch of digital silence (a muted or dead
//! track delivers exact zeros), then "signal back". Sans-IO: samples in, events out.

use alloc::vec::Vec;

/// Levels a second.
pub const LEVELS_PER_SECOND: u32 = 20;

/// The level of a window of exact zeros, and the floor of every level.
pub const SILENT_DBFS: f32 = -100.0;

/// What the meter reports.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MeterEvent {
    /// The RMS level of the last window, in dBFS (0 = full scale; at least [`SILENT_DBFS`]).
    Level(f32),
    /// Only exact zeros for the configured time: the microphone is muted or gone.
    NoSignal,
    /// Samples again after [`MeterEvent::NoSignal`].
    SignalBack,
}

/// The level meter and no-signal detector of one stream.
///
/// ```
/// use eka_voice::proto::{LevelMeter, MeterEvent};
/// let mut m = LevelMeter::new(16_000, 1_000);
/// let events = m.push(&vec![0.0; 16_000]);
/// assert_eq!(events.iter().filter(|e| matches!(e, MeterEvent::Level(_))).count(), 20);
/// assert_eq!(events.last(), Some(&MeterEvent::NoSignal));
/// ```
#[derive(Clone, Debug)]
pub struct LevelMeter {
    window: usize,
    in_window: usize,
    sum_squares: f64,
    all_zero: bool,
    silent_windows: u64,
    no_signal_windows: u64,
    no_signal: bool,
}

impl LevelMeter {
    /// A meter for `sample_rate` samples a second that reports no signal after
    /// `no_signal_after_ms` of exact zeros.
    pub fn new(sample_rate: u32, no_signal_after_ms: u32) -> LevelMeter {
        let window = (sample_rate / LEVELS_PER_SECOND).max(1) as usize;
        let per_window_ms = u64::from(1000 / LEVELS_PER_SECOND);
        LevelMeter {
            window,
            in_window: 0,
            sum_squares: 0.0,
            all_zero: true,
            silent_windows: 0,
            no_signal_windows: u64::from(no_signal_after_ms).div_ceil(per_window_ms).max(1),
            no_signal: false,
        }
    }

    /// The next samples (floats in [−1, 1]): the events of the windows they complete.
    pub fn push(&mut self, samples: &[f32]) -> Vec<MeterEvent> {
        let mut out = Vec::new();
        for &s in samples {
            self.sum_squares += f64::from(s) * f64::from(s);
            self.all_zero &= s == 0.0;
            self.in_window += 1;
            if self.in_window == self.window {
                self.close_window(&mut out);
            }
        }
        out
    }

    fn close_window(&mut self, out: &mut Vec<MeterEvent>) {
        let rms = libm::sqrt(self.sum_squares / self.window as f64);
        let dbfs = if rms > 0.0 {
            (20.0 * libm::log10(rms)) as f32
        } else {
            SILENT_DBFS
        };
        out.push(MeterEvent::Level(dbfs.max(SILENT_DBFS)));
        if self.all_zero {
            self.silent_windows += 1;
            if self.silent_windows == self.no_signal_windows {
                self.no_signal = true;
                out.push(MeterEvent::NoSignal);
            }
        } else {
            self.silent_windows = 0;
            if core::mem::take(&mut self.no_signal) {
                out.push(MeterEvent::SignalBack);
            }
        }
        self.in_window = 0;
        self.sum_squares = 0.0;
        self.all_zero = true;
    }
}

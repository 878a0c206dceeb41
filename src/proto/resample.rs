//! The recorder's resampling (issue 14): any capture rate (44.1, 48, 96 kHz…) to 16 kHz
//! mono, through a windowed-sinc anti-aliasing filter, streaming. Sans-IO: samples in,
//! samples out; host-tested for its passband and its rejection.
//!
//! The filter: a Kaiser-windowed sinc with its cutoff at 7.5 kHz, designed for 70 dB of
//! attenuation from 8 kHz (the new Nyquist) with a 1 kHz transition band, so that the
//! passband (speech lives below 4 kHz) is flat and nothing above 8 kHz folds back. Its
//! kernel is tabulated once: for the usual rates outputs fall on few distinct phases (48 and
//! 96 kHz: one; 44.1 kHz: 160), each its own exact row; otherwise at [`PHASES`] fractional
//! positions, interpolated between (no trigonometry per sample).

use alloc::vec::Vec;

/// The rate everything is resampled to.
pub const TARGET_RATE: u32 = 16_000;

/// Fractional positions of the tabulated kernel.
pub const PHASES: usize = 512;

const CUTOFF_HZ: f64 = 7_500.0;
const TRANSITION_HZ: f64 = 1_000.0;
const ATTENUATION_DB: f64 = 70.0;

/// Averages the channels of one block (each channel the same length) into mono.
///
/// ```
/// use eka_voice::proto::downmix;
/// assert_eq!(downmix(&[&[1.0, 0.0], &[0.0, 0.0]]), vec![0.5, 0.0]);
/// ```
pub fn downmix(channels: &[&[f32]]) -> Vec<f32> {
    let Some(first) = channels.first() else {
        return Vec::new();
    };
    let n = channels.len() as f32;
    (0..first.len())
        .map(|i| {
            channels
                .iter()
                .map(|c| c.get(i).copied().unwrap_or(0.0))
                .sum::<f32>()
                / n
        })
        .collect()
}

/// A streaming resampler from one input rate to [`TARGET_RATE`].
///
/// ```
/// use eka_voice::proto::Resampler;
/// let mut r = Resampler::new(48_000);
/// let out = r.push(&vec![0.0; 4_800]);
/// assert!((1_500..=1_600).contains(&out.len()), "{}", out.len());
/// ```
#[derive(Clone, Debug)]
pub struct Resampler {
    /// The input rate: the step between outputs, in 1/16000ths of an input sample.
    step: u64,
    /// Taps on each side of the position.
    half: usize,
    /// The kernel's rows of `2·half` values: one per exact phase (`exact` of them), or
    /// `PHASES + 1` to interpolate between; empty when the rate is already 16 kHz.
    table: Vec<f32>,
    /// The number of distinct phases when it is small (48 and 96 kHz: 1; 44.1 kHz: 160):
    /// each output then takes one exact row; 0 when rows are interpolated.
    exact: u64,
    /// Input samples not consumed yet (with `half − 1` before the next position).
    history: Vec<f32>,
    /// Where the next output falls, in 1/16000ths of an input sample since the start of
    /// the stream (integers: blocks of any size give the very same samples).
    next: u64,
    /// Input samples dropped from the front of `history` so far.
    dropped: u64,
}

impl Resampler {
    /// A resampler from `input_rate` (Hz) to 16 kHz.
    pub fn new(input_rate: u32) -> Resampler {
        let fs = f64::from(input_rate.max(1));
        if input_rate == TARGET_RATE {
            return Resampler {
                step: 0,
                half: 0,
                table: Vec::new(),
                exact: 0,
                history: Vec::new(),
                next: 0,
                dropped: 0,
            };
        }
        // Kaiser's estimates: the length for the attenuation over the transition band,
        // and the window's beta.
        let width = 2.0 * core::f64::consts::PI * TRANSITION_HZ / fs;
        let taps = libm::ceil((ATTENUATION_DB - 8.0) / (2.285 * width)) as usize;
        let half = taps / 2 + 1;
        let beta = 0.1102 * (ATTENUATION_DB - 8.7);
        // Below 16 kHz (upsampling) the input's own Nyquist bounds the passband.
        let cutoff = CUTOFF_HZ.min(fs / 2.0 - TRANSITION_HZ / 2.0);
        // Outputs fall at multiples of gcd(rate, 16000)/16000 of an input sample: few
        // distinct phases for the usual rates, each its own exact row (no interpolation).
        let phases = u64::from(TARGET_RATE / gcd(input_rate, TARGET_RATE));
        let exact = if phases <= MAX_EXACT_PHASES {
            phases
        } else {
            0
        };
        let rows = if exact > 0 {
            exact as usize
        } else {
            PHASES + 1
        };
        let denom = if exact > 0 {
            exact as f64
        } else {
            PHASES as f64
        };
        let table = kernel_table(half, cutoff / fs, beta, rows, denom);
        Resampler {
            step: u64::from(input_rate),
            half,
            table,
            exact,
            history: alloc::vec![0.0; half - 1],
            next: (half as u64 - 1) * u64::from(TARGET_RATE),
            dropped: 0,
        }
    }

    /// Resamples the next block of mono input; returns the 16 kHz samples it completes.
    pub fn push(&mut self, input: &[f32]) -> Vec<f32> {
        if self.table.is_empty() {
            return input.to_vec();
        }
        self.history.extend_from_slice(input);
        self.run(u64::MAX)
    }

    /// The input ended: the samples still owed, up to its last sample (the filter's
    /// look-ahead is filled with silence). Then the resampler starts a new stream.
    ///
    /// ```
    /// use eka_voice::proto::Resampler;
    /// let mut r = Resampler::new(44_100);
    /// let mut n = r.push(&vec![0.25; 44_100]).len();
    /// n += r.finish().len();
    /// assert_eq!(n, 16_000); // one second in, one second out
    /// ```
    pub fn finish(&mut self) -> Vec<f32> {
        if self.table.is_empty() {
            return Vec::new();
        }
        // The end, in history coordinates (the input's first sample is at half − 1).
        let end = (self.dropped + self.history.len() as u64) * u64::from(TARGET_RATE);
        self.history.resize(self.history.len() + self.half, 0.0);
        let out = self.run(end);
        *self = Resampler::new(self.step as u32);
        out
    }

    /// The outputs whose window the history holds and whose position is before `limit`.
    fn run(&mut self, limit: u64) -> Vec<f32> {
        let width = 2 * self.half;
        let unit = u64::from(TARGET_RATE);
        let mut out =
            Vec::with_capacity(self.history.len() * unit as usize / self.step as usize + 1);
        loop {
            let i = (self.next / unit - self.dropped) as usize;
            if i + self.half >= self.history.len() || self.next >= limit {
                break;
            }
            let window = &self.history[i + 1 - self.half..=i + self.half];
            out.push(if self.exact > 0 {
                let p = ((self.next % unit) * self.exact / unit) as usize;
                dot(window, &self.table[p * width..][..width])
            } else {
                let frac = (self.next % unit) as f64 / unit as f64 * PHASES as f64;
                let p = (frac as usize).min(PHASES - 1);
                let w = (frac - p as f64) as f32;
                let (a, b) = (
                    &self.table[p * width..][..width],
                    &self.table[(p + 1) * width..][..width],
                );
                let mut acc = 0.0f32;
                for j in 0..width {
                    acc += window[j] * (a[j] + w * (b[j] - a[j]));
                }
                acc
            });
            self.next += self.step;
        }
        let keep_from = (self.next / unit - self.dropped) as usize + 1 - self.half;
        let consumed = keep_from.min(self.history.len());
        self.history.drain(..consumed);
        self.dropped += consumed as u64;
        out
    }
}

/// Phases up to which each gets its own row (22.05 kHz has 320; 44.1 kHz 160).
const MAX_EXACT_PHASES: u64 = 512;

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// `Σ a·b` with four running sums (independent additions the CPU overlaps).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut s = [0.0f32; 4];
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f32 = a4
        .remainder()
        .iter()
        .zip(b4.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a4.zip(b4) {
        for k in 0..4 {
            s[k] += x[k] * y[k];
        }
    }
    (s[0] + s[1]) + (s[2] + s[3]) + tail
}

/// The kernel at `rows` fractional positions: row `p` holds the taps for an output
/// `p / denom` of a sample past an input sample, each row summing to 1 (unit gain at DC).
fn kernel_table(half: usize, cutoff: f64, beta: f64, rows: usize, denom: f64) -> Vec<f32> {
    let width = 2 * half;
    let i0_beta = bessel_i0(beta);
    let mut table = Vec::with_capacity(rows * width);
    for p in 0..rows {
        let frac = p as f64 / denom;
        let row: Vec<f64> = (0..width)
            .map(|j| {
                // Tap j is input sample i + d with d = j + 1 − half; t = position − sample.
                let t = frac - (j as f64 + 1.0 - half as f64);
                let x = t / half as f64;
                let window = if x.abs() >= 1.0 {
                    0.0
                } else {
                    bessel_i0(beta * libm::sqrt(1.0 - x * x)) / i0_beta
                };
                2.0 * cutoff * sinc(2.0 * cutoff * t) * window
            })
            .collect();
        let sum: f64 = row.iter().sum();
        table.extend(row.iter().map(|v| (v / sum) as f32));
    }
    table
}

fn sinc(x: f64) -> f64 {
    if x.abs() < 1e-12 {
        1.0
    } else {
        let px = core::f64::consts::PI * x;
        libm::sin(px) / px
    }
}

/// The modified Bessel function of the first kind, order 0 (its power series).
fn bessel_i0(x: f64) -> f64 {
    let (mut sum, mut term, mut k) = (1.0, 1.0, 1.0);
    while term > 1e-12 * sum {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
        k += 1.0;
    }
    sum
}

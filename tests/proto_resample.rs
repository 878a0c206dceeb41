//! The recorder's resampler, measured on the host: passband error at 1 kHz ≤ 0.1 dB,
//! rejection ≥ 60 dB above 8 kHz, from 44.1, 48 and 96 kHz; streaming in blocks of any size
//! gives the same samples as one block.
#![cfg(not(target_arch = "wasm32"))]

use eka_voice::proto::{Resampler, TARGET_RATE};
use proptest::prelude::*;

fn tone(rate: u32, hz: f64, seconds: f64) -> Vec<f32> {
    let n = (f64::from(rate) * seconds) as usize;
    (0..n)
        .map(|i| {
            (0.5 * (2.0 * std::f64::consts::PI * hz * i as f64 / f64::from(rate)).sin()) as f32
        })
        .collect()
}

/// RMS of the output's middle (the filter's start and end transients left out).
fn rms_mid(x: &[f32]) -> f64 {
    let mid = &x[x.len() / 4..x.len() * 3 / 4];
    (mid.iter()
        .map(|&v| f64::from(v) * f64::from(v))
        .sum::<f64>()
        / mid.len() as f64)
        .sqrt()
}

fn gain_db(rate: u32, hz: f64) -> f64 {
    let input = tone(rate, hz, 1.0);
    let out = Resampler::new(rate).push(&input);
    20.0 * (rms_mid(&out) / rms_mid(&input)).log10()
}

#[test]
fn the_passband_is_flat_at_1_khz() {
    for rate in [44_100, 48_000, 96_000, 44_056] {
        let g = gain_db(rate, 1_000.0);
        eprintln!("{rate} Hz: {g:+.4} dB at 1 kHz");
        assert!(g.abs() <= 0.1, "{rate} Hz: {g:.3} dB at 1 kHz");
        let g = gain_db(rate, 3_400.0);
        assert!(
            g.abs() <= 0.1,
            "{rate} Hz: {g:.3} dB at 3.4 kHz (the top of speech)"
        );
    }
}

#[test]
fn nothing_above_8_khz_folds_back() {
    for rate in [44_100u32, 48_000, 96_000, 44_056] {
        let mut hz = 8_050.0;
        let mut worst = f64::NEG_INFINITY;
        while hz < f64::from(rate) / 2.0 {
            let g = gain_db(rate, hz);
            assert!(g <= -60.0, "{rate} Hz: {g:.1} dB at {hz} Hz");
            worst = worst.max(g);
            hz += if hz < 10_000.0 { 250.0 } else { 1_500.0 };
        }
        eprintln!("{rate} Hz: at most {worst:.1} dB above 8 kHz");
    }
}

#[test]
fn lengths_follow_the_ratio_and_16_khz_passes_through() {
    for rate in [44_100u32, 48_000, 96_000] {
        let out = Resampler::new(rate).push(&vec![0.0; rate as usize]);
        let want = TARGET_RATE as usize;
        assert!(
            out.len() + 200 >= want && out.len() <= want,
            "{rate}: {} samples for 1 s",
            out.len()
        );
    }
    let same: Vec<f32> = (0..100).map(|i| i as f32).collect();
    assert_eq!(Resampler::new(16_000).push(&same), same);
}

proptest! {
    // Each case filters 0.5 s of audio twice: fewer cases than the default 256 (debug builds).
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Blocks of any size (the worklet sends 128-frame quanta) give the same output as one.
    #[test]
    fn streaming_equals_one_block(rate in prop::sample::select(vec![44_100u32, 48_000, 96_000, 44_056]), cuts in prop::collection::vec(1usize..3_000, 1..20)) {
        let input = tone(rate, 440.0, 0.5);
        let whole = Resampler::new(rate).push(&input);
        let mut r = Resampler::new(rate);
        let mut pieces = Vec::new();
        let mut at = 0;
        for c in cuts.iter().cycle() {
            if at >= input.len() { break; }
            let end = (at + c).min(input.len());
            pieces.extend(r.push(&input[at..end]));
            at = end;
        }
        prop_assert_eq!(pieces, whole);
    }
}

//! The recorder's labelled-set report (issue 14), run by `npm run bench`:
//! `cargo run --release --example vad_report [seconds] [seed]`.
//!
//! For each condition (clean; pink noise and babble at SNR 20, 10 and 5 dB) it prints, for
//! the recorder's detector (earshot) and the energy baseline side by side: frame precision
//! and recall of speech, and the share of the pipeline's cuts that fall inside a true pause
//! (with the number of cuts forced at 20 s). The set is described in
//! `tests/support/labelled.rs`.

// A host program (the recorder's modules are host- and recorder-module-only on wasm32).
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
#[path = "../tests/support/labelled.rs"]
mod labelled;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use eka_voice::proto::{EnergyDetector, VoiceDetector};
    use labelled::*;

    let seconds = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(900);
    // A second argument draws another set (another order and other pauses).
    let seed = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(42);
    let src = source();
    let set = compose(&src, seconds, &mut Rng::new(seed), &PAUSES_MS);
    println!(
        "labelled set: {:.0} s, {} sentences, pauses {:?} ms",
        set.clean.len() as f64 / 16_000.0,
        set.speech.len(),
        PAUSES_MS
    );
    println!("| condition | SNR dB | earshot P / R | earshot cuts in a pause | energy P / R | energy cuts in a pause |");
    println!("|---|---|---|---|---|---|");
    for (name, noise, snr) in conditions() {
        let audio = condition_audio(&src, &set, noise, snr);
        let (np, nr) = frame_scores(&set, &audio, &mut VoiceDetector::default());
        let (ep, er) = frame_scores(&set, &audio, &mut EnergyDetector::default());
        let (nc, ni, nf, _) = cuts(&set, &audio, VoiceDetector::default());
        let (ec, ei, ef, _) = cuts(&set, &audio, EnergyDetector::default());
        let share = |i: usize, c: usize| 100.0 * i as f64 / c.max(1) as f64;
        println!(
            "| {name} | {} | {np:.3} / {nr:.3} | {:.1} % ({ni}/{nc}, {nf} forced) | {ep:.3} / {er:.3} | {:.1} % ({ei}/{ec}, {ef} forced) |",
            if snr.is_finite() { format!("{snr}") } else { "∞".into() },
            share(ni, nc),
            share(ei, ec),
        );
    }
}

//! The recorder's pipeline on the host, on the labelled set (`tests/support/labelled.rs`):
//! the detector and the cuts against the truth, nothing lost, any capture rate, WAV files.
//! The full report, with the energy baseline beside it, is `examples/vad_report.rs`.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/labelled.rs"]
mod labelled;

use eka_voice::proto::{
    parse_wav, split_wav, wav_bytes, ChunkerConfig, CutReason, EnergyDetector, RecorderConfig,
    RecorderCore, RecorderEvent, SpeechEdge, VoiceDetector,
};
use labelled::*;

fn set() -> (Source, Labelled) {
    let src = source();
    let set = compose(&src, 240, &mut Rng::new(42), &PAUSES_MS);
    (src, set)
}

#[test]
fn cuts_fall_in_true_pauses_clean_and_with_pink_noise_at_10_db() {
    let (src, set) = set();
    for (noise, snr) in [(None, f64::INFINITY), (Some("pink"), 10.0)] {
        let audio = condition_audio(&src, &set, noise, snr);
        let (cuts, in_pause, _, joined) = labelled::cuts(&set, &audio, VoiceDetector::default());
        assert!(cuts >= 15, "{cuts} cuts in 4 minutes");
        // The goal: ≥ 95 % of the cuts inside a pause at 10 dB.
        assert!(in_pause * 100 >= cuts * 95, "{noise:?}: {in_pause}/{cuts}");
        assert_eq!(joined, audio, "the chunks are the recording");
    }
}

#[test]
fn with_babble_at_10_db_the_forced_cuts_find_the_pauses() {
    // Babble is speech: the detector finds no pause, every chunk is forced at 20 s, into
    // the quietest 100 ms since 10 s. 15 minutes, for enough cuts to judge a share.
    let src = source();
    let set = compose(&src, 900, &mut Rng::new(42), &PAUSES_MS);
    let audio = condition_audio(&src, &set, Some("babble"), 10.0);
    let (cuts, in_pause, forced, joined) = labelled::cuts(&set, &audio, VoiceDetector::default());
    assert!(forced * 10 >= cuts * 8, "{forced} of {cuts} forced");
    assert!(in_pause * 100 >= cuts * 95, "{in_pause}/{cuts}");
    assert_eq!(joined, audio, "the chunks are the recording");
}

#[test]
fn the_network_finds_speech_in_pink_noise_where_the_energy_baseline_does_not() {
    let (src, set) = set();
    let audio = condition_audio(&src, &set, Some("pink"), 10.0);
    let (p, r) = frame_scores(&set, &audio, &mut VoiceDetector::default());
    let (_, energy_r) = frame_scores(&set, &audio, &mut EnergyDetector::default());
    assert!(p >= 0.85 && r >= 0.95, "network {p:.3} / {r:.3}");
    assert!(
        r > energy_r + 0.3,
        "network recall {r:.3}, energy {energy_r:.3}"
    );
}

#[test]
fn speech_edges_follow_the_sentences() {
    let (_, set) = set();
    let mut core = RecorderCore::new(RecorderConfig::new(16_000));
    let mut events = Vec::new();
    for block in set.clean.chunks(128) {
        events.extend(core.push(&[block]));
    }
    events.extend(core.finish());
    let starts: Vec<u64> = events
        .iter()
        .filter_map(|e| match e {
            RecorderEvent::Speech {
                edge: SpeechEdge::Start,
                at_ms,
            } => Some(*at_ms),
            _ => None,
        })
        .collect();
    let ends = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                RecorderEvent::Speech {
                    edge: SpeechEdge::End,
                    ..
                }
            )
        })
        .count();
    assert_eq!(starts.len(), ends, "every start ends");
    // Pauses under 300 ms (the hangover) join sentences; each start is near a sentence's.
    let long_pauses = set
        .speech
        .windows(2)
        .filter(|w| w[1].0 - w[0].1 >= 500 * 16)
        .count();
    assert!(
        (long_pauses..=set.speech.len()).contains(&starts.len()),
        "{}",
        starts.len()
    );
    for at in starts {
        let near = set
            .speech
            .iter()
            .any(|&(a, _)| (a as i64 / 16 - at as i64).abs() <= 100);
        assert!(
            near,
            "a speech start at {at} ms far from any sentence's start"
        );
    }
    let levels = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                RecorderEvent::Meter(eka_voice::proto::MeterEvent::Level(_))
            )
        })
        .count();
    assert_eq!(levels, set.clean.len() / 800, "20 levels a second");
}

#[test]
fn any_capture_rate_gives_the_whole_recording_at_16_khz() {
    for rate in [44_100u32, 48_000, 96_000, 22_050, 8_000] {
        let seconds = 31;
        let n = rate as usize * seconds;
        let tone: Vec<f32> = (0..n)
            .map(|i| {
                if (i / rate as usize) % 4 == 3 {
                    0.0
                } else {
                    0.3 * (i as f32 * 0.05).sin()
                }
            })
            .collect();
        let stereo_right = vec![0.0f32; n];
        let mut core = RecorderCore::new(RecorderConfig::new(rate));
        let mut total = 0usize;
        for (l, r) in tone.chunks(128).zip(stereo_right.chunks(128)) {
            total += chunk_samples(core.push(&[l, r]));
        }
        total += chunk_samples(core.finish());
        assert_eq!(total, seconds * 16_000, "{rate} Hz");
    }
}

fn chunk_samples(events: Vec<RecorderEvent>) -> usize {
    events
        .into_iter()
        .map(|e| match e {
            RecorderEvent::Chunk(c) => c.samples.len(),
            _ => 0,
        })
        .sum()
}

/// A WAV file of `frames` frames of `channels` channels at `rate`, 24-bit, with a LIST
/// chunk of odd size before `data`.
fn wav24(rate: u32, channels: u16, samples: &[f32]) -> Vec<u8> {
    let data: Vec<u8> = samples
        .iter()
        .flat_map(|s| ((s * 8_388_607.0) as i32).to_le_bytes()[..3].to_vec())
        .collect();
    let mut out = b"RIFF\0\0\0\0WAVE".to_vec();
    out.extend(b"fmt \x10\0\0\0\x01\0");
    out.extend(channels.to_le_bytes());
    out.extend(rate.to_le_bytes());
    out.extend((rate * u32::from(channels) * 3).to_le_bytes());
    out.extend((channels * 3).to_le_bytes());
    out.extend(24u16.to_le_bytes());
    out.extend(b"LIST\x03\0\0\0abc\0");
    out.extend(b"data");
    out.extend((data.len() as u32).to_le_bytes());
    out.extend(data);
    out
}

#[test]
fn a_long_wav_file_splits_into_chunks_cut_in_pauses() {
    let (_, set) = set();
    let mono = &set.clean[..90 * 16_000];
    let wav = wav_bytes(
        &mono
            .iter()
            .map(|s| (s * 32_768.0) as i16)
            .collect::<Vec<_>>(),
        16_000,
    );
    let chunks = split_wav(&wav, ChunkerConfig::default()).unwrap();
    assert!(chunks.iter().all(|c| c.samples.len() <= 20 * 16_000));
    assert_eq!(
        chunks.iter().map(|c| c.samples.len()).sum::<usize>(),
        90 * 16_000
    );
    for c in &chunks[1..] {
        assert!(
            !in_speech(&set, c.start as usize),
            "a cut at {} in speech",
            c.start
        );
    }
    assert_eq!(chunks.last().unwrap().cut, CutReason::End);
    // Every chunk is a WAV the service takes (and this library reads back).
    let first = wav_bytes(&chunks[0].samples, 16_000);
    let back = parse_wav(&first).unwrap();
    assert_eq!(back.frames(), chunks[0].samples.len());
}

#[test]
fn wav_files_of_other_shapes_are_read() {
    // 24-bit stereo at 44.1 kHz with a LIST chunk of odd size: 12 s → 12 s at 16 kHz.
    let n = 44_100 * 12;
    let samples: Vec<f32> = (0..n * 2)
        .map(|i| ((i / 2) as f32 * 0.01).sin() * 0.5)
        .collect();
    let wav = wav24(44_100, 2, &samples);
    let audio = parse_wav(&wav).unwrap();
    assert_eq!(
        (audio.sample_rate, audio.channels, audio.frames()),
        (44_100, 2, n)
    );
    let first = audio.read(1, 1);
    assert!((first[0][0] - (0.01f32).sin() * 0.5).abs() < 1e-5);
    let chunks = split_wav(&wav, ChunkerConfig::default()).unwrap();
    assert_eq!(
        chunks.iter().map(|c| c.samples.len()).sum::<usize>(),
        12 * 16_000
    );
    // A data size past the end (a writer that never fixed it): read to the end.
    let mut open_ended = wav_bytes(&[1, 2, 3], 16_000);
    open_ended[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(parse_wav(&open_ended).unwrap().frames(), 3);
}

#[test]
fn broken_wav_files_are_typed_errors() {
    let good = wav_bytes(&[1, 2, 3], 16_000);
    let mut bad_rate = good.clone();
    bad_rate[24..28].copy_from_slice(&1_000u32.to_le_bytes());
    let mut mu_law = good.clone();
    mu_law[20..22].copy_from_slice(&7u16.to_le_bytes());
    let mut no_channels = good.clone();
    no_channels[22..24].copy_from_slice(&0u16.to_le_bytes());
    for bytes in [
        &b""[..],
        b"RIFF",
        b"RIFF\0\0\0\0WAVE",
        &good[..30],
        &bad_rate,
        &mu_law,
        &no_channels,
        b"OggS\0\0\0\0\0\0\0\0\0\0\0\0",
    ] {
        let err = parse_wav(bytes).unwrap_err();
        assert_eq!(err.code.as_str(), "invalid_audio", "{bytes:?}");
        assert!(split_wav(bytes, ChunkerConfig::default()).is_err());
    }
}

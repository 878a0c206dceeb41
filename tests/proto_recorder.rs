//! The recorder's core on the host (the resampler has its own file): the chunking rules —
//! where cuts fall, and that nothing is ever lost (property: the chunks concatenated are
//! the recording, sample for sample) — and the level meter.
#![cfg(not(target_arch = "wasm32"))]

use eka_voice::proto::{
    parse_wav_header, split_wav, wav_bytes, wav_header_needs, Chunker, ChunkerConfig, CutReason,
    RecordedChunk,
};
use proptest::prelude::*;

const RATE: usize = 16_000;

fn run(frames: &[(usize, bool)]) -> (Vec<i16>, Vec<RecordedChunk>) {
    let mut c = Chunker::new(ChunkerConfig::default());
    let mut all = Vec::new();
    let mut chunks = Vec::new();
    let mut n: i32 = 0;
    for &(len, speech) in frames {
        let frame: Vec<i16> = (0..len)
            .map(|_| {
                n += 1;
                (n % 30_000) as i16
            })
            .collect();
        all.extend_from_slice(&frame);
        chunks.extend(c.push(&frame, speech));
    }
    chunks.extend(c.finish());
    (all, chunks)
}

#[test]
fn a_long_pause_after_10_s_cuts_as_soon_as_it_is_long_enough() {
    let (_, chunks) = run(&[(10 * RATE, true), (RATE, false), (3 * RATE, true)]);
    assert_eq!(chunks.len(), 2);
    // Cut as soon as the pause is 500 ms long, in its middle so far: 250 ms into it.
    assert_eq!(chunks[0].samples.len(), 10 * RATE + RATE / 4);
    assert_eq!(
        (chunks[1].index, chunks[1].start),
        (1, (10 * RATE + RATE / 4) as u64)
    );
}

#[test]
fn a_short_pause_cuts_only_after_15_s() {
    // 200 ms pauses every 3 s: too short before 15 s, enough after.
    let mut frames = Vec::new();
    for _ in 0..8 {
        frames.push((3 * RATE, true));
        frames.push((RATE / 5, false));
    }
    let (_, chunks) = run(&frames);
    let first = chunks[0].samples.len();
    assert!((15 * RATE..16 * RATE).contains(&first), "{first}");
}

#[test]
fn speech_without_pauses_is_cut_at_its_quietest_100_ms_by_20_s() {
    // A steady level: the last 100 ms before 20 s (the latest of equals), cut in its middle.
    let mut c = Chunker::new(ChunkerConfig::default());
    let chunks = c.push(&vec![3_000i16; 45 * RATE], true);
    let lens: Vec<usize> = chunks.iter().map(|c| c.samples.len()).collect();
    // Windows of 1,600 samples every 128 from 10 s: the last starts at 318,336.
    let last = 10 * RATE + (10 * RATE - 1_600) / 128 * 128 + 800;
    assert_eq!(lens, vec![last, last]);
    assert!(chunks.iter().all(|c| c.cut == CutReason::Forced));
    // A quieter stretch at 13 s (no pause for the detector): cut there, not at 20 s.
    let mut c = Chunker::new(ChunkerConfig::default());
    let mut audio = vec![3_000i16; 25 * RATE];
    audio[13 * RATE..13 * RATE + 2_000].fill(40);
    let first = &c.push(&audio, true)[0];
    assert!((13 * RATE..13 * RATE + 2_000).contains(&first.samples.len()));
    // Before 10 s, a quieter stretch does not count.
    let mut c = Chunker::new(ChunkerConfig::default());
    let mut audio = vec![3_000i16; 25 * RATE];
    audio[8 * RATE..8 * RATE + 2_000].fill(40);
    assert_eq!(c.push(&audio, true)[0].samples.len(), last);
}

#[test]
fn a_pause_that_began_before_10_s_counts_from_10_s() {
    // Speech to 3 s, then silence: not cut at 6.5 s (the middle), but 250 ms past 10 s.
    let (_, chunks) = run(&[(3 * RATE, true), (20 * RATE, false)]);
    assert_eq!(chunks[0].samples.len(), 10 * RATE + RATE / 4);
    assert_eq!(chunks[0].cut, CutReason::Pause);
    // A pause from 9.7 s to 10.2 s has only 200 ms past 10 s: no cut in it.
    let (_, chunks) = run(&[
        (9 * RATE + 7 * RATE / 10, true),
        (RATE / 2, false),
        (3 * RATE, true),
    ]);
    assert_eq!(chunks.len(), 1);
    assert_eq!(chunks[0].cut, CutReason::End);
}

#[test]
fn the_wav_header_says_pcm_16_bit_mono_16_khz() {
    let wav = wav_bytes(&[1, -2, 3], 16_000);
    assert_eq!(u32::from_le_bytes(wav[4..8].try_into().unwrap()), 36 + 6);
    assert_eq!(
        u16::from_le_bytes(wav[20..22].try_into().unwrap()),
        1,
        "PCM"
    );
    assert_eq!(
        u16::from_le_bytes(wav[22..24].try_into().unwrap()),
        1,
        "mono"
    );
    assert_eq!(u32::from_le_bytes(wav[24..28].try_into().unwrap()), 16_000);
    assert_eq!(u32::from_le_bytes(wav[28..32].try_into().unwrap()), 32_000);
    assert_eq!(u16::from_le_bytes(wav[34..36].try_into().unwrap()), 16);
    assert_eq!(&wav[36..40], b"data");
    assert_eq!(&wav[44..], &[1, 0, 0xfe, 0xff, 3, 0]);
}

trait Concat {
    fn concat_samples(&self) -> Vec<i16>;
}
impl Concat for Vec<RecordedChunk> {
    fn concat_samples(&self) -> Vec<i16> {
        self.iter()
            .flat_map(|c| c.samples.iter().copied())
            .collect()
    }
}

proptest! {
    /// Nothing is lost or reordered; no chunk passes 20 s; indices and starts follow each
    /// other; every chunk but the last holds at least 5 s (a cut needs 10 s, half of a pause
    /// may go to the next chunk).
    #[test]
    fn the_chunks_are_the_recording(frames in prop::collection::vec((1usize..40_000, any::<bool>()), 0..50)) {
        let (all, chunks) = run(&frames);
        prop_assert_eq!(chunks.concat_samples(), all);
        let mut start = 0u64;
        for (i, c) in chunks.iter().enumerate() {
            prop_assert_eq!(c.index as usize, i);
            prop_assert_eq!(c.start, start);
            prop_assert!(c.samples.len() <= 20 * RATE && !c.samples.is_empty());
            if i + 1 < chunks.len() {
                prop_assert!(c.samples.len() >= 5 * RATE, "chunk {} of {} samples", i, c.samples.len());
            }
            start += c.samples.len() as u64;
        }
    }
}

mod meter {
    use eka_voice::proto::{LevelMeter, MeterEvent, SILENT_DBFS};

    fn levels(events: &[MeterEvent]) -> Vec<f32> {
        events
            .iter()
            .filter_map(|e| {
                if let MeterEvent::Level(l) = e {
                    Some(*l)
                } else {
                    None
                }
            })
            .collect()
    }

    #[test]
    fn a_half_scale_sine_reads_minus_9_dbfs_twenty_times_a_second() {
        let mut m = LevelMeter::new(48_000, 2_000);
        let sine: Vec<f32> = (0..48_000)
            .map(|i| {
                (0.5 * (2.0 * std::f64::consts::PI * 1000.0 * i as f64 / 48_000.0).sin()) as f32
            })
            .collect();
        let events = m.push(&sine);
        let l = levels(&events);
        assert_eq!(l.len(), 20);
        for v in l {
            assert!((v - (-9.03)).abs() < 0.05, "{v}");
        }
        assert!(!events.contains(&MeterEvent::NoSignal));
    }

    #[test]
    fn digital_silence_is_no_signal_once_then_signal_back() {
        let mut m = LevelMeter::new(16_000, 2_000);
        let mut events = Vec::new();
        for _ in 0..30 {
            events.extend(m.push(&[0.0; 1_600])); // 100 ms each: 3 s of zeros
        }
        assert_eq!(
            events
                .iter()
                .filter(|e| **e == MeterEvent::NoSignal)
                .count(),
            1
        );
        let at = events
            .iter()
            .position(|e| *e == MeterEvent::NoSignal)
            .unwrap();
        assert_eq!(levels(&events[..at]).len(), 40, "after 2 s");
        assert!(levels(&events).iter().all(|&l| l == SILENT_DBFS));
        let back = m.push(&[0.001; 800]);
        assert_eq!(back.last(), Some(&MeterEvent::SignalBack));
        // Quiet but not zero (a room): never "no signal".
        let mut quiet = LevelMeter::new(16_000, 500);
        assert!(!quiet
            .push(&vec![1e-6; 32_000])
            .contains(&MeterEvent::NoSignal));
    }
}

#[test]
fn a_wav_with_megabytes_of_metadata_before_its_samples_is_read() {
    // RIFF/WAVE, fmt, a 2 MiB LIST chunk, then the samples.
    let plain = wav_bytes(&[7i16; 16_000], 16_000);
    let (head, samples) = plain.split_at(36); // RIFF header + fmt chunk
    let mut file = head.to_vec();
    file.extend_from_slice(b"LIST");
    file.extend_from_slice(&(2u32 << 20).to_le_bytes());
    file.extend(std::iter::repeat_n(b'm', 2 << 20));
    file.extend_from_slice(samples);
    // A reader that starts with the first MiB reads on as the core says, then parses.
    let mut read = 1 << 20;
    while wav_header_needs(&file[..read]) > read as u64 {
        read = wav_header_needs(&file[..read]) as usize;
    }
    let header = parse_wav_header(&file[..read]).unwrap();
    assert_eq!((header.sample_rate, header.data_len), (16_000, 32_000));
    assert!(
        parse_wav_header(&file[..1 << 20]).is_err(),
        "the first MiB alone is not enough"
    );
    let chunks = split_wav(&file, ChunkerConfig::default()).unwrap();
    assert_eq!(
        chunks.iter().map(|c| c.samples.len()).sum::<usize>(),
        16_000
    );
}

#[test]
fn the_rules_fit_the_service_discovery_describes() {
    use eka_voice::proto::{fit_rules_to_service, rule_defaults, ErrorCode, RecorderConfig};
    let defaults: Vec<f64> = rule_defaults().iter().map(|r| r.1).collect();
    let fit = |s: Option<f64>, f: Option<&[&str]>| {
        let mut r = defaults.clone();
        let lines = f.map(|f| f.join("\n"));
        fit_rules_to_service(&mut r, s, lines.as_deref().map(str::as_bytes)).map(|_| r)
    };
    // The provider's own figure (20 s) and nothing said: the defaults.
    assert_eq!(fit(Some(20.0), None).unwrap(), defaults);
    assert_eq!(fit(None, None).unwrap(), defaults);
    assert_eq!(fit(Some(f64::NAN), None).unwrap(), defaults);
    assert_eq!(fit(Some(-3.0), None).unwrap(), defaults);
    // A longer limit never lengthens the recorder's chunks.
    assert_eq!(fit(Some(60.0), None).unwrap(), defaults);
    // A shorter one: the longest chunk and the cut points follow, and stay consistent.
    let r = fit(Some(12.5), None).unwrap();
    assert_eq!((r[0], r[2], r[4]), (6_250.0, 9_375.0, 12_500.0));
    // Under a second: the recorder's floor.
    assert_eq!(fit(Some(0.2), None).unwrap()[4], 1_000.0);
    // Every fitted set is one the recorder takes.
    for s in [0.2, 1.0, 3.3, 8.0, 12.5, 19.9, 20.0, 300.0] {
        let r = fit(Some(s), None).unwrap();
        let mut c = RecorderConfig::new(48_000);
        c.chunker.prefer_after_ms = r[0] as u32;
        c.chunker.accept_after_ms = r[2] as u32;
        c.chunker.max_ms = r[4] as u32;
        assert!(c.check().is_ok(), "{s}: {r:?}");
    }
    // Formats: WAV listed (in any spelling the service may use), or no list: fine.
    for f in [
        vec!["audio/wav"],
        vec!["audio/webm", "Audio/WAV"],
        vec!["audio/wav;rate=16000"],
        vec![],
    ] {
        assert!(fit(None, Some(&f)).is_ok(), "{f:?}");
    }
    let e = fit(
        Some(8.0),
        Some(&["audio/webm;codecs=opus", "audio/wave", "audio/mp3"]),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    assert!(e.message.contains("no WAV"), "{}", e.message);
}

#[test]
fn the_fitted_rules_are_where_the_seam_puts_them() {
    let names: Vec<&str> = eka_voice::proto::rule_defaults()
        .iter()
        .map(|r| r.0)
        .collect();
    let fitted = eka_voice::proto::FITTED_RULES.map(|i| names[i]);
    assert_eq!(fitted, ["preferAfterMs", "acceptAfterMs", "maxChunkMs"]);
}

//! The recorder's labelled set (issue 14): speech with known pauses, clean and with noise,
//! built at run time from `tests/fixtures/audio/consultation.wav` (so the repository holds
//! 620 KB of source and no generated audio), and the measurements taken on it.
//!
//! - The source's sentences are found once on the clean audio (10 ms frames over −50 dBFS,
//!   gaps under 300 ms merged: the pauses inside a sentence stay speech).
//! - A recording is those sentences in a seeded random order with pauses of 100 ms to 3 s
//!   between them: the truth is known to the sample.
//! - Noise: pink (Paul Kellet's filter over white noise) or babble (eight more streams of the
//!   same sentences, summed), scaled so that speech power over noise power is the SNR.
//! - Measured per detector: frame precision and recall of speech (a 16 ms frame is speech
//!   when most of its samples are), and where the recorder's pipeline cuts: the share of cuts
//!   that fall inside a true pause.

#![allow(dead_code)]

use eka_voice::proto::{
    parse_wav, RecorderConfig, RecorderCore, RecorderEvent, SpeechDetector, VAD_FRAME,
};

/// The pauses between sentences, in ms.
pub const PAUSES_MS: [u32; 10] = [100, 150, 200, 300, 500, 700, 1000, 1500, 2000, 3000];

/// A deterministic generator (xorshift64*), so every run builds the same set.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Uniform in [−1, 1).
    pub fn signed(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 23) as f32 - 1.0
    }
}

/// The source's sentences: its samples and where each sentence lies.
pub struct Source {
    pub samples: Vec<i16>,
    pub sentences: Vec<(usize, usize)>,
}

pub fn source() -> Source {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/audio/consultation.wav"
    );
    let bytes = std::fs::read(path).expect("the fixture consultation.wav");
    let audio = parse_wav(&bytes).expect("a WAV");
    assert_eq!((audio.sample_rate, audio.channels), (16_000, 1));
    let samples: Vec<i16> = audio.read(0, audio.frames())[0]
        .iter()
        .map(|s| (s * 32_768.0) as i16)
        .collect();
    let sentences = find_sentences(&samples);
    Source { samples, sentences }
}

fn find_sentences(samples: &[i16]) -> Vec<(usize, usize)> {
    const STEP: usize = 160;
    let mut active: Vec<(usize, usize)> = Vec::new();
    for (i, frame) in samples.chunks(STEP).enumerate() {
        if eka_voice::proto::frame_dbfs(frame) <= -50.0 {
            continue;
        }
        let (start, end) = (i * STEP, i * STEP + frame.len());
        match active.last_mut() {
            Some(last) if start - last.1 < 300 * 16 => last.1 = end,
            _ => active.push((start, end)),
        }
    }
    active
}

/// A labelled recording at 16 kHz: clean samples and the speech intervals.
pub struct Labelled {
    pub clean: Vec<f32>,
    pub speech: Vec<(usize, usize)>,
}

/// About `seconds` of the source's sentences in a random order, with random pauses.
pub fn compose(src: &Source, seconds: usize, rng: &mut Rng, pauses_ms: &[u32]) -> Labelled {
    let mut clean = vec![0.0f32; 16_000]; // one second of silence first
    let mut speech = Vec::new();
    while clean.len() < seconds * 16_000 {
        let (a, b) = src.sentences[rng.below(src.sentences.len())];
        speech.push((clean.len(), clean.len() + b - a));
        clean.extend(src.samples[a..b].iter().map(|&s| f32::from(s) / 32_768.0));
        let pause = pauses_ms[rng.below(pauses_ms.len())] as usize * 16;
        clean.resize(clean.len() + pause, 0.0);
    }
    Labelled { clean, speech }
}

/// Pink noise (Paul Kellet's economy filter over white noise), `n` samples.
pub fn pink(n: usize, rng: &mut Rng) -> Vec<f32> {
    let (mut b0, mut b1, mut b2) = (0.0f32, 0.0f32, 0.0f32);
    (0..n)
        .map(|_| {
            let white = rng.signed();
            b0 = 0.99765 * b0 + white * 0.099_046;
            b1 = 0.96300 * b1 + white * 0.296_516_4;
            b2 = 0.57000 * b2 + white * 1.052_691_3;
            b0 + b1 + b2 + white * 0.1848
        })
        .collect()
}

/// Babble: eight streams of the source's sentences (short gaps), summed, `n` samples.
pub fn babble(src: &Source, n: usize, rng: &mut Rng) -> Vec<f32> {
    let mut out = vec![0.0f32; n];
    for _ in 0..8 {
        let stream = compose(src, n / 16_000 + 2, rng, &[0, 50, 100, 200]);
        let offset = rng.below(16_000);
        for (o, s) in out.iter_mut().zip(&stream.clean[offset..]) {
            *o += s;
        }
    }
    out
}

fn power(samples: impl Iterator<Item = f32>) -> f64 {
    let (mut sum, mut n) = (0.0f64, 0usize);
    for s in samples {
        sum += f64::from(s) * f64::from(s);
        n += 1;
    }
    sum / n.max(1) as f64
}

/// The clean recording with `noise` added at `snr_db` (speech power over noise power).
pub fn mix(set: &Labelled, noise: &[f32], snr_db: f64) -> Vec<i16> {
    let speech_power = power(
        set.speech
            .iter()
            .flat_map(|&(a, b)| set.clean[a..b].iter().copied()),
    );
    let noise_power = power(noise.iter().copied());
    let gain = (speech_power / noise_power / 10f64.powf(snr_db / 10.0)).sqrt() as f32;
    set.clean
        .iter()
        .zip(noise)
        .map(|(s, n)| ((s + gain * n) * 32_768.0).clamp(-32_768.0, 32_767.0) as i16)
        .collect()
}

/// Whether sample `i` lies in a sentence.
pub fn in_speech(set: &Labelled, i: usize) -> bool {
    let k = set.speech.partition_point(|&(a, _)| a <= i);
    k > 0 && i < set.speech[k - 1].1
}

/// Frame precision and recall of a detector.
pub fn frame_scores(
    set: &Labelled,
    audio: &[i16],
    detector: &mut dyn SpeechDetector,
) -> (f64, f64) {
    let (mut tp, mut fp, mut fneg) = (0u32, 0u32, 0u32);
    for (f, frame) in audio.chunks_exact(VAD_FRAME).enumerate() {
        let truth = (0..VAD_FRAME)
            .filter(|j| in_speech(set, f * VAD_FRAME + j))
            .count()
            * 2
            > VAD_FRAME;
        match (detector.is_speech(frame), truth) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fneg += 1,
            (false, false) => {}
        }
    }
    let ratio = |a: u32, b: u32| f64::from(a) / f64::from((a + b).max(1));
    (ratio(tp, fp), ratio(tp, fneg))
}

/// Where the pipeline cuts: (cuts, cuts inside a true pause, cuts forced at the longest
/// chunk without a pause), and the chunks' samples concatenated.
pub fn cuts<D: SpeechDetector>(
    set: &Labelled,
    audio: &[i16],
    detector: D,
) -> (usize, usize, usize, Vec<i16>) {
    let mut core = RecorderCore::with_detector(RecorderConfig::new(16_000), detector);
    let floats: Vec<f32> = audio.iter().map(|&s| f32::from(s) / 32_768.0).collect();
    let mut events = Vec::new();
    for block in floats.chunks(4_096) {
        events.extend(core.push(&[block]));
    }
    events.extend(core.finish());
    let chunks: Vec<_> = events
        .into_iter()
        .filter_map(|e| match e {
            RecorderEvent::Chunk(c) => Some(c),
            _ => None,
        })
        .collect();
    let cut_points: Vec<usize> = chunks.iter().skip(1).map(|c| c.start as usize).collect();
    let in_pause = cut_points.iter().filter(|&&p| !in_speech(set, p)).count();
    let forced = chunks
        .iter()
        .filter(|c| c.cut == eka_voice::proto::CutReason::Forced)
        .count();
    let joined = chunks.into_iter().flat_map(|c| c.samples).collect();
    (cut_points.len(), in_pause, forced, joined)
}

/// The conditions: a name, the noise (if any) and the SNR.
pub fn conditions() -> Vec<(&'static str, Option<&'static str>, f64)> {
    let mut out = vec![("clean", None, f64::INFINITY)];
    for noise in ["pink", "babble"] {
        for snr in [20.0, 10.0, 5.0] {
            out.push((noise, Some(noise), snr));
        }
    }
    out
}

/// The set's recording under one condition.
pub fn condition_audio(src: &Source, set: &Labelled, noise: Option<&str>, snr: f64) -> Vec<i16> {
    let mut rng = Rng::new(7);
    match noise {
        None => set
            .clean
            .iter()
            .map(|s| (s * 32_768.0).clamp(-32_768.0, 32_767.0) as i16)
            .collect(),
        Some("pink") => mix(set, &pink(set.clean.len(), &mut rng), snr),
        Some(_) => mix(set, &babble(src, set.clean.len(), &mut rng), snr),
    }
}

// The recorder's DSP cost (npm run bench), shared by Node (bench/dsp.mjs) and Chromium
// (bench/browser/dsp.js): `seconds` of a 48 kHz stereo capture (the fixture consultation,
// 16 kHz mono, upsampled by repetition, the right channel a little quieter) fed in blocks
// of 1024 frames, as the AudioWorklet feeds it,
// - through RecorderDsp (resample with its anti-aliasing filter, meter, earshot's detector,
//   chunker, WAV), the package's module;
// - through a baseline in plain JS doing the same jobs the simplest way (downmix, linear
//   interpolation to 16 kHz, an energy detector, a cut every 20 s, WAV).
// Returns CPU-free wall times (ms) of each, measured in the same run, alternating.

const RULES = new Float64Array([10000, 500, 15000, 100, 20000, 0.5, 3000]);

export function capture(pcm16k, seconds) {
  const n = 48000 * seconds;
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const s = pcm16k[Math.floor(i / 3) % pcm16k.length] / 32768;
    left[i] = s;
    right[i] = s * 0.8;
  }
  return { left, right };
}

function ours(RecorderDsp, { left, right }) {
  const dsp = new RecorderDsp(48000, RULES);
  let chunks = 0;
  const take = (events) => {
    for (let i = 0; i < events.length; i += 5) if (events[i] === 5 && dsp.takeChunk()) chunks++;
  };
  for (let at = 0; at < left.length; at += 1024) take(dsp.push(left.subarray(at, at + 1024), right.subarray(at, at + 1024)));
  take(dsp.finish());
  dsp.free();
  return chunks;
}

function wav(samples) {
  const out = new DataView(new ArrayBuffer(44 + samples.length * 2));
  [0x52494646, 0, 0x57415645, 0x666d7420].forEach((v, i) => out.setUint32(i * 4, v));
  out.setUint32(4, 36 + samples.length * 2, true);
  out.setUint32(16, 16, true);
  out.setUint16(20, 1, true);
  out.setUint16(22, 1, true);
  out.setUint32(24, 16000, true);
  out.setUint32(28, 32000, true);
  out.setUint16(32, 2, true);
  out.setUint16(34, 16, true);
  out.setUint32(36, 0x64617461);
  out.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => out.setInt16(44 + i * 2, s, true));
  return out;
}

function baseline({ left, right }) {
  let pos = 0;
  let chunk = [];
  let chunks = 0;
  let speechFrames = 0;
  const frame = [];
  for (let at = 0; at < left.length; at += 1024) {
    const end = Math.min(left.length, at + 1024);
    // Downmix, then linear interpolation at 1/3 steps.
    for (; pos < end - at - 1 + at; pos += 3) {
      const i = Math.floor(pos);
      const m = (left[i] + right[i]) / 2;
      const s = Math.max(-32768, Math.min(32767, Math.round(m * 32768)));
      chunk.push(s);
      frame.push(s);
      if (frame.length === 256) {
        let e = 0;
        for (const x of frame) e += x * x;
        if (10 * Math.log10(e / 256 / 32768 ** 2 + 1e-12) > -40) speechFrames++;
        frame.length = 0;
      }
      if (chunk.length === 20 * 16000) {
        wav(chunk);
        chunks++;
        chunk = [];
      }
    }
  }
  if (chunk.length) {
    wav(chunk);
    chunks++;
  }
  return chunks + (speechFrames & 0);
}

/** Wall ms of each side, `rounds` times alternating, after one warm-up each. */
export function measure(RecorderDsp, pcm16k, { seconds = 60, rounds = 5 } = {}) {
  const input = capture(pcm16k, seconds);
  ours(RecorderDsp, input);
  baseline(input);
  const result = { seconds, ours: [], baseline: [], chunks: 0 };
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    result.chunks = ours(RecorderDsp, input);
    result.ours.push(performance.now() - t);
    t = performance.now();
    baseline(input);
    result.baseline.push(performance.now() - t);
  }
  return result;
}

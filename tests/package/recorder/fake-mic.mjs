// The fake microphone's input for the recorder tests: the fixture consultation's sentences
// (found as in tests/support/labelled.rs: 10 ms frames over -50 dBFS, gaps under 300 ms
// merged) with a pause of `pauseMs` after each, repeated to `seconds`. WAV, 16 kHz mono.
import { readFileSync, writeFileSync } from 'node:fs';

export function fakeMicWav(source, out, { seconds = 40, pauseMs = 800 } = {}) {
  const wav = readFileSync(source);
  const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length));
  const sentences = [];
  for (let i = 0; i + 160 <= samples.length; i += 160) {
    let sum = 0;
    for (let j = i; j < i + 160; j++) sum += samples[j] * samples[j];
    if (10 * Math.log10(sum / 160 / 32768 ** 2 + 1e-12) <= -50) continue;
    const last = sentences.at(-1);
    if (last && i - last[1] < 300 * 16) last[1] = i + 160;
    else sentences.push([i, i + 160]);
  }
  const pcm = [];
  while (pcm.length < seconds * 16000) {
    for (const [a, b] of sentences) {
      for (let i = a; i < b; i++) pcm.push(samples[i]);
      for (let i = 0; i < pauseMs * 16; i++) pcm.push(0);
    }
  }
  const body = Buffer.alloc(44 + pcm.length * 2);
  body.write('RIFF', 0);
  body.writeUInt32LE(36 + pcm.length * 2, 4);
  body.write('WAVEfmt ', 8);
  body.writeUInt32LE(16, 16);
  body.writeUInt16LE(1, 20);
  body.writeUInt16LE(1, 22);
  body.writeUInt32LE(16000, 24);
  body.writeUInt32LE(32000, 28);
  body.writeUInt16LE(2, 32);
  body.writeUInt16LE(16, 34);
  body.write('data', 36);
  body.writeUInt32LE(pcm.length * 2, 40);
  pcm.forEach((s, i) => body.writeInt16LE(s, 44 + i * 2));
  writeFileSync(out, body);
  return sentences.length;
}

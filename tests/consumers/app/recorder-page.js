// eka-voice/recorder through a bundler: the worklet and the wasm found beside recorder.js
// (new URL(…, import.meta.url)) once bundled. Records 1.5 s from Chromium's fake microphone
// (run.mjs starts it with one) and splits a generated 25 s WAV file.
import { VoiceApiError } from 'eka-voice';
import { createRecorder, splitRecording } from 'eka-voice/recorder';

/** 25 s of a 16 kHz tone that pauses 600 ms every 4 s. */
function wav() {
  const n = 25 * 16000;
  const view = new DataView(new ArrayBuffer(44 + n * 2));
  [...'RIFF'].forEach((c, i) => view.setUint8(i, c.charCodeAt(0)));
  view.setUint32(4, 36 + n * 2, true);
  [...'WAVEfmt '].forEach((c, i) => view.setUint8(8 + i, c.charCodeAt(0)));
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, 16000, true);
  view.setUint32(28, 32000, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  [...'data'].forEach((c, i) => view.setUint8(36 + i, c.charCodeAt(0)));
  view.setUint32(40, n * 2, true);
  for (let i = 0; i < n; i++) {
    const quiet = (i % 64000) > 54400;
    view.setInt16(44 + i * 2, quiet ? 0 : Math.round(8000 * Math.sin(i * 0.07) * Math.sin(i * 0.0011)), true);
  }
  return new Blob([view.buffer]);
}

window.__result = (async () => {
  try {
    let samples = 0;
    for await (const chunk of splitRecording(wav())) samples += (chunk.byteLength - 44) / 2;
    const rec = createRecorder();
    await rec.start();
    await new Promise((r) => setTimeout(r, 1500));
    const { durationMs } = await rec.stop();
    return { split: samples === 25 * 16000, recorded: durationMs > 1000 };
  } catch (e) {
    return { error: e instanceof VoiceApiError ? e.code : String(e) };
  }
})();

// A long recording with Chromium's fake microphone (npm run bench): the frames the audio
// rendering thread skipped, and the recorded time against the wall clock.
import { createRecorder } from 'eka-voice/recorder';

const seconds = Number(new URLSearchParams(location.search).get('seconds'));
window.__bench = (async () => {
  const rec = createRecorder();
  let chunks = 0;
  let samples = 0;
  rec.addEventListener('chunk', (e) => {
    chunks++;
    samples += (e.detail.bytes.byteLength - 44) / 2;
  });
  await rec.start();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const summary = await rec.stop();
  return { wallMs: performance.now() - t0, ...summary, chunks, chunkSamples: samples };
})();

// A long recording with Chromium's fake microphone (npm run bench): the frames the audio
// rendering thread skipped, and the recorded time against the wall clock. The bench polls
// window.__done (one WebDriver call cannot last 10 minutes).
import { createRecorder } from 'eka-voice/recorder';

const seconds = Number(new URLSearchParams(location.search).get('seconds'));
window.__started = Promise.resolve(true);
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
  return (window.__done = { wallMs: performance.now() - t0, ...summary, chunks, chunkSamples: samples });
})().catch((e) => (window.__done = { error: String(e?.stack ?? e) }));

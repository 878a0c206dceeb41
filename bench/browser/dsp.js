// The recorder's DSP cost in headless Chromium (bench/dsp-core.js) on the main thread, the
// package's module and glue as built (the worklet runs the same code on the audio thread).
import init, { RecorderDsp } from '/target/pkg-build-recorder/eka_voice.js';
import { measure } from '/bench/dsp-core.js';

const params = new URLSearchParams(location.search);
window.__bench = (async () => {
  await init({ module_or_path: await (await fetch('/pkg/recorder_bg.wasm')).arrayBuffer() });
  const wav = await (await fetch('/tests/fixtures/audio/consultation.wav')).arrayBuffer();
  const pcm = new Int16Array(wav.slice(44));
  return measure(RecorderDsp, pcm, { seconds: Number(params.get('seconds')), rounds: Number(params.get('rounds')) });
})();

import * as api from 'eka-voice';
import { runCases, runLifecycleCases, runLoadCases } from './cases.js';

const sim = new URLSearchParams(location.search).get('sim');
window.__results = (async () => {
  const load = await runLoadCases(api, sim);
  const wav = await (await fetch('/fixtures/consultation-part0.wav')).arrayBuffer();
  const page = [...load, ...(await runCases(api, sim)), ...(await runLifecycleCases(api, sim, wav))];
  // The same cases in a module worker, importing the browser entry by path (import maps do
  // not reach workers).
  const worker = new Worker(`/browser/worker.test.js?sim=${encodeURIComponent(sim)}`, { type: 'module' });
  const inWorker = await new Promise((resolve) => {
    worker.onmessage = (m) => resolve(m.data);
    worker.onerror = (e) => resolve([{ name: 'worker load', ok: false, error: String(e.message) }]);
  });
  worker.terminate();
  const loading = await loadingWorker(sim);
  return [...loading, ...page.map((r) => ({ ...r, name: `page: ${r.name}` })), ...inWorker.map((r) => ({ ...r, name: `worker: ${r.name}` }))];
})();

// A module worker that is handed a compiled WebAssembly.Module in a message posted right
// after `new Worker()` (no top-level await: the message is not lost), first tries a wasm
// URL that does not exist (wasm_unavailable), then loads the module it was given.
async function loadingWorker(sim) {
  const module = await WebAssembly.compileStreaming(fetch('/node_modules/eka-voice/eka_voice_bg.wasm'));
  const worker = new Worker('/browser/load-worker.js', { type: 'module' });
  worker.postMessage({ sim, module });
  const results = await new Promise((resolve) => {
    worker.onmessage = (m) => resolve(m.data);
    worker.onerror = (e) => resolve([{ name: 'load worker', ok: false, error: String(e.message) }]);
    setTimeout(() => resolve([{ name: 'load worker', ok: false, error: 'no answer in 20 s: the early message was lost?' }]), 20000);
  });
  worker.terminate();
  return results.map((r) => ({ ...r, name: `load worker: ${r.name}` }));
}

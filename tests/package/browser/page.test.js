import * as api from 'eka-voice';
import { runCases, runLifecycleCases } from './cases.js';

const sim = new URLSearchParams(location.search).get('sim');
window.__results = (async () => {
  const wav = await (await fetch('/fixtures/consultation-part0.wav')).arrayBuffer();
  const page = [...(await runCases(api, sim)), ...(await runLifecycleCases(api, sim, wav))];
  // The same cases in a module worker, importing the browser entry by path (import maps do
  // not reach workers).
  const worker = new Worker(`/browser/worker.test.js?sim=${encodeURIComponent(sim)}`, { type: 'module' });
  const inWorker = await new Promise((resolve) => {
    worker.onmessage = (m) => resolve(m.data);
    worker.onerror = (e) => resolve([{ name: 'worker load', ok: false, error: String(e.message) }]);
  });
  worker.terminate();
  return [...page.map((r) => ({ ...r, name: `page: ${r.name}` })), ...inWorker.map((r) => ({ ...r, name: `worker: ${r.name}` }))];
})();

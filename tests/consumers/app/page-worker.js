// The page's check, then the same check in a module worker (bundlers follow this form).
import * as api from 'eka-voice';
import { check } from './check.js';

const sim = new URLSearchParams(location.search).get('sim');
window.__result = (async () => {
  const page = await check(api, sim);
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.postMessage(sim);
  const inWorker = await new Promise((resolve) => {
    worker.onmessage = (m) => resolve(m.data);
    worker.onerror = (e) => resolve({ error: `worker: ${e.message}` });
  });
  return { ...page, worker: inWorker };
})();

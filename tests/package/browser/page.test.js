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
  const refusal = await credentialsRefused();
  const proxied = await throughProxy(sim, wav);
  return [...refusal, ...proxied, ...loading, ...page.map((r) => ({ ...r, name: `page: ${r.name}` })), ...inWorker.map((r) => ({ ...r, name: `worker: ${r.name}` }))];
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

// eka-voice/server in a page: clientCredentials refuses to run where a `document` exists.
async function credentialsRefused() {
  const name = 'server entry: clientCredentials refuses to run in a browser';
  try {
    const server = await import('/node_modules/eka-voice/server.js');
    let e;
    try {
      server.clientCredentials({ clientId: 'id', clientSecret: 'secret-in-a-page' });
    } catch (x) {
      e = x;
    }
    const ok = e instanceof server.VoiceApiError && e.code === 'invalid_argument' && /servers only/.test(e.message) && !/secret-in-a-page/.test(e.message);
    return [{ name, ok, error: ok ? undefined : String(e?.message ?? e) }];
  } catch (x) {
    return [{ name, ok: false, error: String(x?.stack ?? x) }];
  }
}

// The safe pattern: the page's client has NO token; the backend's voiceProxy (same origin,
// /api/eka, see browser.run.mjs) forwards its calls with the backend's token, for a signed-in
// user (a cookie) only.
async function throughProxy(sim, wav) {
  const name = 'voiceProxy: a page client with no token transcribes through the backend; signed out: forbidden';
  try {
    document.cookie = 'emr=dr-rao; path=/';
    const client = new api.VoiceClient({ baseUrl: `${location.origin}/api/eka` });
    const r = await client.transcribe([new Blob([wav])], { templates: ['clinical_notes_template'], intervalMs: 200 });
    if (r.status !== 'completed') throw new Error(`status ${r.status}`);
    const log = (await (await fetch(`${sim}/__sim/requests/${r.session_id}`)).json()).requests;
    const auth = [...new Set(log.map((x) => x.authorization))];
    if (auth.join() !== 'Bearer backend-token') throw new Error(`the API saw ${auth}`);
    document.cookie = 'emr=; path=/; max-age=0';
    const e = await client.createSession().catch((x) => x);
    if (!(e instanceof api.VoiceApiError) || e.code !== 'forbidden') throw new Error(`signed out: ${e?.code ?? e}`);
    return [{ name, ok: true }];
  } catch (e) {
    return [{ name, ok: false, error: String(e?.stack ?? e) }];
  }
}

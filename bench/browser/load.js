// Import cost and first-call time in the browser. Modules evaluate in import order, so the
// stamps around '/pkg/browser.js' time its evaluation on the main thread (the wasm is not
// loaded by importing); the same around an empty module is the baseline. Then a first
// getSession (wasm fetch + compile included) against a warm one, and a bare fetch's first
// and warm calls as their baseline.
import { t as t0 } from '/bench/browser/stamp.js?0';
import { VoiceClient } from '/pkg/browser.js';
import { t as t1 } from '/bench/browser/stamp.js?1';
import { t as b0 } from '/bench/browser/stamp.js?2';
import '/bench/browser/empty.js';
import { t as b1 } from '/bench/browser/stamp.js?3';

const sim = new URLSearchParams(location.search).get('sim');
const timed = async (fn) => {
  const s = performance.now();
  await fn();
  return performance.now() - s;
};
window.__bench = (async () => {
  const wasmFetched = performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm'));
  const client = new VoiceClient({ baseUrl: sim, token: 'bench' });
  const get = (n) => () => client.getSession(`instant.load-${n}`);
  const bare = (n) => async () =>
    (await fetch(`${sim}/voice/v1/sessions/instant.bare-${n}`, { headers: { authorization: 'Bearer bench' } })).json();
  // The bare fetches first: the page's first request to the simulator (connection, CORS
  // preflight cache) is theirs, and the client's first call is its own first-use cost.
  const bareFirst = await timed(bare(1));
  const bareWarm = await timed(bare(2));
  const first = await timed(get(1));
  const warm = await timed(get(2));
  return { importMs: t1 - t0, emptyImportMs: b1 - b0, wasmFetched, first, warm, bareFirst, bareWarm };
})();

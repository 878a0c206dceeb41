// One side of the memory benchmark, in a fresh process (node --expose-gc bench/memory.mjs
// <ours|baseline> <simulator URL> <polls>): memory after the first 1,000 sequential
// completed polls and after all of them. Prints JSON.
import { pollBaseline } from './baseline.mjs';

// The package's wasm memory, caught as the package instantiates its module (on first use).
let memory;
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  const instance = new Instance(module, imports);
  memory = instance.exports.memory;
  return instance;
};
const { VoiceClient } = await import('../pkg/node.mjs');
const [which, sim, count] = process.argv.slice(2);
const client = new VoiceClient({ baseUrl: sim, token: 'bench' });
if (!memory) throw new Error('the package did not instantiate its wasm through WebAssembly.Instance');
// Two collections with a pause between them: the first lets FinalizationRegistry
// callbacks (wasm-bindgen frees its objects through them) run before the second.
const snapshot = async () => {
  global.gc();
  await new Promise((r) => setTimeout(r, 50));
  global.gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, wasm: memory.buffer.byteLength };
};
let first;
for (let i = 0; i < Number(count); i++) {
  const id = `instant.mem-${which}-${i}`;
  const r = which === 'ours'
    ? await client.pollSession(id, { intervalMs: 0 })
    : await pollBaseline(`${sim}/voice/v1/sessions/${id}`, 'bench', 0);
  if (r.status !== 'completed') throw new Error(r.status);
  if (i === 999) first = await snapshot();
  if (process.env.EKA_MEMORY_TRACE && i % 5000 === 4999) console.error(i + 1, JSON.stringify(await snapshot()));
}
console.log(JSON.stringify({ after1000: first, afterAll: await snapshot() }));

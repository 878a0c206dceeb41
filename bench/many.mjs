// One side of the pollMany benchmark, in a fresh process:
//   node bench/many.mjs <ours|baseline> <simulator URL> <sessions> <concurrency> [maxRequestsPerSecond]
// `ours`: the server entry's client.pollMany; `baseline`: a hand-written pool of
// `concurrency` workers, each polling with bench/baseline.mjs. Prints JSON: CPU ms per
// session, wall time, requests a second, peak open sockets and peak JS heap (sampled every
// 20 ms).
import { pollBaseline } from './baseline.mjs';

const [which, sim, count, concurrency, perSecond] = process.argv.slice(2);
const n = Number(count);
const width = Number(concurrency);
const ids = Array.from({ length: n }, (_, i) => `complete.many-${which}-${i}-${Date.now()}`);
const peaks = { sockets: 0, heap: 0 };
const sample = () => {
  const sockets = process._getActiveHandles().filter((h) => h?.constructor?.name === 'Socket' && !h.destroyed).length;
  peaks.sockets = Math.max(peaks.sockets, sockets);
  peaks.heap = Math.max(peaks.heap, process.memoryUsage().heapUsed);
};
const sampler = setInterval(sample, 20);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let done = 0;
const c0 = cpu();
const t0 = performance.now();
if (which === 'ours') {
  const { VoiceClient } = await import('../pkg/server.js');
  const client = new VoiceClient({ baseUrl: sim, token: 'bench' });
  const options = { concurrency: width, intervalMs: 50 };
  if (perSecond) options.maxRequestsPerSecond = Number(perSecond);
  for await (const r of client.pollMany(ids, options)) {
    if (r.error || r.session.status !== 'completed') throw new Error(`${r.sessionId}: ${r.error ?? r.session.status}`);
    done++;
  }
} else {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        const r = await pollBaseline(`${sim}/voice/v1/sessions/${id}`, 'bench', 50);
        if (r.status !== 'completed') throw new Error(r.status);
        done++;
      }
    }),
  );
}
const wallMs = performance.now() - t0;
clearInterval(sampler);
sample();
console.log(JSON.stringify({
  sessions: done,
  cpuMsPerSession: (cpu() - c0) / done,
  wallMs,
  requestsPerSecond: (done * 3) / (wallMs / 1000),
  peakSockets: peaks.sockets,
  peakHeapMB: peaks.heap / (1024 * 1024),
}));

// The TCP fault suite: the BUILT package (pkg/) in Node, talking to the simulator through a
// proxy on 127.0.0.1 that resets connections, cuts bodies mid-way, stalls, drips bytes,
// answers garbage, lies in Content-Length — or through a port that refuses connections.
// Every poll and upload settles as documented (resolved after retries, or a typed error),
// within its bounds, and each call runs in its own process, which must END BY ITSELF right
// after the call settled: a timer or a socket left behind would keep it alive.
//
//   node --test tests/faults/faults.test.mjs      (after `npm run build`)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createSimulator } from '../../sim/server.mjs';
import { startProxy, refusedUrl } from './proxy.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const PKG = pathToFileURL(fileURLToPath(new URL('../../pkg/node.mjs', import.meta.url))).href;
const sim = createSimulator();
const SIM = await sim.listen(0);
const GET = /^GET \/voice\/v1\/sessions\//;
const UPLOAD = /^POST \/voice\/v1\/sessions\/[^/]+\/audio\//;
const uid = (s) => `${s}.${Math.random().toString(36).slice(2)}`;

/** Runs one call in a child process; resolves with its RESULT and how long the process
 * lived on after printing it. */
function runCall(spec) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${here}client.mjs`, JSON.stringify({ pkg: PKG, ...spec })], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '', printedAt;
    const kill = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`did not end within 20 s: ${out} ${err}`)); }, 20_000);
    child.stdout.on('data', (d) => { out += d; if (!printedAt && out.includes('RESULT ')) printedAt = Date.now(); });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => {
      clearTimeout(kill);
      const line = (tag) => out.split('\n').find((l) => l.startsWith(tag));
      if (!line('RESULT ')) return reject(new Error(`no result (exit ${code}): ${out} ${err}`));
      // Its stdout and stderr pipes are the suite's own; anything else is left behind.
      const left = line('LEFT ') ? JSON.parse(line('LEFT ').slice(5)).filter((r) => r !== 'PipeWrap') : [];
      resolve({ ...JSON.parse(line('RESULT ').slice(7)), left, lingerMs: Date.now() - printedAt, exitCode: code, stderr: err });
    });
  });
}

/** A case: a proxy with `fault` (or a refused port), one call through it, the outcome. */
async function through(fault, call, { match = call === 'get' || call === 'poll' ? GET : UPLOAD, times, opts = {}, abortAfterMs, id = uid('instant') } = {}) {
  const proxy = fault === 'refused' ? null : await startProxy(SIM, { fault, match, times });
  const base = proxy ? proxy.url : await refusedUrl();
  try {
    const r = await runCall({ base, call, id, opts, abortAfterMs });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(r.left, [], 'timers or sockets still held the process 300 ms after the call settled');
    // Under load a process takes a moment to exit; a timer left armed would hold it for
    // requestTimeoutMs (30 s).
    assert.ok(r.lingerMs < 5000, `the process lived on ${r.lingerMs} ms after the call settled`);
    return { ...r, hits: proxy?.hits };
  } finally {
    await proxy?.close();
  }
}

const resolved = (r) => assert.ok(r.ok && (r.status === 'completed' || r.http_status === 200), JSON.stringify(r));
const rejected = (r, code, pattern) => {
  assert.equal(r.ok, false, JSON.stringify(r));
  assert.equal(r.code, code, JSON.stringify(r));
  if (pattern) assert.match(r.message, pattern);
};
const fast = { maxRetries: 1 };
// Settled well before anything left armed would let it (requestTimeoutMs is 30 s): the
// bounds are the expected time plus a wide margin for a loaded machine, not a benchmark.
const promptly = (r, expectedMs) => assert.ok(r.ms < expectedMs + 3000, `${r.ms} ms`);

const cases = [
  // Polls: one failure then success is retried; a failure that persists is reported.
  ['poll: a reset, then the answer', () => through('reset', 'poll', { times: 1 }), resolved],
  ['poll: resets forever -> network', () => through('reset', 'poll', { opts: fast }), (r) => rejected(r, 'network', /after 2 attempts/)],
  ['poll: a body cut mid-way, then the answer', () => through('cut', 'poll', { times: 1 }), resolved],
  ['poll: bodies always cut -> network', () => through('cut', 'poll', { opts: fast }), (r) => rejected(r, 'network', /after 2 attempts/)],
  ['poll: garbage, then the answer', () => through('garbage', 'poll', { times: 1 }), resolved],
  ['poll: garbage forever -> network', () => through('garbage', 'poll', { opts: fast }), (r) => rejected(r, 'network')],
  ['poll: Content-Length too long, then the answer', () => through('lie-long', 'poll', { times: 1 }), resolved],
  ['poll: Content-Length too short -> invalid_response, not retried', () => through('lie-short', 'poll'), (r) => { rejected(r, 'invalid_response'); assert.equal(r.hits, 1); }],
  ['poll: dripped piece by piece', () => through('drip', 'poll', { id: uid('complete'), opts: { intervalMs: 100 } }), resolved],
  ['poll: stalls -> network at requestTimeoutMs', () => through('stall', 'poll', { opts: { requestTimeoutMs: 300, ...fast } }), (r) => { rejected(r, 'network', /within 300 ms/); promptly(r, 1600); }],
  ['poll: stalls -> timeout at timeoutMs', () => through('stall', 'poll', { opts: { timeoutMs: 600 } }), (r) => { rejected(r, 'timeout'); promptly(r, 600); }],
  ['poll: stalls, then aborted', () => through('stall', 'poll', { abortAfterMs: 300 }), (r) => { assert.equal(r.message, 'aborted by the test'); promptly(r, 300); }],
  ['poll: connection refused -> network', () => through('refused', 'poll', { opts: fast }), (r) => rejected(r, 'network')],
  // getSession sends one request and does not retry.
  ['get: a reset -> network at once', () => through('reset', 'get'), (r) => rejected(r, 'network')],
  ['get: a body cut mid-way -> network at once', () => through('cut', 'get'), (r) => rejected(r, 'network')],
  // Uploads (raw POST with the audio bytes).
  ['upload: a reset, then uploaded', () => through('reset', 'upload', { times: 1 }), resolved],
  ['upload: answers cut forever -> network', () => through('cut', 'upload', { opts: fast }), (r) => rejected(r, 'network')],
  ['upload: garbage, then uploaded', () => through('garbage', 'upload', { times: 1 }), resolved],
  ['upload: stalls -> network at requestTimeoutMs', () => through('stall', 'upload', { opts: { requestTimeoutMs: 300, ...fast } }), (r) => rejected(r, 'network', /within 300 ms/)],
  ['upload: stalls, then aborted', () => through('stall', 'upload', { abortAfterMs: 300 }), (r) => { assert.equal(r.message, 'aborted by the test'); promptly(r, 300); }],
  ['upload: dripped answer', () => through('drip', 'upload'), resolved],
  // transcribe: uploads that stall, then the whole call is aborted; nothing is left running.
  ['transcribe: uploads stall, then aborted', () => through('stall', 'transcribe', { abortAfterMs: 500 }), (r) => { assert.equal(r.message, 'aborted by the test'); promptly(r, 500); }],
  ['transcribe: one upload reset, the rest fine', () => through('reset', 'transcribe', { times: 1 }), resolved],
];

test('every fault settles as documented, and leaves nothing behind', { concurrency: true }, async (t) => {
  await Promise.all(cases.map(([name, run, expect]) => t.test(name, async () => expect(await run()))));
});

test.after(() => sim.close());

// How the INSTALLED package loads in Node: nothing at import, the CommonJS and ESM faces
// share one instance, the inline entries need no file, and a missing wasm is a typed,
// recoverable failure. Each case runs in a fresh process (module state is per process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const SIM = process.env.EKA_SIM_URL;
function run(code, { type = 'module', cwd = process.cwd() } = {}) {
  try {
    const out = execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], {
      cwd,
      env: { ...process.env, SIM },
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return JSON.parse(out);
  } catch (e) {
    throw new Error(`the script failed: ${String(e.stderr ?? e).slice(-1500)}`);
  }
}
// Counts instantiations of the package's wasm (Node's fetch instantiates its own, llhttp).
const COUNT = `
  globalThis.wasmLoads = 0;
  const ours = (i) => { if (typeof i?.exports?.voiceclient_new === 'function') globalThis.wasmLoads++; return i; };
  const I = WebAssembly.Instance;
  WebAssembly.Instance = function (...a) { return ours(new I(...a)); };
  const f = WebAssembly.instantiate;
  WebAssembly.instantiate = async (...a) => { const r = await f(...a); ours(r.instance ?? r); return r; };`;

test('importing compiles nothing; the first use loads the wasm once, synchronously', () => {
  const r = run(`${COUNT}
    const m = await import('eka-voice');
    const atImport = wasmLoads;
    const a = new m.VoiceClient({ baseUrl: process.env.SIM, token: 'node-token' });
    const afterFirst = wasmLoads;
    new m.VoiceClient({ baseUrl: process.env.SIM, token: 'node-token' });
    let code;
    try { new m.VoiceClient({ baseUrl: 'ftp://example.invalid' }); } catch (e) { code = e.code; }
    const s = await a.getSession('complete.load-' + Date.now());
    console.log(JSON.stringify({ atImport, afterFirst, after: wasmLoads, code, status: s.status }));`);
  assert.deepEqual(r, { atImport: 0, afterFirst: 1, after: 1, code: 'invalid_argument', status: 'initialized' });
});

test('require and import share one instance and one VoiceApiError class', () => {
  const r = run(`${COUNT}
    import { createRequire } from 'node:module';
    const require = createRequire(process.cwd() + '/');
    const cjs = require('eka-voice');
    const esm = await import('eka-voice');
    const e = await new esm.VoiceClient({ baseUrl: process.env.SIM, token: 'node-token' }).getSession('missing.x-1').catch((e) => e);
    console.log(JSON.stringify({ same: cjs.VoiceApiError === esm.VoiceApiError && cjs.VoiceClient === esm.VoiceClient,
      typed: e instanceof cjs.VoiceApiError, code: e.code, loads: wasmLoads }));`);
  assert.deepEqual(r, { same: true, typed: true, code: 'not_found', loads: 1 });
});

test('a CommonJS script: require("eka-voice") and require("eka-voice/inline")', () => {
  const r = run(
    `const { VoiceClient } = require('eka-voice');
     const inline = require('eka-voice/inline');
     Promise.all([
       new VoiceClient({ baseUrl: process.env.SIM, token: 'node-token' }).pollSession('complete.cjs-' + Date.now(), { intervalMs: 100 }),
       new inline.VoiceClient({ baseUrl: process.env.SIM, token: 'node-token' }).getSession('missing.cjs-1').catch((e) => e),
     ]).then(([s, e]) => console.log(JSON.stringify({ s: s.status, e: e.code, typed: e instanceof inline.VoiceApiError })));`,
    { type: 'commonjs' },
  );
  assert.deepEqual(r, { s: 'completed', e: 'not_found', typed: true });
});

test('eka-voice/inline (ESM) needs no file beside it', () => {
  const r = run(`${COUNT}
    const { VoiceClient } = await import('eka-voice/inline');
    const atImport = wasmLoads;
    const s = await new VoiceClient({ baseUrl: process.env.SIM, token: 'node-token' }).pollSession('complete.inline-' + Date.now(), { intervalMs: 100 });
    console.log(JSON.stringify({ atImport, status: s.status }));`);
  assert.deepEqual(r, { atImport: 0, status: 'completed' });
});

test('a missing wasm: the constructor does not throw, calls reject wasm_unavailable, a later call recovers', () => {
  // A copy of the installed package whose wasm is moved away, then put back.
  const home = mkdtempSync(join(tmpdir(), 'eka-voice-load-'));
  const pkgDir = join(home, 'node_modules', 'eka-voice');
  cpSync(dirname(createRequire(join(process.cwd(), 'x.js')).resolve('eka-voice/package.json')), pkgDir, { recursive: true });
  renameSync(join(pkgDir, 'eka_voice_bg.wasm'), join(home, 'away.wasm'));
  try {
    const r = run(
      `import { renameSync } from 'node:fs';
       const { VoiceClient, VoiceApiError, init } = await import('eka-voice');
       const client = new VoiceClient({ baseUrl: process.env.SIM, token: 'secret-node-token' });
       const e = await client.getSession('complete.gone-1').catch((e) => e);
       const i = await init().catch((e) => e);
       renameSync('away.wasm', 'node_modules/eka-voice/eka_voice_bg.wasm');
       const s = await client.getSession('complete.back-' + Date.now());
       console.log(JSON.stringify({ typed: e instanceof VoiceApiError, code: e.code, init: i.code,
         cause: e.cause?.code, secret: JSON.stringify(e).includes('secret') || e.message.includes('secret'), status: s.status }));`,
      { cwd: home },
    );
    assert.deepEqual(r, { typed: true, code: 'wasm_unavailable', init: 'wasm_unavailable', cause: 'ENOENT', secret: false, status: 'initialized' });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('init() takes bytes or a compiled WebAssembly.Module', () => {
  const r = run(`
    import { readFileSync } from 'node:fs';
    import { createRequire } from 'node:module';
    const require = createRequire(process.cwd() + '/');
    const bytes = readFileSync(require.resolve('eka-voice/eka_voice_bg.wasm'));
    const { init, getSession } = await import('eka-voice/inline');
    await init(new WebAssembly.Module(bytes));
    await init(bytes); // already loaded: ignored
    const s = await getSession('complete.mod-' + Date.now(), { baseUrl: process.env.SIM, token: 'node-token' });
    console.log(JSON.stringify({ status: s.status }));`);
  assert.deepEqual(r, { status: 'initialized' });
});

test('a stalled load obeys each call: an aborted signal at once, timeoutMs as a timeout; init() has a deadline too', () => {
  const r = run(`
    import http from 'node:http';
    const stall = http.createServer(() => {}); // accepts, never answers
    await new Promise((res) => stall.listen(0, '127.0.0.1', res));
    const url = 'http://127.0.0.1:' + stall.address().port + '/eka_voice_bg.wasm';
    const { init, VoiceClient, getSession } = await import('eka-voice');
    const loading = init(url).catch((e) => e.code);
    const c = new VoiceClient({ baseUrl: process.env.SIM, token: 'node-token' });
    const code = (p) => p.then(() => 'resolved', (e) => e?.code ?? e?.message);
    const ac = new AbortController();
    ac.abort(new Error('gone'));
    const t0 = Date.now();
    const aborted = await code(c.getSession('complete.x', { signal: ac.signal }));
    const timedOut = await code(c.pollSession('complete.y', { timeoutMs: 300 }));
    const oneShot = await code(getSession('complete.z', { baseUrl: process.env.SIM, token: 't', timeoutMs: 300 }));
    const initLate = await code(init(url, { timeoutMs: 300 }));
    const took = Date.now() - t0;
    stall.closeAllConnections(); stall.close();
    console.log(JSON.stringify({ aborted, timedOut, oneShot, initLate, quick: took < 5000, pending: typeof loading.then }));
    process.exit(0);`);
  assert.deepEqual(r, { aborted: 'gone', timedOut: 'timeout', oneShot: 'timeout', initLate: 'wasm_unavailable', quick: true, pending: 'function' });
});

test("another module's wasm is refused before it is instantiated; the next init() loads the right one", () => {
  const r = run(`
    import { readFileSync } from 'node:fs';
    import { createRequire } from 'node:module';
    const require = createRequire(process.cwd() + '/');
    const dir = require.resolve('eka-voice/eka_voice_bg.wasm').replace(/eka_voice_bg\\.wasm$/, '');
    const recorder = readFileSync(dir + 'recorder_bg.wasm');
    const { init, VoiceClient } = await import('eka-voice/inline');
    const refused = await init(recorder).then(() => 'resolved', (e) => e.code);
    await init();
    const s = await new VoiceClient({ baseUrl: process.env.SIM, token: 'node-token' }).getSession('complete.ok-' + Date.now());
    console.log(JSON.stringify({ refused, status: s.status }));`);
  assert.deepEqual(r, { refused: 'wasm_unavailable', status: 'initialized' });
});

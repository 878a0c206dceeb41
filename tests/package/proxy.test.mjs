// eka-voice/server's voiceProxy, from the INSTALLED package, in a real node:http server in
// front of the simulator: a client with NO token transcribes through it; only the backend's
// token reaches the Voice API; what is not a voice-session call is refused; the app's check
// decides; a refused token gets one fresh one; the token never comes back to the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { voiceProxy, VoiceClient, VoiceApiError } from 'eka-voice/server';
import { fetchListener } from './webdriver.mjs';

const SIM = process.env.EKA_SIM_URL;
const wav = await readFile(join(process.env.EKA_FIXTURES, 'consultation-part0.wav'));

/** A node:http server running `handler` (the README's adapter); its URL and a closer. */
async function serve(handler) {
  const server = http.createServer(fetchListener(handler));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

const received = async (id) => (await (await fetch(`${SIM}/__sim/requests/${id}`)).json()).requests;

test('voiceProxy: a page client with no token transcribes through it; only the backend token reaches the API', async () => {
  const asked = [];
  const calls = [];
  const proxy = voiceProxy({
    baseUrl: SIM,
    basePath: '/api/eka',
    getToken: (context) => (asked.push(context), 'backend-token-1'),
    authorize: (request, call) => (calls.push(call), request.headers.get('authorization') === null),
  });
  const server = await serve(proxy);
  try {
    const page = new VoiceClient({ baseUrl: `${server.url}/api/eka` });
    const result = await page.transcribe([wav], { templates: ['clinical_notes_template'], intervalMs: 200 });
    assert.equal(result.status, 'completed');
    const log = await received(result.session_id);
    assert.ok(log.length >= 3, JSON.stringify(log));
    assert.ok(log.every((r) => r.authorization === 'Bearer backend-token-1'), JSON.stringify(log.map((r) => r.authorization)));
    const stored = await (await fetch(`${SIM}/__sim/sessions/${result.session_id}`)).json();
    assert.deepEqual(stored.files.map((f) => f.name), ['0.wav']);
    assert.ok(asked.every((c) => c.refused === undefined));
    const ops = [...new Set(calls.map((c) => c.operation))];
    assert.deepEqual(ops, ['createSession', 'uploadAudio', 'endSession', 'getSession']);
    assert.ok(calls.slice(1).every((c) => c.sessionId === result.session_id));
  } finally {
    server.close();
  }
});

test('voiceProxy: refuses what is not a voice-session call, what the app refuses, and bodies it cannot take', async () => {
  let allow = true;
  const errors = [];
  const proxy = voiceProxy({ baseUrl: SIM, token: 'backend-token-2', authorize: () => allow, onError: (e) => errors.push(e) });
  const server = await serve(proxy);
  const call = (path, init) => fetch(server.url + path, init);
  try {
    for (const [path, init, status] of [
      ['/voice/v1/templates', undefined, 404],
      ['/connect-auth/v1/account/login', { method: 'POST', body: '{}' }, 404],
      ['/voice/v1/sessions/s1', { method: 'DELETE' }, 405],
      ['/voice/v1/sessions/%2e%2e', undefined, 404], // the URL parser makes it /voice/v1/
      ['/voice/v1/sessions/%ff', undefined, 400],
      ['/voice/v1/sessions/s1?token=x', undefined, 400],
      ['/voice/v1/sessions/s1/audio/run.sh', { method: 'POST', body: 'x' }, 400],
      ['/voice/v1/sessions', { method: 'POST', body: new Uint8Array(10 * 1024 * 1024 + 1) }, 413],
    ]) {
      const r = await call(path, init);
      assert.equal(r.status, status, path);
      const body = await r.json();
      assert.equal(typeof body.error.code, 'string');
    }
    allow = false;
    const page = new VoiceClient({ baseUrl: server.url });
    const e = await page.createSession().catch((x) => x);
    assert.ok(e instanceof VoiceApiError && e.code === 'forbidden' && e.status === 403, String(e));
    // A failing authorize is 503 (the page's client retries it), reported.
    const failing = voiceProxy({ baseUrl: SIM, token: 'backend-token-2', authorize: () => { throw new Error('db down'); }, onError: (x) => errors.push(x) });
    const r = await failing(new Request(`${server.url}/voice/v1/sessions`, { method: 'POST', body: '{}' }));
    assert.equal(r.status, 503);
    assert.ok(errors.some((x) => x.message === 'db down'));
  } finally {
    server.close();
  }
});

test('voiceProxy: a refused token gets one fresh one; the token never comes back; no token is 503', async () => {
  const asked = [];
  const proxy = voiceProxy({
    baseUrl: SIM,
    // The simulator refuses tokens that start with "expired".
    getToken: (c) => (asked.push(c.refused), asked.length === 1 ? 'expired-backend-token' : 'fresh-backend-token'),
    authorize: () => true,
  });
  const id = `instant.${Math.random().toString(36).slice(2)}`;
  const r = await proxy(new Request(`http://emr.example/voice/v1/sessions/${id}`));
  assert.equal(r.status, 200);
  assert.deepEqual(asked, [undefined, 'expired-backend-token']);
  assert.deepEqual((await received(id)).map((x) => x.authorization), ['Bearer expired-backend-token', 'Bearer fresh-backend-token']);
  assert.equal(r.headers.get('set-cookie'), null);
  // An answer that echoes the Authorization header: the token is redacted from it.
  const echo = await proxy(new Request(`http://emr.example/voice/v1/sessions/echo-auth.${Math.random().toString(36).slice(2)}`));
  const text = await echo.text();
  assert.equal(echo.status, 400);
  assert.ok(!text.includes('fresh-backend-token') && text.includes('[redacted]'), text);
  // No token: 503, so that the page's client retries, and the app is told.
  const errors = [];
  const down = voiceProxy({ baseUrl: SIM, getToken: () => Promise.reject(new Error('vault sealed')), authorize: () => true, onError: (e) => errors.push(e) });
  const d = await down(new Request(`http://emr.example/voice/v1/sessions/${id}`));
  assert.equal(d.status, 503);
  assert.equal((await d.json()).error.code, 'token_unavailable');
  assert.equal(errors[0]?.message, 'vault sealed');
  // Options a proxy cannot run with are refused when it is made.
  for (const bad of [{}, { authorize: () => true }, { authorize: () => true, token: 't', getToken: () => 't' }, { authorize: () => true, token: 't', basePath: 'api/' }, { authorize: () => true, token: 't', baseUrl: 'http://api.eka.care' }]) {
    assert.throws(() => voiceProxy(bad), (e) => e instanceof VoiceApiError && e.code === 'invalid_argument', JSON.stringify(bad));
  }
});

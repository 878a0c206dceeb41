// Tests of the simulator itself (node --test): the service's own checks that the client
// never trips on purpose — file names, multipart, Content-Type allow-list, sizes, the
// presigned storage form, End and long polling, control routes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulator } from '../sim/server.mjs';

let sim;
let SIM;
const auth = { authorization: 'Bearer t' };
before(async () => {
  sim = createSimulator();
  SIM = await sim.listen(0);
});
after(() => sim.close());

const wav = () => {
  const b = Buffer.alloc(64);
  b.write('RIFF', 0);
  b.write('WAVE', 8);
  return b;
};
async function create(body = {}, query = '') {
  const r = await fetch(`${SIM}/voice/v1/sessions${query}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ upload_type: 'chunked', ...body }) });
  return [r.status, await r.json()];
}
const upload = (id, name, body, headers = {}) =>
  fetch(`${SIM}/voice/v1/sessions/${id}/audio/${name}`, { method: 'POST', headers: { ...auth, ...headers }, body });

test('create validates the body and answers 201 with an upload_url', async () => {
  const [status, s] = await create({ templates: ['eka_emr_template'] });
  assert.equal(status, 201);
  assert.equal(s.status, 'created');
  assert.match(s.upload_url, /\/voice\/v1\/sessions\/ses_[0-9a-f]{20}\/audio$/);
  assert.equal((await create({ templates: ['nope'] }))[0], 400);
  assert.equal((await create({ upload_type: 'carrier-pigeon' }))[0], 422);
  assert.equal((await create({ session_id: 'short' }))[0], 400);
  assert.equal((await create({ additional_data: { _protocol: {} } }))[0], 400);
  const [, presigned] = await create({}, '?version=v2');
  assert.ok(presigned.upload_url.uploadData.fields.key.endsWith('/${filename}'));
  const r = await fetch(`${SIM}/voice/v1/sessions`, { method: 'POST', body: '{}' });
  assert.equal(r.status, 401);
});

test('raw uploads: names, multipart, Content-Type allow-list, sizes', async () => {
  const [, s] = await create();
  const id = s.session_id;
  assert.equal((await upload(id, 'audio_0.wav', wav())).status, 200);
  assert.equal((await upload(id, 'audio_1.wav', wav(), { 'content-type': 'audio/wav' })).status, 200);
  for (const [name, headers] of [
    ['audio_2.flac', {}],
    ['audio_02.wav', {}],
    ['audio.wav', {}],
    ['audio_2.wav', { 'content-type': 'audio/x-wav' }],
    ['audio_2.wav', { 'content-type': 'audio/webm' }],
    ['audio_2.wav', { 'content-type': 'audio/mpeg' }],
  ]) {
    const r = await upload(id, name, wav(), headers);
    assert.equal(r.status, 400, `${name} ${JSON.stringify(headers)}`);
    assert.equal((await r.json()).error.code, 'invalid_audio_format');
  }
  const form = new FormData();
  form.append('file', new Blob([wav()]), 'audio_2.wav');
  assert.equal((await upload(id, 'audio_2.wav', form)).status, 400, 'multipart is refused');
  const big = await upload(id, 'audio_3.wav', Buffer.alloc(10 * 1024 * 1024 + 1));
  assert.equal(big.status, 413);
  assert.equal((await big.json()).error.code, 'chunk_too_large');
  assert.equal((await upload('ses_nope', 'audio_0.wav', wav())).status, 404);
  const state = await (await fetch(`${SIM}/__sim/sessions/${id}`)).json();
  assert.deepEqual(state.files.map((f) => f.name), ['0.wav', '1.wav']);
});

test('presigned storage: fields, signature, ${filename}, file last, no Authorization; only <n>.<ext> is collected', async () => {
  const [, s] = await create({}, '?version=v2');
  const { url, fields } = s.upload_url.uploadData;
  const post = (mutate, headers = {}, name = '0.wav') => {
    const form = new FormData();
    const f = { ...fields, key: fields.key.replace('${filename}', name), 'Content-Type': 'audio/wav' };
    const order = mutate(f);
    for (const [k, v] of Object.entries(f)) if (order !== 'file-first') form.append(k, v);
    form.append('file', new Blob([wav()]), name);
    if (order === 'file-first') for (const [k, v] of Object.entries(f)) form.append(k, v);
    return fetch(url, { method: 'POST', body: form, headers });
  };
  assert.equal((await post(() => {}, auth)).status, 400, 'Authorization is refused');
  assert.equal((await post((f) => (f['x-amz-signature'] = 'forged'))).status, 403);
  assert.equal((await post((f) => (f.key = fields.key))).status, 400, '${filename} must be replaced');
  assert.equal((await post((f) => (f['Content-Type'] = 'text/plain'))).status, 400);
  assert.equal((await post(() => 'file-first')).status, 400, 'the file must be last');
  assert.equal((await post(() => {})).status, 204);
  // The storage takes any object name, but End collects only `<n>.<ext>`, as the provider's
  // server does: an `audio_1.wav` object is lost.
  assert.equal((await post(() => {}, {}, 'audio_1.wav')).status, 204);
  const state = await (await fetch(`${SIM}/__sim/sessions/${s.session_id}`)).json();
  assert.deepEqual(state.files.map((f) => f.name), ['0.wav']);
  assert.deepEqual(state.stray_objects, ['audio_1.wav']);
});

test('End, long polling and the result', async () => {
  const [, s] = await create({ templates: ['clinical_notes_template'], additional_data: { simulate: { process_ms: 600, hold_max_ms: 14000 } } });
  const id = s.session_id;
  await upload(id, 'audio_0.wav', wav());
  const get = () => fetch(`${SIM}/voice/v1/sessions/${id}`, { headers: auth });
  assert.equal((await get()).status, 202, 'initialized before End');
  const end = await fetch(`${SIM}/voice/v1/sessions/${id}/end`, { method: 'POST', headers: auth, body: JSON.stringify({ audio_files_sent: 1 }) });
  assert.equal(end.status, 202);
  // One GET right after End answers 200: it was held until processing finished (without
  // the hold it would have answered 202 processing). No clock is read: timings flake.
  const r = await get();
  assert.equal(r.status, 200, 'the held GET answers once ready');
  const body = await r.json();
  assert.equal(body.templates.length, 1);
  assert.equal((await upload(id, 'audio_1.wav', wav())).status, 400);
  const again = await fetch(`${SIM}/voice/v1/sessions/${id}/end`, { method: 'POST', headers: auth, body: JSON.stringify({ audio_files_sent: 1 }) });
  assert.equal(again.status, 400);
  const [, s2] = await create();
  const noCount = await fetch(`${SIM}/voice/v1/sessions/${s2.session_id}/end`, { method: 'POST', headers: auth, body: '{}' });
  assert.equal(noCount.status, 400, 'audio_files_sent is required');
});

test('CORS preflights allow Authorization and expose Retry-After', async () => {
  const r = await fetch(`${SIM}/voice/v1/sessions/x`, { method: 'OPTIONS', headers: { origin: 'http://example.test', 'access-control-request-headers': 'authorization' } });
  assert.equal(r.status, 204);
  assert.match(r.headers.get('access-control-allow-headers'), /authorization/);
  const g = await fetch(`${SIM}/voice/v1/sessions/rate-limited.cors`, { headers: auth });
  assert.match(g.headers.get('access-control-expose-headers'), /retry-after/);
  assert.equal(g.headers.get('retry-after'), '1');
});

test('custom scenarios posted by users play step by step, the last one repeating', async () => {
  const steps = [{ status: 202, body: { session_id: 'x', status: 'processing' } }, { status: 200, body: { session_id: 'x', status: 'completed', templates: [] } }];
  const r = await fetch(`${SIM}/__sim/scenarios`, { method: 'POST', body: JSON.stringify({ name: 'mine', steps }) });
  assert.equal(r.status, 201);
  const get = async () => (await fetch(`${SIM}/voice/v1/sessions/mine.1`, { headers: auth })).status;
  assert.deepEqual([await get(), await get(), await get()], [202, 200, 200]);
  const bad = await fetch(`${SIM}/__sim/scenarios`, { method: 'POST', body: JSON.stringify({ name: 'x', steps: [] }) });
  assert.equal(bad.status, 400);
  const log = await (await fetch(`${SIM}/__sim/requests/mine.1`)).json();
  assert.equal(log.count, 3);
});

test('webhooks: loopback subscriptions, signed deliveries of both shapes, retries, duplicates', async () => {
  const { createHmac } = await import('node:crypto');
  const http = await import('node:http');
  const got = [];
  const ids = [];
  let failFirst = true;
  const receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      got.push({ body, signature: req.headers['eka-webhook-signature'] });
      // The first delivery of the first session is refused (whatever order they come in).
      if (failFirst && body.includes(ids[0])) {
        failFirst = false;
        return res.writeHead(500).end();
      }
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${receiver.address().port}/hooks`;
  const subscribe = (body, headers = { ...auth }) =>
    fetch(`${SIM}/notification/v1/connect/webhook/subscriptions`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  try {
    assert.equal((await subscribe({ event_names: ['v2rx.completed'], endpoint }, {})).status, 401);
    assert.equal((await subscribe({ event_names: ['v2rx.completed'], endpoint: 'http://example.com/x' })).status, 400, 'loopback only');
    assert.equal((await subscribe({ event_names: [], endpoint })).status, 400);
    assert.equal((await subscribe({ event_names: ['v2rx.completed'], endpoint, signing_key: 'k_sim_test' })).status, 201);
    for (let i = 0; i < 2; i++) {
      const [, s] = await create({ additional_data: { simulate: { process_ms: 50 } } });
      await upload(s.session_id, 'audio_0.wav', wav());
      await fetch(`${SIM}/voice/v1/sessions/${s.session_id}/end`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"audio_files_sent":1}' });
      ids.push(s.session_id);
    }
    // Session 0: refused once, retried; session 1: delivered, then once more (a duplicate).
    for (let i = 0; i < 100 && got.length < 4; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(got.length, 4, JSON.stringify(got));
    const { deliveries, subscriptions } = await (await fetch(`${SIM}/__sim/webhooks`)).json();
    assert.equal(subscriptions[0].signing_key, undefined, 'keys are not shown');
    assert.deepEqual(
      deliveries.map((d) => [d.session_id, d.attempt, d.status, d.shape, d.duplicate]).sort(),
      [
        [ids[0], 1, 500, 'payload', false],
        [ids[0], 2, 204, 'payload', false],
        [ids[1], 1, 204, 'data', false],
        [ids[1], 1, 204, 'data', true],
      ].sort(),
    );
    for (const { body, signature } of got) {
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
      const parsed = JSON.parse(body);
      // The `payload` shape is sent with Python's default spacing and signed compact.
      const signed = parsed.payload ? JSON.stringify(parsed) : body;
      assert.equal(createHmac('sha256', 'k_sim_test').update(`${t}.${signed}`).digest('hex'), v1);
      if (parsed.payload) assert.match(body, /^\{"business_id": "b_sim", /);
      const id = parsed.payload ? parsed.payload.transaction_id : parsed.data.session_id;
      assert.ok(ids.includes(id));
      if (!parsed.payload) assert.equal(parsed.data.status, 'completed');
    }
  } finally {
    receiver.close();
    await fetch(`${SIM}/__sim/reset`, { method: 'POST' });
  }
});

test('client credentials: login, API use, expiry, single-use refresh, typed errors', async () => {
  const short = createSimulator({ tokenTtlSec: 1, refreshTtlSec: 5 });
  const base = await short.listen(0);
  const post = (path, body, headers = {}) =>
    fetch(`${base}/connect-auth/v1/account/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  try {
    const bad = await post('login', { client_id: 'c', client_secret: 'wrong-secret' });
    assert.equal(bad.status, 401);
    assert.deepEqual(await bad.json(), { code: 'invalid_credentials', error: 'Invalid client credentials' });
    assert.equal((await post('login', { client_id: 'c' })).status, 400);
    const t = await (await post('login', { client_id: 'c', client_secret: 's' })).json();
    assert.equal(t.expires_in, 1);
    const get = (token) => fetch(`${base}/voice/v1/sessions/instant.auth`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await get(t.access_token)).status, 200);
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await get(t.access_token);
    assert.equal(expired.status, 401);
    assert.equal((await expired.json()).error.code, 'token_expired');
    const refresh = { refresh_token: t.refresh_token, access_token: t.access_token };
    const headers = { authorization: `Bearer ${t.access_token}`, 'client-id': 'c' };
    assert.equal((await post('refresh-token', refresh, { ...headers, 'client-id': 'other' })).status, 401);
    const t2 = await (await post('refresh-token', refresh, headers)).json();
    assert.equal((await get(t2.access_token)).status, 200);
    assert.equal((await post('refresh-token', refresh, headers)).status, 401, 'a refresh token is single-use');
    assert.deepEqual(await (await fetch(`${base}/__sim/auth`)).json(), { logins: 3, refreshes: 3, token_ttl_sec: 1, refresh_ttl_sec: 5 });
  } finally {
    await short.close();
  }
});

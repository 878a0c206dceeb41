// eka-voice/server's verifyWebhook, from the INSTALLED package: every signature here is
// computed independently, with Node's crypto.createHmac.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { verifyWebhook, VoiceApiError, VoiceClient } from 'eka-voice/server';

const KEY = 'whsec_test_signing_key_1';
const NOW = Date.UTC(2026, 11, 5, 12, 0, 0);
const T = Math.floor(NOW / 1000);
const hmac = (key, t, body) => createHmac('sha256', key).update(`${t}.${body}`).digest('hex');
const header = (t, ...sigs) => `t=${t},${sigs.map((s) => `v1=${s}`).join(',')}`;
const SHAPE_1 = JSON.stringify({
  business_id: 'b1',
  client_id: 'c1',
  service_id: 'v2rx',
  event_id: 'v2rx.completed',
  payload: { service: 'v2rx', event: 'v2rx.completed', event_time: '2026-12-05T12:00:00Z', transaction_id: 'ses_shape1', data: {} },
});
const SHAPE_2 = JSON.stringify({
  event: 'v2rx.completed',
  data: { transaction_id: 'txn_1', status: 'completed', session_id: 'ses_shape2' },
  timestamp: '2026-12-05T12:00:01Z',
});
const verify = (body, signature, extra = {}) => verifyWebhook({ body, signature, signingKey: KEY, now: NOW, ...extra });
const code = (p) => p.then(() => 'resolved', (e) => (e instanceof VoiceApiError ? e.code : `untyped: ${e}`));

test('both payload shapes verify and normalise to one event', async () => {
  const a = await verify(SHAPE_1, header(T, hmac(KEY, T, SHAPE_1)));
  assert.deepEqual(
    { ...a, raw: undefined },
    { event: 'v2rx.completed', sessionId: 'ses_shape1', eventTime: '2026-12-05T12:00:00Z', raw: undefined },
  );
  assert.deepEqual(a.raw, JSON.parse(SHAPE_1));
  const b = await verify(new TextEncoder().encode(SHAPE_2), header(T, hmac(KEY, T, SHAPE_2)));
  assert.equal(b.sessionId, 'ses_shape2');
  assert.equal(b.status, 'completed');
  assert.equal(b.eventTime, '2026-12-05T12:00:01Z');
});

test('tampered bodies, wrong keys and other timestamps are invalid_signature', async () => {
  const sig = hmac(KEY, T, SHAPE_2);
  assert.equal(await code(verify(SHAPE_2.replace('ses_shape2', 'ses_other'), header(T, sig))), 'invalid_signature');
  assert.equal(await code(verify(SHAPE_2, header(T, hmac('another key', T, SHAPE_2)))), 'invalid_signature');
  assert.equal(await code(verify(SHAPE_2, header(T + 1, sig))), 'invalid_signature', 't is signed too');
  assert.equal(await code(verify(SHAPE_2, header(T, sig), { signingKey: KEY + 'x' })), 'invalid_signature');
});

test('key rotation: any of several v1 values', async () => {
  const old = hmac('old key', T, SHAPE_2);
  const fresh = hmac(KEY, T, SHAPE_2);
  assert.equal((await verify(SHAPE_2, header(T, old, fresh))).sessionId, 'ses_shape2');
  assert.equal((await verify(SHAPE_2, header(T, fresh, old))).sessionId, 'ses_shape2');
  assert.equal((await verify(SHAPE_2, header(T, old), { signingKey: 'old key' })).sessionId, 'ses_shape2');
});

test('stale and future timestamps, the tolerance and now options', async () => {
  for (const t of [T - 181, T + 181, T - 86400]) {
    assert.equal(await code(verify(SHAPE_2, header(t, hmac(KEY, t, SHAPE_2)))), 'stale_signature', String(t));
  }
  for (const t of [T - 180, T + 180]) assert.equal((await verify(SHAPE_2, header(t, hmac(KEY, t, SHAPE_2)))).event, 'v2rx.completed');
  const t = T - 600;
  const sig = header(t, hmac(KEY, t, SHAPE_2));
  assert.equal((await verify(SHAPE_2, sig, { toleranceSec: 600 })).sessionId, 'ses_shape2');
  assert.equal((await verify(SHAPE_2, sig, { now: new Date((t + 10) * 1000) })).sessionId, 'ses_shape2');
  // The default clock is the real one: a signature of now verifies without `now`.
  const n = Math.floor(Date.now() / 1000);
  assert.equal((await verifyWebhook({ body: SHAPE_2, signature: header(n, hmac(KEY, n, SHAPE_2)), signingKey: KEY })).event, 'v2rx.completed');
});

test("the provider's compact re-serialisation verifies too (Python json.dumps, ensure_ascii)", async () => {
  // A body sent with spaces and raw non-ASCII, signed over its compact, ASCII-escaped form.
  const sent = '{ "event": "v2rx.completed", "data": { "session_id": "ses_ü", "note": "Dr. Müller 😀" } }';
  const pythonCompact = '{"event":"v2rx.completed","data":{"session_id":"ses_\\u00fc","note":"Dr. M\\u00fcller \\ud83d\\ude00"}}';
  const e = await verify(sent, header(T, hmac(KEY, T, pythonCompact)));
  assert.equal(e.sessionId, 'ses_ü');
  // The compact form of another body does not verify this one.
  assert.equal(await code(verify(sent.replace('Müller', 'Muller'), header(T, hmac(KEY, T, pythonCompact)))), 'invalid_signature');
});

test('only what Python signed verifies: its 1.0 and integer-like keys do; duplicate keys, -0, 0E5, a BOM do not; the app gets the signed view', async () => {
  // The provider signs json.dumps(payload, separators=(',', ':')) and may send it pretty.
  const signed = '{"event":"v2rx.completed","data":{"session_id":"s1","score":1.0,"by_minute":{"1":"a","0":"b"}}}';
  const sig = header(T, hmac(KEY, T, signed));
  const pretty = '{\n  "event": "v2rx.completed",\n  "data": { "session_id": "s1", "score": 1.0, "by_minute": { "1": "a", "0": "b" } }\n}';
  const e = await verify(pretty, sig);
  assert.equal(e.sessionId, 's1');
  assert.equal(e.raw.data.score, 1);
  // Bytes that mean something else than what was signed, under the same signature.
  for (const forged of [
    signed.replace('"session_id":"s1"', '"session_id":"EVIL","session_id":"s1"'),
    signed.replace('1.0', '-0'),
    signed.replace('1.0', '0E5'),
    '\ufeff' + signed,
  ]) {
    assert.equal(await code(verify(forged, sig)), 'invalid_signature', forged);
  }
});

test('an unsigned request costs a bounded pass: 401 or 400, never a 500, the heap flat', async () => {
  const { handleWebhook } = await import('eka-voice/server');
  const v8 = await import('node:v8');
  const vm = await import('node:vm');
  v8.setFlagsFromString('--expose_gc');
  const gc = vm.runInNewContext('gc');
  const client = new VoiceClient({ token: 't' });
  const opts = { signingKey: KEY, client, onSession: () => assert.fail('nothing is handled') };
  const sig = header(T, '0'.repeat(64));
  const deep = '['.repeat(500_000) + ']'.repeat(500_000); // 1 MB nested 500,000 deep
  const spam = '[' + '{},'.repeat(300_000) + '{}]';
  const statuses = new Map();
  const send = async (body) => {
    const r = await handleWebhook(new Request('http://x', { method: 'POST', headers: { 'eka-webhook-signature': sig }, body }), opts);
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  };
  await send(deep);
  await send(spam);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 1000; i++) await send(i % 10 === 0 ? deep : i % 2 ? spam : '{"a":'.repeat(20_000));
  gc();
  const grew = process.memoryUsage().heapUsed - before;
  assert.deepEqual([...statuses.keys()], [401], JSON.stringify([...statuses]));
  assert.ok(grew < 16 << 20, `the heap grew ${(grew / 1048576).toFixed(1)} MB over 1,000 hostile requests`);
});

test('refused deliveries are reported; a missing key is refused when the handler is used; 405; onError that throws; slow bodies and dedupe bounded', async () => {
  const { handleWebhook } = await import('eka-voice/server');
  const client = new VoiceClient({ token: 't' });
  const rejected = [];
  const base = { signingKey: KEY, client, onSession: () => {}, onRejected: (r) => rejected.push(r.reason) };
  const post = (body, headers = {}) => new Request('http://x', { method: 'POST', headers, body });
  // A key from an unset environment variable: refused at once, loudly.
  for (const signingKey of [undefined, '', new Uint8Array(0)]) {
    assert.equal(await code(handleWebhook(post('{}'), { ...base, signingKey })), 'invalid_argument');
  }
  // A wrong key: every delivery 401, each one reported.
  const body = SHAPE_2;
  for (let i = 0; i < 5; i++) {
    const r = await handleWebhook(post(body, { 'eka-webhook-signature': header(T, hmac('wrong', T, body)) }), { ...base, toleranceSec: 1e9 });
    assert.equal(r.status, 401);
  }
  assert.deepEqual(rejected.splice(0), Array(5).fill('bad_signature'));
  const stale = await handleWebhook(post(body, { 'eka-webhook-signature': header(T, hmac(KEY, T, body)) }), base);
  assert.equal(stale.status, 401);
  assert.equal((await handleWebhook(post(body), base)).status, 401);
  assert.equal((await handleWebhook(new Request('http://x', { method: 'GET' }), base)).status, 405);
  assert.deepEqual(rejected.splice(0), ['stale', 'malformed', 'method']);
  // Hooks that throw never reject the handler.
  const throwing = { ...base, onRejected: () => { throw new Error('log down'); }, onError: () => { throw new Error('log down'); } };
  assert.equal((await handleWebhook(post(body), throwing)).status, 401);
  const odd = '{"hello":"world"}';
  const n = Math.floor(Date.now() / 1000);
  assert.equal((await handleWebhook(post(odd, { 'eka-webhook-signature': header(n, hmac(KEY, n, odd)) }), throwing)).status, 202);
  // A body that never ends (408) and a dedupe store that never answers (503), at once.
  const trickle = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('{')); } });
  const fresh = header(n, hmac(KEY, n, body));
  const [slow, hung] = await Promise.all([
    handleWebhook(new Request('http://x', { method: 'POST', body: trickle, duplex: 'half' }), base),
    handleWebhook(post(body, { 'eka-webhook-signature': fresh }), { ...base, dedupe: () => new Promise(() => {}) }),
  ]);
  assert.deepEqual([slow.status, hung.status], [408, 503]);
  assert.deepEqual(rejected, ['timeout']);
});

test('malformed headers and options are invalid_argument; a signed payload of neither shape is invalid_response', async () => {
  const sig = hmac(KEY, T, SHAPE_2);
  for (const h of ['', `v1=${sig}`, `t=${T}`, `t=abc,v1=${sig}`, `t=${T},v1=${sig.slice(1)}`, `t=${T};v1=${sig}`]) {
    assert.equal(await code(verify(SHAPE_2, h)), 'invalid_argument', h);
  }
  for (const opts of [undefined, null, 3, {}, { body: JSON.parse(SHAPE_2), signature: 'x', signingKey: KEY }, { body: SHAPE_2, signature: 7, signingKey: KEY }, { body: SHAPE_2, signature: 'x', signingKey: '' }, { body: SHAPE_2, signature: 'x', signingKey: KEY, toleranceSec: -1 }]) {
    assert.equal(await code(verifyWebhook(opts)), 'invalid_argument', JSON.stringify(opts));
  }
  const hostile = new Proxy({}, { get() { throw new Error('trap'); } });
  assert.equal(await code(verifyWebhook(hostile)), 'invalid_argument');
  const odd = '{"hello":"world"}';
  assert.equal(await code(verify(odd, header(T, hmac(KEY, T, odd)))), 'invalid_response');
  const notJson = 'not json';
  assert.equal(await code(verify(notJson, header(T, hmac(KEY, T, notJson)))), 'invalid_response');
});

test('the signing key never appears in an error', async () => {
  const secret = 'whsec_NEVER_ECHO_THIS_1234';
  const cases = [
    verifyWebhook({ body: SHAPE_2, signature: header(T, hmac('x', T, SHAPE_2)), signingKey: secret, now: NOW }),
    verifyWebhook({ body: SHAPE_2, signature: `t=${T},v1=${secret}`, signingKey: secret, now: NOW }),
    verifyWebhook({ body: SHAPE_2, signature: header(T - 999, hmac(secret, T - 999, SHAPE_2)), signingKey: secret, now: NOW }),
  ];
  for (const p of cases) {
    const e = await p.catch((x) => x);
    for (const text of [e.message, e.stack, JSON.stringify(e)]) assert.ok(!text.includes(secret), text);
  }
});

test('the server entry is the whole package too, in ESM and CommonJS', async () => {
  assert.equal(typeof VoiceClient, 'function');
  const cjs = createRequire(import.meta.url)('eka-voice/server');
  assert.equal(typeof cjs.verifyWebhook, 'function');
  const e = await cjs.verifyWebhook({ body: SHAPE_2, signature: header(T, hmac(KEY, T, SHAPE_2)), signingKey: KEY, now: NOW });
  assert.equal(e.sessionId, 'ses_shape2');
});

// handleWebhook against the simulator's real deliveries: signed, of both shapes, one refused
// and retried, one duplicated — and each session fetched exactly once.
test('handleWebhook: real deliveries, retries and duplicates give one Get Session per session', async () => {
  const http = await import('node:http');
  const { createSimulator } = await import('eka-voice/simulator');
  const { handleWebhook } = await import('eka-voice/server');
  const sim = createSimulator();
  const base = await sim.listen(0);
  const client = new VoiceClient({ baseUrl: base, token: 'server-token' });
  const handled = [];
  const errors = [];
  let refuseFirst = true;
  const answers = [];
  const ids = [];
  // A Node http server in front of the Fetch-API handler (Request in, Response out).
  const receiver = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    if (refuseFirst && Buffer.concat(chunks).includes(ids[0] ?? '\0')) {
      refuseFirst = false; // the first delivery of the first session: the provider must retry it
      return res.writeHead(503).end();
    }
    const request = new Request(`http://127.0.0.1${req.url}`, { method: 'POST', headers: req.headers, body: Buffer.concat(chunks) });
    const response = await handleWebhook(request, {
      signingKey: 'whsec_receiver_test',
      client,
      onSession: (s, e) => handled.push([e.sessionId, s.status, e.event]),
      onError: (e) => errors.push(e),
    });
    answers.push(response.status);
    res.writeHead(response.status).end();
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${receiver.address().port}/webhooks/eka`;
  try {
    const sub = await fetch(`${base}/notification/v1/connect/webhook/subscriptions`, {
      method: 'POST',
      headers: { authorization: 'Bearer server-token', 'content-type': 'application/json' },
      body: JSON.stringify({ event_names: ['v2rx.completed'], endpoint, signing_key: 'whsec_receiver_test' }),
    });
    assert.equal(sub.status, 201);
    for (let i = 0; i < 4; i++) {
      const created = await client.createSession({ additionalData: { simulate: { process_ms: 50 } } });
      await client.uploadAudio(created, new Uint8Array([82, 73, 70, 70, 0, 0, 0, 0, 87, 65, 86, 69]));
      await client.endSession(created.session_id);
      ids.push(created.session_id);
    }
    // A forged delivery: answered 401, nothing fetched.
    const forged = await fetch(endpoint, { method: 'POST', headers: { 'eka-webhook-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` }, body: '{"event":"v2rx.completed","data":{"session_id":"ses_forged"}}' });
    assert.equal(forged.status, 401);
    for (let i = 0; i < 100 && handled.length < 4; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300)); // any late duplicate lands too
    assert.deepEqual(handled.map((h) => h[0]).sort(), [...ids].sort(), 'each session handled once');
    assert.ok(handled.every(([, status, event]) => status === 'completed' && event === 'v2rx.completed'));
    assert.deepEqual(errors, []);
    const { deliveries } = await (await fetch(`${base}/__sim/webhooks`)).json();
    assert.ok(deliveries.some((d) => d.attempt === 2), 'a refused delivery was retried');
    assert.ok(deliveries.some((d) => d.duplicate), 'a duplicate was delivered');
    // Every delivery answered 204; the one 401 is the forged request's.
    assert.deepEqual(answers.filter((a) => a !== 204), [401], JSON.stringify(answers));
    assert.ok(answers.length >= 6, 'four sessions, a duplicate, a forgery');
    for (const id of ids) {
      const { requests } = await (await fetch(`${base}/__sim/requests/${id}`)).json();
      assert.equal(requests.filter((r) => r.method === 'GET').length, 1, `one Get Session for ${id}`);
    }
    assert.equal(await code(handleWebhook(new Request('http://x', { method: 'POST', body: '' }), { signingKey: 'k', client })), 'invalid_argument', 'onSession is required');
    // A body over 1 MiB is refused unread (413), declared or streamed.
    const opts = { signingKey: 'k', client, onSession: () => {} };
    const big = new Uint8Array((1 << 20) + 1);
    assert.equal((await handleWebhook(new Request('http://x', { method: 'POST', body: big }), opts)).status, 413);
    const stream = new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(1 << 16)); } });
    assert.equal((await handleWebhook(new Request('http://x', { method: 'POST', body: stream, duplex: 'half' }), opts)).status, 413);
  } finally {
    receiver.close();
    await sim.close();
  }
});

test('clientCredentials: one login for 100 callers, a refresh in the middle of a long poll, re-login, typed errors', async () => {
  const { createSimulator } = await import('eka-voice/simulator');
  const { clientCredentials } = await import('eka-voice/server');
  const sim = createSimulator({ tokenTtlSec: 1, refreshTtlSec: 3 });
  const base = await sim.listen(0);
  const counts = async () => (await fetch(`${base}/__sim/auth`)).json();
  try {
    const secret = 'cs_secret_value_for_tests';
    const getToken = clientCredentials({ clientId: 'client-1', clientSecret: secret, baseUrl: base });
    const tokens = await Promise.all(Array.from({ length: 100 }, () => getToken()));
    assert.equal(new Set(tokens).size, 1, 'one token for all');
    assert.equal((await counts()).logins, 1, 'single flight: one login');
    // A poll of ~2.7 s with a 1 s token: the expired token's 401 asks getToken again,
    // which refreshes; the poll completes.
    const client = new VoiceClient({ baseUrl: base, getToken });
    const r = await client.pollSession(`longpoll.creds-${Date.now()}`, { intervalMs: 100 });
    assert.equal(r.status, 'completed');
    const after = await counts();
    assert.equal(after.logins, 1);
    assert.ok(after.refreshes >= 1, JSON.stringify(after));
    // The service forgets every token (a restart): the refresh is refused, it logs in again.
    await fetch(`${base}/__sim/reset`, { method: 'POST' });
    await new Promise((res) => setTimeout(res, 900));
    const fresh = await getToken();
    assert.match(fresh, /^sim_at_/);
    assert.deepEqual([(await counts()).refreshes, (await counts()).logins], [1, 1], 'a refused refresh, then a login');
    // Wrong credentials: typed, with the service's code, without the secret.
    const wrong = 'wrong_secret_never_echoed';
    const e = await clientCredentials({ clientId: 'client-1', clientSecret: wrong, baseUrl: base })().catch((x) => x);
    assert.ok(e instanceof VoiceApiError);
    assert.deepEqual([e.code, e.status, e.apiCode], ['unauthorized', 401, 'invalid_credentials']);
    for (const text of [e.message, e.stack, JSON.stringify(e)]) assert.ok(!text.includes(wrong));
    // Bad options throw at once.
    for (const bad of [undefined, {}, { clientId: 'x' }, { clientId: 'x', clientSecret: '' }, { clientId: 'x', clientSecret: 'y', baseUrl: 'ftp://x' }]) {
      assert.throws(() => clientCredentials(bad), (x) => x instanceof VoiceApiError && x.code === 'invalid_argument', JSON.stringify(bad));
    }
  } finally {
    await sim.close();
  }
});

test('clientCredentials: a token the service revoked is dropped (one login for all waiters); capped, floored, and timed answers', async () => {
  const http = await import('node:http');
  const { createSimulator } = await import('eka-voice/simulator');
  const { clientCredentials } = await import('eka-voice/server');
  const sim = createSimulator({ tokenTtlSec: 1800 });
  const base = await sim.listen(0);
  const counts = async () => (await fetch(`${base}/__sim/auth`)).json();
  try {
    const getToken = clientCredentials({ clientId: 'client-1', clientSecret: 'cs_secret', baseUrl: base });
    const client = new VoiceClient({ baseUrl: base, getToken });
    await client.getSession(`instant.rev-${Date.now()}`);
    // The service revokes every token (a restart): 30 minutes of life left, yet refused.
    await fetch(`${base}/__sim/reset`, { method: 'POST' });
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => client.getSession(`instant.rev2-${i}`)));
    assert.ok(all.every((r) => r.status === 'completed'));
    assert.equal((await counts()).logins, 1, 'the refused token dropped, one login for all waiters');
  } finally {
    await sim.close();
  }
  // An auth server that answers too much, expires_in 0, or trickles.
  let mode = 'huge';
  let logins = 0;
  const auth = http.createServer((req, res) => {
    logins++;
    if (mode === 'huge') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"pad":"' + 'x'.repeat(1 << 20) + '"}');
    if (mode === 'zero') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `at_${logins}`, expires_in: 0 }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"access_token":');
    const t = setInterval(() => res.write(' '), 1000);
    res.on('close', () => clearInterval(t));
  });
  await new Promise((r) => auth.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${auth.address().port}`;
  try {
    const e = await clientCredentials({ clientId: 'c', clientSecret: 's', baseUrl: url })().catch((x) => x);
    assert.equal(e?.code, 'invalid_response', 'an answer over 64 KiB is not read');
    mode = 'zero';
    const zero = clientCredentials({ clientId: 'c', clientSecret: 's', baseUrl: url });
    logins = 0;
    const first = await zero();
    assert.equal(await zero(), first, 'expires_in 0 does not log in on every call');
    assert.equal(logins, 1);
    mode = 'trickle';
    const slow = await clientCredentials({ clientId: 'c', clientSecret: 's', baseUrl: url })().catch((x) => x);
    // Each request is cut after 10 s and retried; no token within 30 s in all: timeout.
    assert.equal(slow?.code, 'timeout', 'an answer that does not arrive whole in time');
  } finally {
    auth.closeAllConnections?.();
    auth.close();
  }
});

test('clientCredentials: a busy auth service is asked again, as the table says for its login row', async () => {
  const { createSimulator } = await import('eka-voice/simulator');
  const { clientCredentials } = await import('eka-voice/server');
  const sim = createSimulator();
  const base = await sim.listen(0);
  try {
    const getToken = clientCredentials({ clientId: 'client-busy', clientSecret: 'busy_secret', baseUrl: base });
    const token = await getToken();
    assert.match(token, /^sim_at_/);
    const { logins } = await (await fetch(`${base}/__sim/auth`)).json();
    assert.equal(logins, 3, 'two 503s, then the tokens');
  } finally {
    await sim.close();
  }
});

test('pollMany never starves the process: pulls bounded by concurrency, results at once, an abort stops at once', async () => {
  const { VoiceClient: ServerClient } = await import('eka-voice/server');
  const { createSimulator } = await import('eka-voice/simulator');
  const sim = createSimulator();
  const base = await sim.listen(0);
  const client = new ServerClient({ baseUrl: base, token: 't' });
  try {
    // An aborted signal over 300,000 ids: throws at once, a handful pulled.
    let pulled = 0;
    function* many() {
      for (let i = 0; i < 300_000; i++) {
        pulled++;
        yield `instant.${i}`;
      }
    }
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await assert.rejects(async () => {
      for await (const r of client.pollMany(many(), { signal: ac.signal })) void r;
    }, /stop/);
    assert.ok(pulled <= 17, `pulled ${pulled}`);
    // Ids that fail at once, from an endless source: the timers still run.
    let ticked = false;
    setTimeout(() => (ticked = true), 0);
    function* endless() {
      for (;;) yield '..';
    }
    let n = 0;
    for await (const r of client.pollMany(endless(), { concurrency: 4 })) {
      assert.equal(r.error?.code, 'invalid_argument');
      if (++n === 2000) break;
    }
    assert.ok(ticked, 'a timer ran while 2,000 failing ids went by');
    // A result is not held while the async id source waits (here: forever, after one id).
    async function* stalls() {
      yield `instant.once-${Date.now()}`;
      await new Promise(() => {});
    }
    const it = client.pollMany(stalls());
    const first = await it.next();
    assert.equal(first.value.session.status, 'completed');
    await it.return();
    // Aborting in the middle: stops at once, no more ids pulled.
    pulled = 0;
    const mid = new AbortController();
    const seen = [];
    await assert.rejects(async () => {
      for await (const r of client.pollMany(many(), { concurrency: 8, signal: mid.signal })) {
        seen.push(r);
        if (seen.length === 20) mid.abort(new Error('enough'));
      }
    }, /enough/);
    assert.ok(pulled <= 20 + 9, `pulled ${pulled} for 20 results`);
    await assert.rejects(client.pollMany([], { maxRequestsPerSecond: 2 ** 32 + 1 }).next(), /maxRequestsPerSecond/);
  } finally {
    await sim.close();
  }
});

test('pollMany: every id once, in completion order, bounded by concurrency, rate held, 429 pauses the client', async () => {
  const { createSimulator } = await import('eka-voice/simulator');
  const { VoiceClient: ServerClient } = await import('eka-voice/server');
  const sim = createSimulator();
  const base = await sim.listen(0);
  const requests = async (id) => (await (await fetch(`${base}/__sim/requests/${encodeURIComponent(id)}`)).json()).requests;
  try {
    // 1. Every id exactly once, typed; never more than `concurrency` ids taken and unsettled.
    const client = new ServerClient({ baseUrl: base, token: 'many' });
    const kinds = ['complete', 'missing', 'expired', 'instant'];
    const ids = Array.from({ length: 60 }, (_, i) => `${kinds[i % 4]}.many-${i}-${Date.now()}`);
    let pulled = 0;
    let yielded = 0;
    let most = 0;
    async function* source() {
      for (const id of ids) {
        pulled++;
        most = Math.max(most, pulled - yielded);
        yield id;
      }
    }
    const seen = [];
    for await (const r of client.pollMany(source(), { concurrency: 8, intervalMs: 100 })) {
      yielded++;
      seen.push(r);
    }
    assert.equal(seen.length, 60);
    assert.deepEqual(seen.map((r) => r.sessionId).sort(), [...ids].sort());
    assert.ok(most <= 9, `at most concurrency (+1 being pulled) ids in flight: ${most}`);
    for (const r of seen) {
      if (r.sessionId.startsWith('missing')) assert.ok(r.error instanceof VoiceApiError && r.error.code === 'not_found');
      else assert.ok(['completed', 'expired'].includes(r.session.status), r.sessionId);
    }
    assert.ok(seen.findIndex((r) => r.sessionId.startsWith('complete')) > seen.findIndex((r) => r.sessionId.startsWith('instant')), 'completion order');

    // 2. maxRequestsPerSecond: 40 sessions x 3 requests at 50 a second, paced evenly.
    const paced = new ServerClient({ baseUrl: base, token: 'paced' });
    const pacedIds = Array.from({ length: 40 }, (_, i) => `complete.rate-${i}-${Date.now()}`);
    for await (const r of paced.pollMany(pacedIds, { concurrency: 40, maxRequestsPerSecond: 50, intervalMs: 100 })) assert.ok(r.session);
    const times = (await Promise.all(pacedIds.map(requests))).flat().map((q) => q.t).sort((a, b) => a - b);
    assert.equal(times.length, 120);
    // The times are the simulator's (arrivals): the client paces its STARTS (the core's
    // budget, exact on a virtual clock in the host tests), and the way from one to the other
    // jitters by a few ms. 51 arrivals within 950 ms would need 50 ms of jitter; a client
    // that did not pace would send its 40 first requests at once.
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.slice(i).filter((t) => t < times[i] + 950).length;
      assert.ok(inWindow <= 50, `${inWindow} requests within 950 ms at 50 a second`);
    }
    assert.ok(times.at(-1) - times[0] >= 2300, `120 requests at 50/s take >= 2.38 s: ${times.at(-1) - times[0]} ms`);

    // 3. A 429 with Retry-After: 1 pauses the whole client, not one poll.
    const storm = new ServerClient({ baseUrl: base, token: 'storm' });
    const limited = `rate-limited.storm-${Date.now()}`;
    const others = Array.from({ length: 5 }, (_, i) => `instant.storm-${i}-${Date.now()}`);
    const results = [];
    for await (const r of storm.pollMany([limited, ...others], { concurrency: 1, maxRequestsPerSecond: 1000 })) results.push(r);
    assert.equal(results.length, 6);
    const answered429 = (await requests(limited)).find((q) => q.status === 429).answered_at;
    const firstOther = Math.min(...(await Promise.all(others.map(requests))).flat().map((q) => q.t));
    assert.ok(firstOther >= answered429 + 950, `the others waited out the pause: ${firstOther - answered429} ms`);

    // 4. Breaking out stops taking ids.
    let taken = 0;
    function* endless() {
      for (let i = 0; ; i++) {
        taken++;
        yield `instant.endless-${i}-${Date.now()}`;
      }
    }
    let got = 0;
    for await (const r of client.pollMany(endless(), { concurrency: 4 })) {
      assert.ok(r.session);
      if (++got === 3) break;
    }
    const after = taken;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(taken, after, 'no id taken after the loop stopped');
    assert.ok(taken <= 3 + 4 + 1, `${taken} ids taken`);

    // 5. Bad options reject typed.
    for (const bad of [{ concurrency: 0 }, { maxRequestsPerSecond: 0.5 }, { signal: {} }]) {
      const e = await client.pollMany(['instant.x'], bad).next().catch((x) => x);
      assert.ok(e instanceof VoiceApiError && e.code === 'invalid_argument', JSON.stringify(bad));
    }
    const e = await client.pollMany(42).next().catch((x) => x);
    assert.equal(e.code, 'invalid_argument');
  } finally {
    await sim.close();
  }
});

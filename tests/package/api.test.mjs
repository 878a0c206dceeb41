// Tests of the BUILT npm package, installed from its packed tarball into a fresh
// project and imported by name. The simulator's URL comes from EKA_SIM_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { VoiceClient, pollSession, getSession, VoiceApiError, documents, findDocument } from 'eka-voice';
import pkg from 'eka-voice/package.json' with { type: 'json' };

const SIM = process.env.EKA_SIM_URL;
assert.ok(SIM, 'EKA_SIM_URL must be set');
const uid = (scenario) => `${scenario}.${Math.random().toString(36).slice(2)}`;
const client = new VoiceClient({ baseUrl: SIM, token: 'pkg-token' });
const received = async (id) => (await (await fetch(`${SIM}/__sim/requests/${encodeURIComponent(id)}`)).json()).requests;

test('the package exports the documented API', () => {
  assert.equal(pkg.name, 'eka-voice');
  assert.equal(typeof VoiceClient, 'function');
  assert.equal(typeof pollSession, 'function');
  assert.equal(typeof getSession, 'function');
  assert.equal(typeof VoiceApiError, 'function');
  assert.ok(VoiceApiError.prototype instanceof Error, 'VoiceApiError extends Error');
  // The minified class keeps its name: console.log(err) shows it.
  assert.equal(VoiceApiError.name, 'VoiceApiError');
  assert.match(inspect(new VoiceApiError('boom')), /^VoiceApiError: boom/);
  assert.equal(VoiceClient.name, 'VoiceClient');
  assert.match(inspect(new VoiceClient({ token: 'secret-token-1234' })), /^VoiceClient \{\}$/, 'no option on the object');
});

test('pollSession resolves with the body as sent, plus http_status, after progress', async () => {
  const id = uid('complete');
  const progress = [];
  const r = await client.pollSession(id, { intervalMs: 100, onProgress: (s) => progress.push([s.status, s.http_status]) });
  assert.equal(r.status, 'completed');
  assert.equal(r.http_status, 200);
  assert.equal(r.session_id, id);
  assert.equal(typeof r.templates[1].clinical_notes_template.data, 'string');
  assert.deepEqual(r.vendor_extension, { kept: true });
  assert.deepEqual(progress, [['initialized', 202], ['processing', 202]]);
  assert.equal((await received(id)).length, 3);
});

test('one-shot pollSession and getSession', async () => {
  const r = await pollSession(uid('expired'), { baseUrl: SIM, token: 't' });
  assert.equal(r.status, 'expired');
  assert.equal(r.http_status, 410);
  assert.deepEqual(r.templates, {});
  const g = await getSession(uid('complete'), { baseUrl: SIM, token: 't' });
  assert.equal(g.status, 'initialized');
  assert.equal(g.http_status, 202);
});

test('failures reject with VoiceApiError carrying code, status, apiCode, body, sessionId', async () => {
  const id = uid('nothing-here');
  const secret = 'sk-very-secret-token';
  const c = new VoiceClient({ baseUrl: SIM, token: secret });
  const e = await c.pollSession(id).then(() => assert.fail('should reject'), (e) => e);
  assert.ok(e instanceof VoiceApiError);
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'VoiceApiError');
  assert.equal(e.code, 'not_found');
  assert.equal(e.status, 404);
  assert.equal(e.apiCode, 'session_not_found');
  assert.equal(e.sessionId, id);
  assert.equal(e.body.error.code, 'session_not_found');
  assert.match(e.message, /not found \(HTTP 404\): Session .* not found/);
  const json = JSON.stringify(e);
  assert.deepEqual(Object.keys(JSON.parse(json)).sort(), ['apiCode', 'body', 'code', 'message', 'name', 'sessionId', 'status']);
  for (const text of [json, e.stack, String(e), inspect(e, { depth: 5 }), inspect(c)]) assert.ok(!text.includes(secret), text);
});

test('bad arguments: the constructor throws, calls reject, nothing is sent', async () => {
  assert.throws(() => new VoiceClient({ baseUrl: 'http://api.eka.care' }), (e) => e instanceof VoiceApiError && e.code === 'invalid_argument');
  await assert.rejects(client.pollSession(''), (e) => e.code === 'invalid_argument');
  await assert.rejects(client.getSession('x', { templateId: 'a', documentId: 'b' }), (e) => e.code === 'invalid_argument');
  await assert.rejects(pollSession('x', { baseUrl: 'ftp://127.0.0.1' }), (e) => e.code === 'invalid_argument');
});

test('AbortSignal: rejects with its reason, no request after it', async () => {
  const id = uid('never-ends');
  const t0 = Date.now();
  const e = await client.pollSession(id, { signal: AbortSignal.timeout(300), intervalMs: 100 }).catch((e) => e);
  assert.equal(e.name, 'TimeoutError');
  assert.ok(Date.now() - t0 < 600);
  const n = (await received(id)).length;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await received(id)).length, n);
});

test('timeoutMs rejects with code timeout at the deadline', async () => {
  const t0 = Date.now();
  await assert.rejects(client.pollSession(uid('never-ends'), { timeoutMs: 400 }), (e) => e.code === 'timeout');
  const took = Date.now() - t0;
  assert.ok(took >= 390 && took < 700, `took ${took}`);
});

test('getToken (async) is shared by concurrent 401s', async () => {
  let calls = 0;
  const c = new VoiceClient({ baseUrl: SIM, token: 'expired-x', getToken: async () => { calls++; return 'fresh'; } });
  const rs = await Promise.all([1, 2, 3, 4].map(() => c.getSession(uid('instant'))));
  assert.ok(rs.every((r) => r.status === 'completed'));
  assert.equal(calls, 1);
});

test('hundreds of concurrent polls from one client', async () => {
  const ids = Array.from({ length: 200 }, () => uid('complete'));
  const rs = await Promise.all(ids.map((id) => client.pollSession(id, { intervalMs: 50 })));
  assert.ok(rs.every((r, i) => r.status === 'completed' && r.session_id === ids[i]));
});

test('the lifecycle: transcribe fixtures from disk with phased progress', async () => {
  const { readFileSync } = await import('node:fs');
  const dir = process.env.EKA_FIXTURES;
  assert.ok(dir, 'EKA_FIXTURES must name tests/fixtures/audio');
  const parts = ['consultation-part0.wav', 'consultation-part1.wav'].map((f) => readFileSync(`${dir}/${f}`));
  const phases = [];
  const r = await client.transcribe(parts, {
    templates: ['eka_emr_template'],
    additionalData: { simulate: { process_ms: 300 } },
    onProgress: (e) => phases.push(e.phase),
  });
  assert.equal(r.status, 'completed');
  assert.equal(r.templates.length, 1);
  assert.deepEqual([...new Set(phases)].slice(0, 3), ['creating', 'uploading', 'ending']);
  const sim = await (await fetch(`${SIM}/__sim/sessions/${r.session_id}`)).json();
  assert.deepEqual(sim.files.map((f) => f.bytes), parts.map((p) => p.length));
});

test('the lifecycle step by step, and upload_failed', async () => {
  const s = await client.createSession({ additionalData: { simulate: { process_ms: 100 } } });
  assert.equal(s.http_status, 201);
  const u = await client.uploadAudio(s, new Uint8Array([0x4f, 0x67, 0x67, 0x53, 1, 2, 3, 4]));
  assert.equal(u.file_name, 'audio_0.ogg');
  const e = await client.endSession(s.session_id);
  assert.equal(e.status, 'processing');
  const done = await client.pollSession(s.session_id, { intervalMs: 100 });
  assert.equal(done.status, 'completed');
  const err = await client
    .transcribe([new Uint8Array([0x4f, 0x67, 0x67, 0x53, 0]), new Uint8Array([0x4f, 0x67, 0x67, 0x53, 1])], {
      additionalData: { simulate: { fail_chunks: { 0: 9, 1: 9 } } },
      maxRetries: 0,
      allowPartialUpload: true,
    })
    .catch((e) => e);
  assert.ok(err instanceof VoiceApiError);
  assert.equal(err.code, 'upload_failed');
  assert.match(err.message, /audio_0\.ogg, audio_1\.ogg/);
});

test('documents() and findDocument() flatten templates, whatever the session holds', async () => {
  const partial = await client.pollSession(uid('partial'), { intervalMs: 100 });
  const docs = documents(partial);
  assert.deepEqual(
    docs.map((d) => [d.templateId, d.documentId, d.status, d.failed, typeof d.markdown]),
    [
      ['eka_emr_template', 'doc_emr_1', 'partial_success', false, 'undefined'],
      ['clinical_notes_template', 'doc_notes_1', 'failure', true, 'string'],
    ],
  );
  // The very objects of the result: nothing is copied or converted.
  assert.equal(docs[0].data, partial.templates[0].eka_emr_template.data);
  assert.equal(findDocument(partial, 'clinical_notes_template').errors[0].code, 'generation_failed');
  assert.equal(findDocument(partial, 'nope'), undefined);
  const expired = await client.pollSession(uid('expired'));
  assert.deepEqual(documents(expired), [], 'templates {} on a 410');
  const hostile = new Proxy({}, { get() { throw new Error('trap'); } });
  for (const odd of [undefined, null, 3, 'x', {}, { templates: [null, 7, { a: null }, { b: 'text' }] }, hostile]) {
    assert.deepEqual(documents(odd), []);
  }
});

test('onRetry is told of each retry, with the typed error', async () => {
  const seen = [];
  const r = await client.pollSession(uid('rate-limited'), { onRetry: (e) => seen.push(e) });
  assert.equal(r.status, 'completed');
  assert.equal(seen.length, 1);
  assert.deepEqual([seen[0].attempt, seen[0].delayMs, seen[0].error.code, seen[0].error.status], [1, 1000, 'rate_limited', 429]);
  assert.ok(seen[0].error instanceof VoiceApiError);
});

test('every operation of the API is a method; the table\'s own driver performs them from JS', async () => {
  const names = ['getDiscovery', 'createSession', 'uploadAudio', 'getSessionAudio', 'updateSession', 'getSession', 'endSession', 'processTemplate', 'uploadTranscript', 'createTemplate', 'listTemplates', 'updateTemplate', 'deleteTemplate', 'saveDocument', 'getDocument', 'deleteDocument', 'listSessionDocuments', 'getSessions'];
  for (const n of names) assert.equal(typeof VoiceClient.prototype[n], 'function', n);
  const d = await client.getDiscovery();
  assert.equal(d.protocol, 'medscribealliance');
  assert.equal(d.http_status, 200);
  const made = await client.createTemplate({ title: 'From the package', section_ids: ['s1'] });
  const { items } = await client.listTemplates();
  assert.ok(items.some((t) => t.id === made.template_id));
  // A session processed, then another template on it: waits for the document.
  const created = await client.createSession({ templates: ['clinical_notes_template'], additionalData: { simulate: { process_ms: 50 } } });
  await client.uploadAudio(created, new Uint8Array([82, 73, 70, 70, 0, 0, 0, 0, 87, 65, 86, 69]));
  await client.endSession(created.session_id);
  await client.pollSession(created.session_id);
  const seen = [];
  const done = await client.processTemplate(created.session_id, made.template_id, { intervalMs: 100, onProgress: (s) => seen.push(s.status) });
  assert.equal(done.status, 'completed');
  assert.ok(done.templates[0][made.template_id], JSON.stringify(done.templates));
  assert.ok(seen.length >= 1);
  // Typed errors and the operation's own options.
  await assert.rejects(client.getDocument('doc_missing'), (e) => e instanceof VoiceApiError && e.code === 'not_found' && e.status === 404);
  await assert.rejects(client.listTemplates({ oid: 'x' }), (e) => e.code === 'invalid_argument' && /does not take/.test(e.message));
  await assert.rejects(client.createTemplate('not an object'), (e) => e.code === 'invalid_argument');
});

test('transcribe given one recording instead of chunks says how to pass it', async () => {
  for (const recording of [new Uint8Array(12), new ArrayBuffer(12), new Blob([new Uint8Array(12)])]) {
    await assert.rejects(client.transcribe(recording), (e) => e.code === 'invalid_argument' && /pass \[recording\]/.test(e.message));
  }
});

// Every operation of the provider's OpenAPI document, as the INSTALLED package performs it,
// checked by Prism (@stoplight/prism-cli) in validation-proxy mode against the document
// (tests/fixtures/openapi/, the provider's own copy): every request the package sends and
// every answer the simulator gives, with zero violations on either side.
//
// Prism's proxy forwards bodies as text (binary audio arrives mangled: 4096 bytes became
// 8184 when tried), so the bytes never travel through it: a recording front on 127.0.0.1
// sends each request to the simulator as is, then shows Prism the same exchange — the
// request, and (from a replay server that is Prism's upstream) the simulator's very answer.
// Prism's verdict on both comes back in its `sl-violations` header; its log is read too.
//
//   package --> front --> simulator            (the real exchange, bytes untouched)
//                 \--> Prism --> replay          (the same exchange, validated)
//
// EKA_PRISM: the prism binary (the repository's devDependency); EKA_OPENAPI: the document;
// EKA_FIXTURES: the audio fixtures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer as createTcpServer } from 'node:net';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VoiceClient } from 'eka-voice';
import { createSimulator } from 'eka-voice/simulator';

const { EKA_PRISM, EKA_OPENAPI, EKA_FIXTURES } = process.env;
assert.ok(EKA_PRISM && EKA_OPENAPI && EKA_FIXTURES, 'EKA_PRISM, EKA_OPENAPI and EKA_FIXTURES must be set');

// The 18 operations of the document: method and path pattern (a parameter = one segment).
const OPERATIONS = Object.entries({
  discovery: 'GET /voice/v1/.well-known/medscribealliance',
  createSession: 'POST /voice/v1/sessions',
  uploadAudio: 'POST /voice/v1/sessions/{}/audio/{}',
  getSessionAudio: 'GET /voice/v1/sessions/{}/audio',
  updateSession: 'PATCH /voice/v1/sessions/{}',
  getSession: 'GET /voice/v1/sessions/{}',
  endSession: 'POST /voice/v1/sessions/{}/end',
  processTemplate: 'POST /voice/v1/sessions/{}/process/template/{}',
  convertToTemplate: 'POST /voice/api/v1/transaction/{}/convert-to-template',
  createTemplate: 'POST /voice/api/v1/template',
  listTemplates: 'GET /voice/api/v1/template',
  updateTemplate: 'PATCH /voice/api/v1/template/{}',
  deleteTemplate: 'DELETE /voice/api/v1/template/{}',
  saveDocument: 'POST /voice/api/v1/documents',
  getDocument: 'GET /voice/api/v1/documents/{}',
  deleteDocument: 'DELETE /voice/api/v1/documents/{}',
  listSessionDocuments: 'GET /voice/api/v1/sessions/{}',
  getSessions: 'GET /voice/api/v2/transaction/history',
}).map(([name, route]) => {
  const [method, path] = route.split(' ');
  return { name, method, re: new RegExp(`^${path.replaceAll('{}', '[^/]+')}$`) };
});
const operationOf = (method, path) => OPERATIONS.find((o) => o.method === method && o.re.test(path))?.name;

const servers = [];
let sim;
let prism;
let simUrl;
let prismUrl;
let frontUrl;
let prismLog = '';
/** Every exchange the package made: { operation, method, path, status, violations }. */
const exchanges = [];
/** The simulator's answers by exchange number, for the replay server. */
const answers = new Map();
const HOP = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'content-encoding']);
const endToEnd = (headers) => Object.fromEntries([...headers].filter(([k]) => !HOP.has(k.toLowerCase())));

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createTcpServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const listen = (handler) =>
  new Promise((resolve) => {
    const server = createServer((req, res) => handler(req, res).catch((e) => (res.writeHead(599), res.end(String(e)))));
    servers.push(server);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
const bodyOf = async (req) => {
  const parts = [];
  for await (const p of req) parts.push(p);
  return Buffer.concat(parts);
};

/** One request: to the simulator as is, then the exchange shown to Prism; the real answer back. */
async function front(req, res) {
  const body = await bodyOf(req);
  const init = { method: req.method, headers: endToEnd(Object.entries(req.headers)), redirect: 'manual' };
  if (body.length > 0) init.body = body;
  const real = await fetch(simUrl + req.url, init);
  const answer = { status: real.status, headers: endToEnd(real.headers), body: Buffer.from(await real.arrayBuffer()) };
  const n = String(answers.size);
  answers.set(n, answer);
  const checked = await fetch(prismUrl + req.url, { ...init, headers: { ...init.headers, 'x-exchange': n } });
  await checked.arrayBuffer();
  const { pathname } = new URL(req.url, simUrl);
  const violations = JSON.parse(checked.headers.get('sl-violations') ?? '[]');
  // Prism refusing the request itself (a 4xx of its own instead of the answer) is a violation too.
  if (checked.status !== answer.status) violations.push({ location: ['request'], message: `Prism answered ${checked.status}` });
  exchanges.push({ operation: operationOf(req.method, pathname), method: req.method, path: pathname, status: answer.status, violations });
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

/** Prism's upstream: the simulator's answer to the exchange Prism is shown. */
async function replay(req, res) {
  await bodyOf(req);
  const answer = answers.get(req.headers['x-exchange']);
  if (!answer) return void (res.writeHead(502), res.end());
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

before(async () => {
  frontUrl = await listen(front);
  const replayUrl = await listen(replay);
  // The simulator's links (upload_url, audio and document URLs) name the front, so that the
  // package's follow-up requests are checked as well.
  sim = createSimulator({ publicUrl: frontUrl });
  simUrl = await sim.listen(0);
  const port = await freePort();
  prismUrl = `http://127.0.0.1:${port}`;
  prism = spawn(EKA_PRISM, ['proxy', EKA_OPENAPI, replayUrl, '--host', '127.0.0.1', '--port', String(port)], {
    env: { ...process.env, SCARF_ANALYTICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prism.stdout.on('data', (d) => (prismLog += d));
  prism.stderr.on('data', (d) => (prismLog += d));
  const deadline = Date.now() + 60_000;
  while (!/Prism is listening/.test(prismLog)) {
    assert.ok(Date.now() < deadline && prism.exitCode === null, `Prism did not start:\n${prismLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

after(async () => {
  if (process.env.PRISM_DEBUG) console.error(JSON.stringify(exchanges, null, 1));
  prism?.kill();
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  await sim?.close();
});

const wav = () => readFileSync(join(EKA_FIXTURES, 'consultation-part0.wav'));

test('every operation of the document, as the package sends it, through the validation proxy', async () => {
  const client = new VoiceClient({ baseUrl: frontUrl, token: 'prism-token' });
  const discovery = await client.getDiscovery();
  assert.equal(discovery.protocol, 'medscribealliance');

  // The lifecycle: create, upload, change, end, wait, play back.
  const created = await client.createSession({
    templates: ['clinical_notes_template'],
    patientDetails: { oid: 'p_prism', name: 'P. Rism' },
    additionalData: { simulate: { process_ms: 50 } },
  });
  await client.uploadAudio(created, wav());
  await client.updateSession(created.session_id, { patient_details: { oid: 'p_prism', name: 'P. Rism', age: 41 } });
  await client.endSession(created.session_id);
  const done = await client.pollSession(created.session_id, { intervalMs: 100 });
  assert.equal(done.status, 'completed');
  const audio = await client.getSessionAudio(created.session_id);
  assert.equal(audio.http_status, 200);

  // Templates: create, list, update; another template on the finished session; delete.
  const made = await client.createTemplate({ title: 'Prism follow-up', desc: 'checked', section_ids: ['s1'] });
  assert.ok((await client.listTemplates()).items.some((t) => t.id === made.template_id));
  await client.updateTemplate(made.template_id, { title: 'Prism follow-up (2)' });
  const processed = await client.processTemplate(created.session_id, made.template_id, { intervalMs: 100 });
  assert.equal(processed.status, 'completed');
  const converted = await client.uploadTranscript(
    created.session_id,
    { transcript: 'Patient reports a mild fever for two days.', template_id: made.template_id },
    { intervalMs: 100 },
  );
  assert.equal(converted.status, 'completed');

  // Documents: the doctor's corrections saved, read back, listed, deleted.
  const saved = await client.saveDocument({ session_id: created.session_id, template_id: made.template_id, type: 'custom', document_name: 'Corrected notes' });
  const documentId = saved.data.document_id;
  assert.equal((await client.getDocument(documentId)).data.document_id, documentId);
  const listed = await client.listSessionDocuments(created.session_id);
  assert.ok(listed.data.documents.length >= 1);
  await client.deleteDocument(documentId);
  await client.deleteTemplate(made.template_id);

  // History, by patient.
  const history = await client.getSessions({ oid: 'p_prism' });
  assert.ok(history.data.some((s) => s.txn_id === created.session_id));
  // A patient with none: the documented 404 "No sessions found", an empty list for the app.
  const none = await client.getSessions({ oid: 'p_prism_first_visit' });
  assert.deepEqual(none.data, []);

  // A whole consultation through transcribe (chunked uploads, End, the wait).
  const result = await client.transcribe([wav()], { templates: ['clinical_notes_template'], additionalData: { simulate: { process_ms: 50 } } });
  assert.equal(result.status, 'completed');

  // Answers the document declares for mistakes: typed errors, their bodies checked too.
  await assert.rejects(client.getDocument('doc_missing'), (e) => e.code === 'not_found' && e.status === 404);
  await assert.rejects(client.updateSession(created.session_id, { model: 'lite' }), (e) => e.status === 409);
  await assert.rejects(client.getSession('ses_missing'), (e) => e.code === 'not_found');

  const seen = new Set(exchanges.map((e) => e.operation));
  const missing = OPERATIONS.map((o) => o.name).filter((n) => !seen.has(n));
  assert.deepEqual(missing, [], 'every operation went through Prism');
  const outside = exchanges.filter((e) => !e.operation);
  assert.deepEqual(outside, [], 'no request outside the document');
  const violations = exchanges.filter((e) => e.violations.length > 0);
  assert.deepEqual(violations, [], 'no violation, request or answer');
  assert.doesNotMatch(prismLog, /Violation/, 'Prism logged no violation');
});

test('the check can fail: Prism reports a request and an answer that break the document', async () => {
  const from = exchanges.length;
  // A create with an upload_type the document does not know…
  await fetch(`${frontUrl}/voice/v1/sessions`, {
    method: 'POST',
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    body: JSON.stringify({ upload_type: 'carrier-pigeon' }),
  });
  // …and a scripted session whose 200 has a number for its status.
  const scripted = await fetch(`${simUrl}/__sim/scenarios`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'prism-broken', steps: [{ status: 200, body: { session_id: 'prism-broken.1', status: 42 } }] }),
  });
  assert.equal(scripted.ok, true);
  await fetch(`${frontUrl}/voice/v1/sessions/prism-broken.1`, { headers: { authorization: 'Bearer t' } });
  const [create, get] = exchanges.slice(from);
  assert.ok(create.violations.some((v) => v.location[0] === 'request'), JSON.stringify(create));
  assert.ok(get.violations.some((v) => v.location[0] === 'response'), JSON.stringify(get));
  assert.match(prismLog, /Violation/);
});

// The simulator's operations beyond the lifecycle (sim/catalog.mjs), statefully: a template
// created is listed, updated and deleted; a document saved is read back (and its content
// through its presigned URL); Process Template and Upload Transcript answer 202 and their
// document becomes ready; Update Session changes what Get Session says; the history lists
// sessions newest first, by patient.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulator } from '../sim/server.mjs';

let sim;
let SIM;
const auth = { authorization: 'Bearer t', 'content-type': 'application/json' };
before(async () => {
  sim = createSimulator();
  SIM = await sim.listen(0);
});
after(() => sim.close());

const call = async (method, path, body, headers = auth) => {
  const r = await fetch(SIM + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return [r.status, text ? JSON.parse(text) : undefined, r.headers];
};
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

/** A session with one chunk, ended, processed in `ms`. */
async function finished(extra = {}, ms = 50) {
  const [, c] = await call('POST', '/voice/v1/sessions', { upload_type: 'chunked', templates: ['clinical_notes_template'], additional_data: { simulate: { process_ms: ms } }, ...extra });
  const wav = Buffer.alloc(64);
  wav.write('RIFF', 0);
  wav.write('WAVE', 8);
  await fetch(`${SIM}/voice/v1/sessions/${c.session_id}/audio/audio_0.wav`, { method: 'POST', headers: { authorization: 'Bearer t' }, body: wav });
  await call('POST', `/voice/v1/sessions/${c.session_id}/end`, { audio_files_sent: 1 });
  return c.session_id;
}

test('discovery is public and cacheable; the whole recording is a URL once combined', async () => {
  const [status, d, headers] = await call('GET', '/voice/v1/.well-known/medscribealliance', undefined, {});
  assert.equal(status, 200);
  assert.equal(d.protocol, 'medscribealliance');
  assert.equal(d.capabilities.max_chunk_duration_seconds, 20);
  assert.equal(headers.get('cache-control'), 'max-age=10800');
  const id = await finished({}, 200);
  assert.equal((await call('GET', `/voice/v1/sessions/${id}/audio`))[0], 404, 'not combined yet');
  await wait(250);
  const [ok, audio] = await call('GET', `/voice/v1/sessions/${id}/audio`);
  assert.equal(ok, 200);
  const bytes = await (await fetch(audio.audio_url)).arrayBuffer();
  assert.equal(bytes.byteLength, 64);
  assert.equal((await call('GET', '/voice/v1/sessions/nope/audio'))[0], 404);
});

test('update session: known fields only; mode and model only before End', async () => {
  const [, c] = await call('POST', '/voice/v1/sessions', { upload_type: 'chunked' });
  const id = c.session_id;
  assert.deepEqual((await call('PATCH', `/voice/v1/sessions/${id}`, { patient_details: { oid: 'PAT-9', name: 'R. K.' }, model: 'lite' }))[0], 200);
  assert.equal((await call('PATCH', `/voice/v1/sessions/${id}`, { colour: 'blue' }))[0], 422);
  const [, got] = await call('GET', `/voice/v1/sessions/${id}`);
  assert.equal(got.patient_details.oid, 'PAT-9');
  await call('POST', `/voice/v1/sessions/${id}/end`, { audio_files_sent: 0 });
  assert.equal((await call('PATCH', `/voice/v1/sessions/${id}`, { model: 'pro' }))[0], 409);
});

test('process template and upload transcript: 202, then the document is ready', async () => {
  const id = await finished();
  await wait(80);
  const [s, p] = await call('POST', `/voice/v1/sessions/${id}/process/template/eka_emr_template`);
  assert.equal(s, 202);
  assert.equal(p.status, 'in-progress');
  const [pending] = await call('GET', `/voice/v1/sessions/${id}?document_id=${p.document_id}`);
  assert.equal(pending, 202);
  await wait(350);
  const [done, body] = await call('GET', `/voice/v1/sessions/${id}?document_id=${p.document_id}`);
  assert.equal(done, 200);
  assert.equal(body.templates[0].eka_emr_template.document_id, p.document_id);
  assert.equal((await call('POST', `/voice/v1/sessions/${id}/process/template/no_such`))[0], 404);
  const [t, tr] = await call('POST', `/voice/api/v1/transaction/${id}/convert-to-template`, { transcript: 'Doctor: hello', template_id: 'clinical_notes_template' });
  assert.equal(t, 202);
  assert.deepEqual(tr.templates, [{ template_id: 'clinical_notes_template', document_id: tr.document_id }]);
  assert.equal((await call('POST', `/voice/api/v1/transaction/${id}/convert-to-template`, {}))[0], 400);
  const [, listed] = await call('GET', `/voice/api/v1/sessions/${id}`);
  assert.deepEqual(listed.data.documents.map((d) => d.document_id).sort(), [p.document_id, tr.document_id].sort());
});

test('templates: created, listed, updated, deleted', async () => {
  const [s, c] = await call('POST', '/voice/api/v1/template', { title: 'Follow-up', desc: 'Short notes', section_ids: ['sec_a'] });
  assert.equal(s, 201);
  assert.equal((await call('POST', '/voice/api/v1/template', { title: 'x' }))[0], 422);
  let [, list] = await call('GET', '/voice/api/v1/template');
  assert.ok(list.items.some((t) => t.id === c.template_id && t.title === 'Follow-up'));
  assert.equal((await call('PATCH', `/voice/api/v1/template/${c.template_id}`, { title: 'Follow-up v2' }))[0], 200);
  [, list] = await call('GET', '/voice/api/v1/template');
  assert.equal(list.items.find((t) => t.id === c.template_id).title, 'Follow-up v2');
  assert.equal((await call('DELETE', `/voice/api/v1/template/${c.template_id}`))[0], 200);
  assert.equal((await call('DELETE', `/voice/api/v1/template/${c.template_id}`))[0], 404);
  [, list] = await call('GET', '/voice/api/v1/template');
  assert.ok(!list.items.some((t) => t.id === c.template_id));
});

test('documents: saved, content through the presigned URL, updated, read back, deleted', async () => {
  const id = await finished();
  const [s, saved] = await call('POST', '/voice/api/v1/documents', { session_id: id, type: 'custom', document_name: 'Edited note' });
  assert.equal(s, 201);
  const doc = saved.data;
  assert.equal(doc.document_name, 'Edited note');
  await fetch(doc.presigned_url, { method: 'PUT', body: '# Edited note\n\nRest and fluids.' });
  assert.equal((await call('POST', '/voice/api/v1/documents', { session_id: id, document_id: doc.document_id, document_name: 'Edited note v2', status: 'success' }))[0], 201);
  const [, got] = await call('GET', `/voice/api/v1/documents/${doc.document_id}`);
  assert.equal(got.data.document_name, 'Edited note v2');
  assert.equal(await (await fetch(got.data.presigned_url)).text(), '# Edited note\n\nRest and fluids.');
  assert.equal((await call('POST', '/voice/api/v1/documents', { document_name: 'no session' }))[0], 422);
  assert.equal((await call('DELETE', `/voice/api/v1/documents/${doc.document_id}`))[0], 200);
  assert.equal((await call('GET', `/voice/api/v1/documents/${doc.document_id}`))[0], 404);
});

test('history: newest first, by patient, capped; none is 404', async () => {
  const a = await finished({ patient_details: { oid: 'PAT-H1' } });
  const b = await finished({ patient_details: { oid: 'PAT-H1' } });
  await finished({ patient_details: { oid: 'PAT-H2' } });
  const [s, h] = await call('GET', '/voice/api/v2/transaction/history?oid=PAT-H1');
  assert.equal(s, 200);
  assert.deepEqual(h.data.map((x) => x.txn_id), [b, a]);
  const [, one] = await call('GET', '/voice/api/v2/transaction/history?count=1');
  assert.equal(one.retrieved_count, 1);
  assert.equal((await call('GET', '/voice/api/v2/transaction/history?oid=nobody'))[0], 404);
  // Every one of these needs the token.
  assert.equal((await call('GET', '/voice/api/v2/transaction/history', undefined, {}))[0], 401);
});

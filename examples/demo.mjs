// The demo: synthesises a few seconds of audio (WAV chunks, as a recorder would produce
// them), transcribes them against the simulator with a progress bar, and prints the
// completed session: transcript and each template's data.
//
//   npm run demo                        (builds, starts the simulator, runs this)
//   npm run demo -- --poll partial.1    (polls a scripted session instead)
//   npm run demo -- --webhook           (no polling: the simulator's signed webhook says
//                                        when the session is done; eka-voice/server's
//                                        handleWebhook verifies it and fetches it once)
//   EKA_SIM_URL=http://127.0.0.1:8787 node examples/demo.mjs
import http from 'node:http';
import { VoiceClient, VoiceApiError } from '../pkg/node.mjs';

const baseUrl = process.env.EKA_SIM_URL || 'http://127.0.0.1:8787';
const client = new VoiceClient({ baseUrl, getToken: async () => 'demo-token' });
const tty = process.stdout.isTTY;
const t0 = Date.now();
const clock = () => `${((Date.now() - t0) / 1000).toFixed(1).padStart(4)} s`;
const line = (text) => (tty ? process.stdout.write(`\r\x1b[K${text}`) : console.log(text));

/** A mono 16 kHz 16-bit PCM WAV of `seconds` of a soft two-tone "voice". */
function wav(seconds, pitch) {
  const rate = 16_000;
  const n = Math.round(seconds * rate);
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const envelope = Math.sin(Math.PI * ((t * 3) % 1)) ** 2; // syllables
    const s = envelope * (0.5 * Math.sin(2 * Math.PI * pitch * t) + 0.2 * Math.sin(2 * Math.PI * pitch * 2.01 * t));
    buf.writeInt16LE(Math.round(s * 12_000), 44 + i * 2);
  }
  return buf;
}

/** A "recorder": yields one chunk every 300 ms while the consultation goes on. */
async function* recorder(chunks) {
  for (const c of chunks) {
    await new Promise((r) => setTimeout(r, 300));
    yield c;
  }
}

function bar(done, total, width = 24) {
  const filled = total ? Math.round((done / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

function printResult(result) {
  console.log(`\n${clock()}  HTTP ${result.http_status}  status=${result.status}  session ${result.session_id}\n`);
  switch (result.status) {
    case 'completed':
    case 'partial':
      console.log(`model: ${result.model_used}   language: ${result.language_detected}   audio files: ${result.audio_files.join(', ')}`);
      console.log(`transcript:\n  ${result.transcript}\n`);
      for (const entry of result.templates) {
        for (const [templateId, doc] of Object.entries(entry)) {
          console.log(`template ${templateId} (${doc.status}, ${doc.document_id}):`);
          const text = typeof doc.data === 'string' ? doc.data : JSON.stringify(doc.data, null, 2);
          console.log(text.split('\n').map((l) => `  ${l}`).join('\n') + '\n');
        }
      }
      if (result.status === 'partial') console.log('processing errors:', result.processing_errors);
      if (result.missing_chunks) console.log('missing chunks:', result.missing_chunks);
      break;
    case 'failed':
      console.log('processing failed:', result.error);
      break;
    case 'expired':
      console.log('the session expired:', result.message);
      break;
  }
}

async function transcribeDemo() {
  const chunks = [wav(1.5, 180), wav(1.5, 220), wav(1.5, 200)];
  const total = chunks.reduce((s, c) => s + c.length, 0);
  console.log(`eka-voice demo: transcribing ${chunks.length} synthesised WAV chunks (${(total / 1024).toFixed(0)} KB) at ${baseUrl}\n`);
  const result = await client.transcribe(recorder(chunks), {
    templates: ['eka_emr_template', 'clinical_notes_template'],
    model: 'pro',
    languageHint: ['en'],
    patientDetails: { oid: 'demo_patient', name: 'A. Patient' },
    additionalData: { simulate: { process_ms: 2500, hold_max_ms: 1000 } }, // the simulator's processing time and long-poll hold
    intervalMs: 1000,
    onProgress: (e) => {
      if (e.phase === 'creating') line(`${clock()}  creating a session…`);
      if (e.phase === 'uploading') {
        const kb = (e.bytesDone / 1024).toFixed(0);
        line(`${clock()}  uploading ${bar(e.chunksDone, chunks.length)} ${e.chunksDone}/${chunks.length} chunks, ${kb} KB`);
      }
      if (e.phase === 'ending') {
        if (tty) process.stdout.write('\n');
        line(`${clock()}  ending the session: processing starts`);
      }
      if (e.phase === 'processing') line(`${clock()}  processing… HTTP ${e.snapshot.http_status} status=${e.snapshot.status}`);
    },
  });
  printResult(result);
}

async function webhookDemo() {
  const { VoiceClient: ServerClient, handleWebhook } = await import('../pkg/server.js');
  const signingKey = `whsec_demo_${Date.now().toString(36)}`;
  const server = new ServerClient({ baseUrl, token: 'demo-token' });
  let done;
  const result = new Promise((resolve) => (done = resolve));
  const options = {
    signingKey,
    client: server,
    onSession: (session, event) => {
      line(`${clock()}  webhook: ${event.event} for ${event.sessionId}, signature verified; one Get Session -> ${session.status}`);
      done(session);
    },
    onError: (e) => console.error('\nwebhook error:', e),
  };
  // The backend's receiver: Node's http in front of the Fetch-API handler, on 127.0.0.1.
  const receiver = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: 'POST', headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead((await handleWebhook(request, options)).status).end();
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${receiver.address().port}/webhooks/eka`;
  try {
    console.log(`eka-voice demo: webhooks instead of polling, at ${baseUrl}\n`);
    const sub = await fetch(`${baseUrl}/notification/v1/connect/webhook/subscriptions`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-token', 'content-type': 'application/json' },
      body: JSON.stringify({ event_names: ['v2rx.completed'], endpoint, signing_key: signingKey }),
    });
    if (sub.status !== 201) throw new Error(`subscription refused: HTTP ${sub.status}`);
    console.log(`${clock()}  subscribed ${endpoint} to v2rx.completed (signed)`);
    const created = await client.createSession({
      templates: ['eka_emr_template', 'clinical_notes_template'],
      additionalData: { simulate: { process_ms: 1500 } },
    });
    for (const chunk of [wav(1.5, 180), wav(1.5, 220)]) await client.uploadAudio(created, chunk);
    await client.endSession(created.session_id);
    console.log(`${clock()}  session ${created.session_id}: 2 chunks uploaded, ended; waiting for the webhook (no polling)`);
    printResult(await result);
  } finally {
    receiver.close();
  }
}

async function pollDemo(sessionId) {
  console.log(`eka-voice demo: polling session ${sessionId} at ${baseUrl}\n`);
  const result = await client.pollSession(sessionId, {
    onProgress: (s) => line(`${clock()}  HTTP ${s.http_status}  status=${s.status}`),
  });
  printResult(result);
}

try {
  const i = process.argv.indexOf('--poll');
  if (i >= 0) await pollDemo(process.argv[i + 1] || `longpoll.demo-${Date.now().toString(36)}`);
  else if (process.argv.includes('--webhook')) await webhookDemo();
  else await transcribeDemo();
} catch (e) {
  if (e instanceof VoiceApiError) {
    console.error(`\nVoiceApiError ${e.code}${e.status ? ` (HTTP ${e.status})` : ''}: ${e.message}`);
    process.exitCode = 1;
  } else {
    throw e;
  }
}

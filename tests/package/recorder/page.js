// The recorder in headless Chromium with a fake microphone playing fake-mic.mjs's input
// (sentences with 800 ms pauses): record → transcribe (chunks uploaded live) → the
// simulator → completed, and the recorder's promises about what it records and releases.
import { createRecorder, listRecordings, resumeTranscription, discardRecording, splitRecording } from 'eka-voice/recorder';
import { VoiceApiError, VoiceClient } from 'eka-voice';

const params = new URLSearchParams(location.search);
const sim = params.get('sim');
const mode = params.get('mode') ?? 'record';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const results = [];
async function check(name, fn) {
  try {
    await fn();
    results.push({ name, ok: true });
  } catch (e) {
    results.push({ name, ok: false, error: String(e?.stack ?? e) });
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
async function rejectsWith(promise, code) {
  const e = await promise.then(() => undefined, (e) => e);
  assert(e instanceof VoiceApiError, `expected VoiceApiError ${code}, got ${e}`);
  assert(e.code === code, `expected ${code}, got ${e.code}: ${e.message}`);
}
function throwsWith(fn, code) {
  return rejectsWith(Promise.resolve().then(fn), code);
}

/** RMS level (dBFS) of 16-bit samples of a WAV's data from `from` to `to` (samples). */
function dbfs(wav, from, to) {
  const s = new Int16Array(wav.buffer, wav.byteOffset + 44, (wav.byteLength - 44) / 2);
  const part = s.subarray(Math.max(0, from), Math.min(s.length, to));
  let sum = 0;
  for (const x of part) sum += x * x;
  return 10 * Math.log10(sum / Math.max(1, part.length) / 32768 ** 2 + 1e-12);
}

async function recordCases() {
  await check('options of the wrong type, a typo, or a throwing Proxy: invalid_argument at once', async () => {
    await throwsWith(() => createRecorder({ maxChunkMs: '20000' }), 'invalid_argument');
    await throwsWith(() => createRecorder({ maxChunkMS: 20000 }), 'invalid_argument');
    await throwsWith(() => createRecorder(7), 'invalid_argument');
    const hostile = new Proxy({}, { get() { throw new Error('boom'); } });
    await throwsWith(() => createRecorder(hostile), 'invalid_argument');
  });
  await check('options out of range: invalid_argument before the microphone is asked for', async () => {
    for (const o of [{ maxChunkMs: 60000 }, { preferAfterMs: 18000, acceptAfterMs: 15000 }, { vadThreshold: 2 }]) {
      const r = createRecorder(o);
      await rejectsWith(r.start(), 'invalid_argument');
      assert(r.stream === null && r.state === 'inactive', `state ${r.state}`);
    }
  });
  await check('record → transcribe live → simulator: completed, every chunk uploaded as cut', recordAndTranscribe);
  await check('a muted track: nosignal, then signalback; a lost device: the default one records on', async () => {
    const r = createRecorder({ noSignalAfterMs: 1000 });
    const seen = [];
    for (const type of ['nosignal', 'signalback', 'devicelost', 'devicechange']) r.addEventListener(type, (e) => seen.push([type, e.detail.reason]));
    let samples = 0;
    r.addEventListener('chunk', (e) => (samples += (e.detail.bytes.byteLength - 44) / 2));
    await r.start();
    await sleep(700);
    const first = r.stream.getAudioTracks()[0];
    first.enabled = false; // a muted track delivers digital silence
    await sleep(2000);
    first.enabled = true;
    await sleep(1500);
    first.dispatchEvent(new Event('ended')); // what the browser fires when the device goes away
    await sleep(1500);
    const second = r.stream?.getAudioTracks()[0];
    const { durationMs } = await r.stop();
    const kinds = seen.map(([t]) => t).join();
    assert(kinds === 'nosignal,signalback,devicelost,devicechange', kinds);
    assert(seen[3][1] === 'lost' && second && second !== first, `replaced: ${second !== first}`);
    assert(first.readyState === 'ended' && second.readyState === 'ended', 'both tracks stopped');
    assert(durationMs > 5000 && Math.abs(samples - durationMs * 16) <= 2, `${samples} samples for ${durationMs} ms`);
  });
  await check('an unknown deviceId falls back to the default microphone (devicechange)', async () => {
    const r = createRecorder({ deviceId: 'no-such-device' });
    const changes = [];
    r.addEventListener('devicechange', (e) => changes.push(e.detail));
    await r.start();
    await rejectsWith(r.start(), 'invalid_argument');
    await sleep(600);
    const { durationMs } = await r.stop();
    assert(changes.length === 1 && changes[0].reason === 'fallback', JSON.stringify(changes));
    assert(durationMs > 300, `recorded ${durationMs} ms`);
  });
}

async function recordAndTranscribe() {
  const client = new VoiceClient({ baseUrl: sim, token: 'browser-token' });
  // Shorter chunks than the defaults, so that ~16 s of recording makes several cuts.
  const rec = createRecorder({ preferAfterMs: 3000, acceptAfterMs: 5000, maxChunkMs: 7000 });
  const chunks = [];
  const counts = { level: 0, speechstart: 0, speechend: 0, paused: 0, resumed: 0, nosignal: 0 };
  rec.addEventListener('chunk', (e) => chunks.push(e.detail));
  for (const type of Object.keys(counts)) rec.addEventListener(type, () => counts[type]++);
  await rec.start();
  const stream = rec.stream;
  assert(stream && stream.getAudioTracks()[0].readyState === 'live', 'a live track while recording');
  const transcription = client.transcribe(rec.chunks(), { templates: ['clinical_notes_template'] });
  await sleep(8000);
  rec.pause();
  await sleep(1500);
  rec.resume();
  await sleep(8000);
  const summary = await rec.stop();
  const result = await transcription;

  // Stop released the microphone: every track ended (the recording indicator goes off).
  assert(stream.getTracks().every((t) => t.readyState === 'ended'), 'tracks still live after stop');
  assert(rec.stream === null && rec.state === 'stopped', `state ${rec.state}`);
  // What was recorded: ~16 s (the 1.5 s pause excluded), nothing dropped, nothing lost.
  assert(Math.abs(summary.durationMs - 16000) < 1200, `recorded ${summary.durationMs} ms`);
  assert(summary.droppedFrames === 0, `${summary.droppedFrames} frames dropped`);
  const samples = chunks.reduce((n, c) => n + (c.bytes.byteLength - 44) / 2, 0);
  assert(Math.abs(samples - (summary.durationMs * 16)) <= 2, `chunks ${samples} samples, recorded ${summary.durationMs} ms`);
  assert(chunks.length >= 3 && chunks.every((c, i) => c.index === i), `chunks ${chunks.map((c) => c.index)}`);
  assert(chunks.at(-1).cut === 'end', `last cut ${chunks.at(-1).cut}`);
  // Each cut lies in a pause of the input: quiet on both sides, and never forced here.
  for (let i = 0; i + 1 < chunks.length; i++) {
    const a = chunks[i].bytes;
    const before = dbfs(a, (a.byteLength - 44) / 2 - 800, (a.byteLength - 44) / 2);
    const after = dbfs(chunks[i + 1].bytes, 0, 800);
    assert(chunks[i].cut === 'pause' || chunks[i].cut === 'short-pause', `cut ${i} ${chunks[i].cut}`);
    assert(before < -45 && after < -45, `cut ${i} not in a pause: ${before.toFixed(1)} / ${after.toFixed(1)} dBFS`);
  }
  // Events for a UI: ~20 levels a second, speech edges, pause and resume.
  assert(Math.abs(counts.level - 20 * 16) < 40, `${counts.level} levels`);
  assert(counts.speechstart >= 5 && counts.speechend >= 5, JSON.stringify(counts));
  assert(counts.paused === 1 && counts.resumed === 1 && counts.nosignal === 0, JSON.stringify(counts));
  // The service has every chunk, byte for byte, and the session completed.
  assert(result.status === 'completed', `status ${result.status}`);
  const s = await (await fetch(`${sim}/__sim/sessions/${result.session_id}`)).json();
  const sizes = s.files.map((f) => f.bytes).join();
  assert(sizes === chunks.map((c) => c.bytes.byteLength).join(), `service ${sizes}`);
}

async function deniedCases() {
  await check('a denied microphone: permission_denied, nothing left open', async () => {
    const r = createRecorder();
    await rejectsWith(r.start(), 'permission_denied');
    assert(r.stream === null && r.state === 'inactive', `state ${r.state}`);
  });
}

async function noMicrophoneCases() {
  await check('no microphone at all: no_microphone, nothing left open', async () => {
    const r = createRecorder();
    await rejectsWith(r.start(), 'no_microphone');
    assert(r.stream === null && r.state === 'inactive', `state ${r.state}`);
  });
}

async function insecureCases() {
  await check('an insecure context: insecure_context', async () => {
    assert(!isSecureContext, 'the page should not be a secure context');
    await rejectsWith(createRecorder().start(), 'insecure_context');
  });
}

// A reload in the middle: the first page records with transcribe() (chunks stored, some
// uploaded), then the browser navigates away without stop(); the second page finds the
// recording with listRecordings() and finishes it with resumeTranscription().
async function reloadFirst() {
  const client = new VoiceClient({ baseUrl: sim, token: 'browser-token' });
  const rec = createRecorder({ preferAfterMs: 2000, acceptAfterMs: 3000, maxChunkMs: 4000 });
  const sizes = [];
  const uploaded = new Set();
  rec.addEventListener('chunk', (e) => sizes.push(e.detail.bytes.byteLength));
  rec.addEventListener('uploaded', (e) => uploaded.add(e.detail.index));
  await rec.start();
  rec.transcribe(client, { templates: ['clinical_notes_template'] }).catch(() => {});
  assert(rec.handle && typeof rec.handle.recordingId === 'string', 'a handle once transcribe() began');
  await throwsWith(() => rec.chunks(), 'invalid_argument');
  await sleep(9000);
  rec.pause();
  await sleep(500);
  const stored = (await listRecordings()).find((r) => r.recordingId === rec.handle.recordingId);
  assert(stored && sizes.length >= 2, `stored ${JSON.stringify(stored)}, cut ${sizes.length}`);
  assert(stored.sessionId === rec.handle.sessionId && /^evs_/.test(stored.sessionId), `the client-chosen session id ${stored.sessionId}`);
  // Uploaded while recording: the service already has some, the page keeps the rest.
  assert(uploaded.size >= 1, `uploaded ${uploaded.size} of ${sizes.length} while recording`);
  return { handle: JSON.parse(JSON.stringify(rec.handle)), sizes, uploaded: uploaded.size };
}

async function reloadSecond() {
  const first = JSON.parse(params.get('first'));
  await check('after a reload: the stored recording is listed and resumeTranscription completes it, no chunk missing', async () => {
    const client = new VoiceClient({ baseUrl: sim, token: 'browser-token' });
    const listed = (await listRecordings()).find((r) => r.recordingId === first.handle.recordingId);
    assert(listed && listed.sessionId === first.handle.sessionId, `listed ${JSON.stringify(listed)}`);
    const result = await resumeTranscription(client, first.handle);
    assert(result.status === 'completed', `status ${result.status}`);
    const s = await (await fetch(`${sim}/__sim/sessions/${result.session_id}`)).json();
    // The service has audio_0 … audio_{n-1}, each the size it was recorded with — and, when
    // the chunk being recorded at the reload had been stored as it grew, that one too.
    const names = s.files.map((f) => f.name).join();
    const sizes = s.files.slice(0, first.sizes.length).map((f) => f.bytes).join();
    assert(names === s.files.map((_, i) => `${i}.wav`).join() && s.files.length - first.sizes.length <= 1, `service ${names}, ${first.sizes.length} cut`);
    assert(sizes === first.sizes.join(), `service ${sizes}, recorded ${first.sizes}`);
    assert(!(await listRecordings()).some((r) => r.recordingId === first.handle.recordingId), 'the recording is forgotten once done');
    await rejectsWith(resumeTranscription(client, first.handle), 'not_found');
    await rejectsWith(resumeTranscription(client, { recordingId: 7 }), 'invalid_argument');
    await discardRecording(first.handle);
  });
}

// Pre-recorded files: a 70 s WAV (sentences with 800 ms pauses) read piece by piece and
// cut by the core; a WebM decoded by the browser; what is not audio.
async function splitCases() {
  const client = new VoiceClient({ baseUrl: sim, token: 'browser-token' });
  const file = await (await fetch('/split.wav')).blob();
  await check('a long WAV file: chunks of at most 20 s cut in pauses, the whole file, transcribed', async () => {
    const chunks = [];
    for await (const c of splitRecording(file)) chunks.push(c);
    const lengths = chunks.map((c) => (c.byteLength - 44) / 2);
    assert(lengths.reduce((a, b) => a + b, 0) === (file.size - 44) / 2, `samples ${lengths}`);
    assert(chunks.length >= 4 && lengths.every((n) => n <= 20 * 16000), `lengths ${lengths}`);
    for (let i = 0; i + 1 < chunks.length; i++) {
      const before = dbfs(chunks[i], lengths[i] - 800, lengths[i]);
      const after = dbfs(chunks[i + 1], 0, 800);
      assert(before < -60 && after < -60, `cut ${i} not in a pause: ${before.toFixed(1)} / ${after.toFixed(1)}`);
    }
    const result = await client.transcribe(splitRecording(file), { templates: ['clinical_notes_template'] });
    const s = await (await fetch(`${sim}/__sim/sessions/${result.session_id}`)).json();
    assert(result.status === 'completed' && s.files.length === chunks.length, `status ${result.status}, ${s.files.length} files`);
  });
  await check('a WAV with 2 MiB of metadata before its samples: read on past it, every sample', async () => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const list = new Uint8Array(8 + (2 << 20)).fill(109);
    list.set(new TextEncoder().encode('LIST'), 0);
    new DataView(list.buffer).setUint32(4, 2 << 20, true);
    const big = new Blob([bytes.subarray(0, 36), list, bytes.subarray(36)]);
    let samples = 0;
    for await (const c of splitRecording(big)) samples += (c.byteLength - 44) / 2;
    assert(samples === (file.size - 44) / 2, `${samples} samples of ${(file.size - 44) / 2}`);
  });
  await check('another format is decoded by the browser and cut the same way', async () => {
    const webm = await (await fetch('/fixtures/consultation.webm')).arrayBuffer();
    const chunks = [];
    for await (const c of splitRecording(new Uint8Array(webm))) chunks.push(c);
    const seconds = (chunks[0].byteLength - 44) / 2 / 16000;
    assert(chunks.length === 1 && Math.abs(seconds - 3) < 0.1, `${chunks.length} chunks, ${seconds} s`);
  });
  await check('what is not audio: invalid_audio, before any session; bad rules: invalid_argument', async () => {
    const drain = async (it) => { for await (const _ of it); };
    await rejectsWith(drain(splitRecording(new Uint8Array(1000).fill(7))), 'invalid_audio');
    await rejectsWith(drain(splitRecording(new TextEncoder().encode('RIFF\0\0\0\0WAVEjunk'))), 'invalid_audio');
    // transcribe(splitRecording(<not audio>)): the first chunk fails before a session is
    // created — the token source, asked before any request, is never called.
    let asked = 0;
    const counted = new VoiceClient({ baseUrl: sim, getToken: () => (asked++, 'browser-token') });
    const pdf = new Blob(['%PDF-1.7 a referral letter, not a consultation'], { type: 'application/pdf' });
    await rejectsWith(counted.transcribe(splitRecording(pdf)), 'invalid_audio');
    assert(asked === 0, `${asked} requests were about to be sent`);
    await rejectsWith(drain(splitRecording(file, { maxChunkMs: 30000 })), 'invalid_argument');
    await rejectsWith(drain(splitRecording('a string')), 'invalid_argument');
  });
  await check("the service's Discovery fits the rules: a shorter longest chunk, no WAV refused", async () => {
    const client = new VoiceClient({ baseUrl: sim, token: 'browser-token' });
    const discovery = await client.getDiscovery();
    const short = { ...discovery, capabilities: { ...discovery.capabilities, max_chunk_duration_seconds: 8 } };
    const lengths = [];
    for await (const c of splitRecording(file, { discovery: short })) lengths.push((c.byteLength - 44) / 2);
    assert(lengths.length > 4 && lengths.every((n) => n <= 8 * 16000), `lengths ${lengths}`);
    assert(lengths.reduce((a, b) => a + b, 0) === (file.size - 44) / 2, `samples ${lengths}`);
    // The simulator's own answer (20 s, WAV listed) changes nothing.
    let plain = 0;
    for await (const _ of splitRecording(file, { discovery })) plain++;
    assert(plain >= 4 && plain < lengths.length, `${plain} chunks with the service's 20 s`);
    const drain = async (it) => { for await (const _ of it); };
    const noWav = { capabilities: { audio_formats: ['audio/webm;codecs=opus'] } };
    await rejectsWith(drain(splitRecording(file, { discovery: noWav })), 'invalid_argument');
    await rejectsWith(createRecorder({ discovery: noWav }).start(), 'invalid_argument');
  });
}

window.__results = (async () => {
  if (mode === 'split') await splitCases();
  else if (mode === 'reload1') return reloadFirst();
  else if (mode === 'reload2') await reloadSecond();
  else if (mode === 'record') await recordCases();
  else if (mode === 'denied') await deniedCases();
  else if (mode === 'nomic') await noMicrophoneCases();
  else await insecureCases();
  return results.map((r) => ({ ...r, name: `${mode}: ${r.name}` }));
})();

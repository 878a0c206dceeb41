// The outage suite's page: the recorder with a fake microphone, `recorder.transcribe` through
// a TCP switch (outage/switch.mjs) the page's harness turns off and on. Nothing here retries:
// the only calls are recorder.transcribe (and one resumeTranscription after a reopened page).
// Each case ends in a completed session whose every chunk the simulator stored is the one the
// recorder cut, byte for byte (sha256), in order.
import { createRecorder, listRecordings, resumeTranscription, discardRecording } from 'eka-voice/recorder';
import { VoiceApiError, VoiceClient } from 'eka-voice';

const params = new URLSearchParams(location.search);
const sim = params.get('sim');
const net = params.get('net');
const control = params.get('control');
const mode = params.get('mode');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const setNet = (m) => fetch(`${control}/mode/${m}`, { method: 'POST' });
const assert = (cond, message) => {
  if (!cond) throw new Error(message);
};
async function rejectsWith(promise, code) {
  const e = await promise.then(() => undefined, (e) => e);
  assert(e instanceof VoiceApiError, `expected VoiceApiError ${code}, got ${e?.stack ?? e}`);
  assert(e.code === code, `expected ${code}, got ${e.code}: ${e.message}`);
  return e;
}
const hex = async (bytes) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
const client = () => new VoiceClient({ baseUrl: net, token: 'outage-token' });
/** Short chunks, so that a few seconds give several. */
const RULES = { preferAfterMs: 2000, acceptAfterMs: 3000, maxChunkMs: 4000 };
const OPTIONS = { templates: ['clinical_notes_template'], languageHint: ['en'], requestTimeoutMs: 3000, additionalData: { simulate: { process_ms: 300 } } };

/** A recording whose cut chunks are kept (sha256 by index) and whose events are counted. */
async function record(rules = RULES) {
  const rec = createRecorder(rules);
  const cut = [];
  const events = { uploaded: 0, uploadfailed: 0, storagefault: 0, offline: 0 };
  rec.addEventListener('chunk', (e) => cut.push(hex(e.detail.bytes)));
  for (const type of ['uploaded', 'uploadfailed', 'storagefault']) rec.addEventListener(type, () => events[type]++);
  await rec.start();
  return { rec, cut, events };
}

/** The simulator has exactly the chunks cut, in order, byte for byte; the session completed. */
async function sameChunks(result, cut) {
  assert(result.status === 'completed', `status ${result.status}`);
  const s = await (await fetch(`${sim}/__sim/sessions/${result.session_id}`)).json();
  const want = await Promise.all(cut);
  const names = s.files.map((f) => f.name).join();
  assert(names === want.map((_, i) => `${i}.wav`).join(), `service has ${names}, ${want.length} cut`);
  const got = s.files.map((f) => f.sha256);
  assert(got.every((h, i) => h === want[i]), 'a stored chunk differs from the one cut');
  assert(s.end_body.audio_files_sent === want.length, `End said ${s.end_body.audio_files_sent} of ${want.length}`);
  return s;
}

/** Records `seconds`, the network switched by `plan` ([atSeconds, mode] …, relative to start). */
async function outage(seconds, plan, extra = {}) {
  const { rec, cut, events } = await record(extra.rules);
  let offline = 0;
  const done = rec.transcribe(client(), { ...OPTIONS, ...extra.options, onProgress: (e) => (offline += e.offline ? 1 : 0) });
  const t0 = Date.now();
  // The harness switches the network; with `online`, the page hears it come back (the
  // `online` event a browser fires when the Wi-Fi returns), as a real page would.
  const timers = plan.map(([at, m]) =>
    sleep(at * 1000)
      .then(() => setNet(m))
      .then(() => extra.online && m === 'up' && dispatchEvent(new Event('online'))),
  );
  await sleep(seconds * 1000 - (Date.now() - t0));
  await rec.stop();
  await Promise.all(timers);
  const result = await done;
  await sameChunks(result, cut);
  return { events, offline, cut: cut.length };
}

const CASES = {
  // Connections refused in the middle of the consultation, for 10 s.
  middle: async () => {
    const r = await outage(24, [[6, 'refuse'], [16, 'up']]);
    assert(r.offline > 0 && r.events.uploadfailed > 0, `offline reported ${r.offline}, uploadfailed ${r.events.uploadfailed}`);
    return r;
  },
  // Connections that hang (no answer) for 10 s.
  hang: () => outage(22, [[6, 'hang'], [16, 'up']]),
  // A slow network (every answer in 512-byte pieces) for 10 s.
  slow: () => outage(18, [[4, 'slow'], [14, 'up']]),
  // Down when Record is pressed, back at 10 s: the session is created then; `online` fired.
  record: async () => {
    await setNet('refuse');
    const r = await outage(16, [[10, 'up']], { online: true });
    assert(r.cut >= 3, `${r.cut} chunks`);
    return r;
  },
  // Down from 2 s before stop() to 12 s after it.
  stop: () => outage(14, [[12, 'refuse'], [26, 'up']]),
  // One outage of 3 minutes in a 200 s recording (8 s chunks).
  long: () => outage(200, [[8, 'refuse'], [188, 'up']], { rules: { preferAfterMs: 4000, acceptAfterMs: 6000, maxChunkMs: 8000 } }),
  // The storage quota is 100 KB (set by the runner through the DevTools protocol): the chunks
  // that do not fit are uploaded from memory, said by events and in the result.
  quota: async () => {
    const { rec, cut, events } = await record();
    const done = rec.transcribe(client(), OPTIONS);
    await sleep(16000);
    await rec.stop();
    const result = await done;
    await sameChunks(result, cut);
    assert(events.storagefault > 0 && result.unstored_chunks?.length > 0, `storagefault ${events.storagefault}, unstored ${result.unstored_chunks}`);
  },
};

/** The page killed during an outage: the first page records, the network goes, the page
 * goes in the middle of a chunk (no pause, no stop). */
async function killFirst() {
  const { rec, cut } = await record();
  const t0 = performance.now();
  rec.transcribe(client(), OPTIONS).catch(() => {});
  await sleep(6000);
  await setNet('refuse');
  await sleep(5000 + Math.random() * 1000);
  return { handle: rec.handle, cut: await Promise.all(cut), recordedMs: performance.now() - t0 };
}

/** …reopened with the network back: one resumeTranscription finishes it, with the chunks
 * cut and the one that was being recorded, stored as it grew: at most about a second lost. */
async function killSecond() {
  const first = JSON.parse(params.get('first'));
  await setNet('up');
  const listed = (await listRecordings()).find((r) => r.recordingId === first.handle.recordingId);
  assert(listed, 'the recording is listed after the reopen');
  const result = await resumeTranscription(client(), first.handle, { requestTimeoutMs: 3000 });
  assert(result.status === 'completed', `status ${result.status}`);
  const s = await (await fetch(`${sim}/__sim/sessions/${result.session_id}`)).json();
  // The chunks cut, and the one being recorded when it had a second or more (stored as it
  // grew; what it had since its last report, under a second, is what a crash may lose).
  assert(s.files.length >= first.cut.length, `${s.files.length} files for ${first.cut.length} cut`);
  assert(first.cut.every((h, i) => s.files[i].sha256 === h), 'a cut chunk differs');
  assert(s.files.map((f) => f.name).join() === s.files.map((_, i) => `${i}.wav`).join(), 'in order');
  const samples = s.files.reduce((n, f) => n + (f.bytes - 44) / 2, 0);
  const lostMs = first.recordedMs - samples / 16;
  assert(lostMs < 2000, `lost ${lostMs.toFixed(0)} ms of ${first.recordedMs.toFixed(0)}`);
  const last = new DataView(await (await fetch(`${sim}/__sim/sessions/${result.session_id}/files/${s.files.at(-1).name}`)).arrayBuffer());
  assert(last.getUint32(40, true) === last.byteLength - 44, 'the last chunk is a whole, valid WAV');
  assert(s.end_body.audio_files_sent === s.files.length, `End said ${s.end_body.audio_files_sent}`);
  assert(!(await listRecordings()).some((r) => r.recordingId === first.handle.recordingId), 'forgotten once done');
  return { lostMs: Math.round(lostMs) };
}

/** What is stored that this version cannot read, and no IndexedDB at all: typed, never a loss. */
async function storeCases() {
  // No IndexedDB (checked first: the store opens the database once per page).
  const real = globalThis.indexedDB;
  Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true, writable: true });
  await rejectsWith(listRecordings(), 'unsupported');
  await rejectsWith(resumeTranscription(client(), { recordingId: 'x' }), 'unsupported');
  Object.defineProperty(globalThis, 'indexedDB', { value: real, configurable: true, writable: true });
  assert(globalThis.indexedDB === real, 'IndexedDB is back');
  // A record without a state, a junk record, a record with a corrupt state.
  const db = await new Promise((resolve, reject) => {
    const r = indexedDB.open('eka-voice-recorder', 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore('recordings', { keyPath: 'id' });
      r.result.createObjectStore('chunks', { keyPath: ['id', 'index'] });
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const put = (v) => new Promise((resolve) => {
    const t = db.transaction(['recordings'], 'readwrite');
    t.objectStore('recordings').put(v);
    t.oncomplete = resolve;
  });
  await put({ id: 'junk', journal: [-1, 4294967295] });
  await put({ id: 'corrupt', startedAt: 1, options: {}, state: 'eka-voice-transcription 1\nevs_0123456789abcdef\n110\n4294967295\n' });
  await put({ id: 'good', startedAt: 2, options: {}, state: null });
  db.close();
  const list = await listRecordings();
  assert(list.map((r) => r.recordingId).join() === 'corrupt,good', `listed ${JSON.stringify(list)}`);
  assert(list.skipped.length === 1 && list.skipped[0].recordingId === 'junk', `skipped ${JSON.stringify(list.skipped)}`);
  const e = await rejectsWith(resumeTranscription(client(), { recordingId: 'corrupt' }), 'invalid_argument');
  assert(/corrupt/.test(e.message), e.message);
  await rejectsWith(resumeTranscription(client(), { recordingId: 'junk' }), 'invalid_argument');
  await rejectsWith(resumeTranscription(client(), { recordingId: 'good' }), 'not_found');
  for (const id of ['junk', 'corrupt', 'good']) await discardRecording({ recordingId: id });
  assert((await listRecordings()).length === 0, 'all discarded');
  // Another connection that never closes blocks a pending deleteDatabase; everything the
  // store does then waits behind it: bounded, typed `timeout`, never a hang.
  const other = await new Promise((resolve) => {
    const r = indexedDB.open('eka-voice-recorder', 1);
    r.onsuccess = () => resolve(r.result);
  });
  const pendingDelete = indexedDB.deleteDatabase('eka-voice-recorder');
  pendingDelete.onblocked = () => {};
  await sleep(300); // the store's own connection hears `versionchange` and closes
  const t0 = performance.now();
  await rejectsWith(listRecordings(), 'timeout');
  assert(performance.now() - t0 < 15000, 'within the bound');
  other.close();
}

/** Two tabs on one recording: the second (a same-origin frame) is refused while the first
 * uploads; each chunk reaches the service once. */
async function twoTabs() {
  const { rec, cut } = await record();
  const done = rec.transcribe(client(), OPTIONS);
  await sleep(4000);
  // Requests held unanswered (never reaching the service): chunks wait, stored, while the
  // second tab tries.
  await setNet('hang');
  await sleep(3000);
  const other = document.createElement('iframe');
  const answer = new Promise((resolve) => addEventListener('message', (e) => resolve(e.data), { once: true }));
  other.src = `${location.pathname}?mode=tab2&sim=${encodeURIComponent(sim)}&net=${encodeURIComponent(net)}&control=${encodeURIComponent(control)}&handle=${encodeURIComponent(JSON.stringify(rec.handle))}`;
  document.body.append(other);
  const second = await answer;
  assert(second === 'conflict', `the second tab: ${second}`);
  await sleep(3000);
  await setNet('up');
  await sleep(4000);
  await rec.stop();
  const result = await done;
  const s = await sameChunks(result, cut);
  const twice = Object.entries(s.attempts).filter(([, n]) => n !== 1);
  assert(twice.length === 0, `uploaded more than once: ${JSON.stringify(twice)}`);
}

async function secondTab() {
  const handle = JSON.parse(params.get('handle'));
  const e = await resumeTranscription(client(), handle).then(() => 'resolved', (e) => e?.code ?? String(e));
  parent.postMessage(e, '*');
}

/** stop() while the permission prompt is open: it settles at once; start() rejects aborted. */
async function promptCase() {
  // The permission prompt, open and never answered (what a user who looks away does).
  let asked = 0;
  navigator.mediaDevices.getUserMedia = () => {
    asked++;
    return new Promise(() => {});
  };
  const rec = createRecorder();
  const started = rec.start();
  await sleep(1500);
  assert(rec.state === 'starting' && asked === 1, `state ${rec.state}, asked ${asked}`);
  const t0 = performance.now();
  await rec.stop();
  assert(performance.now() - t0 < 1000, 'stop() settled at once');
  await rejectsWith(started, 'aborted');
  assert(rec.state === 'stopped' && rec.stream === null, `state ${rec.state}`);
}

async function main() {
  const results = [];
  const run = async (name, fn) => {
    try {
      const value = await fn();
      results.push({ name, ok: true, value });
    } catch (e) {
      results.push({ name, ok: false, error: String(e?.stack ?? e) });
    }
  };
  if (mode === 'tab2') return secondTab();
  if (mode === 'kill1') return killFirst();
  if (mode === 'kill2') await run('a page killed during an outage, reopened: one resumeTranscription completes it, every chunk', killSecond);
  else if (mode === 'store') await run('malformed and corrupt stored records, no IndexedDB: typed errors, the others listed', storeCases);
  else if (mode === 'tabs') await run('two tabs on one recording: the second is refused (conflict), each chunk uploaded once', twoTabs);
  else if (mode === 'prompt') await run('stop() during the permission prompt settles at once; start() rejects aborted', promptCase);
  else await run(mode, CASES[mode]);
  return results;
}

window.__results = main();

// Where a recording waits for the service (`eka-voice/recorder`): IndexedDB, database
// `eka-voice-recorder`. Two stores: `recordings` (one record per recording: its id, when it
// started, the create options, the transcription's state — an opaque string the core
// writes and reads, never a token) and `chunks` (the WAV bytes of each chunk the service
// does not have yet, keyed [id, index]). Plain IO: what to keep and when to drop it is the
// core's (the durable transcription); every failure here is a typed VoiceApiError, and
// every operation settles within OP_TIMEOUT_MS.
import { VoiceApiError } from 'eka-voice-main';

const DB = 'eka-voice-recorder';
/** The longest an IndexedDB operation may take (a blocked open, a stuck transaction). */
export const OP_TIMEOUT_MS = 10_000;
let opening;

const fail = (message, code, cause) => new VoiceApiError(message, code, undefined, undefined, undefined, undefined, cause);
/** A storage failure, typed: a full disk is said as such. */
export const storageError = (e) =>
  e instanceof VoiceApiError
    ? e
    : fail(`eka-voice/recorder could not use IndexedDB (${e?.name === 'QuotaExceededError' ? 'the storage quota is exceeded' : e?.message ?? e})`, 'unsupported', e);

/** `promise`, or a `timeout` VoiceApiError after OP_TIMEOUT_MS. */
function bounded(promise, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(fail(`IndexedDB did not answer within ${OP_TIMEOUT_MS} ms (${what}; another tab may hold it)`, 'timeout')), OP_TIMEOUT_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const done = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

function open() {
  return (opening ??= bounded((async () => {
    if (typeof indexedDB === 'undefined' || indexedDB === null) throw fail('this page has no IndexedDB: recordings cannot be kept', 'unsupported');
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('recordings', { keyPath: 'id' });
      request.result.createObjectStore('chunks', { keyPath: ['id', 'index'] });
    };
    const db = await done(request);
    // Another tab upgrading or deleting the database: let it, open again next time.
    db.onversionchange = () => {
      db.close();
      opening = undefined;
    };
    return db;
  })(), 'open').catch((e) => {
    opening = undefined;
    throw storageError(e);
  }));
}

/** Runs `f(stores…)` in one transaction; resolves with what `f`'s last request gave once
 * the transaction committed (the data is on disk then). */
async function tx(names, mode, f) {
  const db = await open();
  return bounded((async () => {
    const t = db.transaction(names, mode);
    const request = f(...names.map((n) => t.objectStore(n)));
    const value = request ? done(request) : undefined;
    await new Promise((resolve, reject) => {
      t.oncomplete = resolve;
      t.onerror = t.onabort = () => reject(t.error);
    });
    return value;
  })(), mode).catch((e) => {
    throw storageError(e);
  });
}

export const putRecording = (record) => tx(['recordings'], 'readwrite', (r) => void r.put(record));
export const getRecording = (id) => tx(['recordings'], 'readonly', (r) => r.get(id));
export const allRecordings = () => tx(['recordings'], 'readonly', (r) => r.getAll());
/** Chunk `index` and the record that counts it, in one transaction. */
export const putChunkWith = (record, index, bytes) =>
  tx(['recordings', 'chunks'], 'readwrite', (r, c) => {
    c.put({ id: record.id, index, bytes });
    r.put(record);
  });
export const putChunk = (id, index, bytes) => tx(['chunks'], 'readwrite', (c) => void c.put({ id, index, bytes }));
export const getChunk = (id, index) => tx(['chunks'], 'readonly', (c) => c.get([id, index]));
export const deleteChunk = (id, index) => tx(['chunks'], 'readwrite', (c) => void c.delete([id, index]));
export const deleteRecording = (id) =>
  tx(['recordings', 'chunks'], 'readwrite', (r, c) => {
    r.delete(id);
    c.delete(IDBKeyRange.bound([id, 0], [id, Infinity]));
  });

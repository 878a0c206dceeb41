// Where a recording waits for the service (`eka-voice/recorder`): IndexedDB, database
// `eka-voice-recorder`. Two stores: `recordings` (one record per recording: its id, what
// Create Session answered, the create options, the journal's state — never a token) and
// `chunks` (the WAV bytes of each chunk the service does not have yet, keyed [id, index]).
// Plain IO: what to keep and when to drop it is the journal's (RecordingJournal).

const DB = 'eka-voice-recorder';
let opening;

const done = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

function open() {
  return (opening ??= (async () => {
    if (typeof indexedDB === 'undefined') throw new Error('this page has no IndexedDB');
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('recordings', { keyPath: 'id' });
      request.result.createObjectStore('chunks', { keyPath: ['id', 'index'] });
    };
    return done(request);
  })().catch((e) => {
    opening = undefined;
    throw e;
  }));
}

/** Runs `f(stores…)` in one transaction; resolves with what `f`'s last request gave once
 * the transaction committed (the data is on disk then). */
async function tx(names, mode, f) {
  const t = (await open()).transaction(names, mode);
  const request = f(...names.map((n) => t.objectStore(n)));
  const value = request ? done(request) : undefined;
  await new Promise((resolve, reject) => {
    t.oncomplete = resolve;
    t.onerror = t.onabort = () => reject(t.error);
  });
  return value;
}

export const putRecording = (record) => tx(['recordings'], 'readwrite', (r) => void r.put(record));
export const getRecording = (id) => tx(['recordings'], 'readonly', (r) => r.get(id));
export const allRecordings = () => tx(['recordings'], 'readonly', (r) => r.getAll());
export const putChunk = (id, index, bytes) => tx(['chunks'], 'readwrite', (c) => void c.put({ id, index, bytes }));
export const getChunk = (id, index) => tx(['chunks'], 'readonly', (c) => c.get([id, index]));
export const deleteChunk = (id, index) => tx(['chunks'], 'readwrite', (c) => void c.delete([id, index]));
export const deleteRecording = (id) =>
  tx(['recordings', 'chunks'], 'readwrite', (r, c) => {
    r.delete(id);
    c.delete(IDBKeyRange.bound([id, 0], [id, Infinity]));
  });

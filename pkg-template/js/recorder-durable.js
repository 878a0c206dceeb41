// The reload-safe transcription of a recording (`recorder.transcribe`, `resumeTranscription`):
// `client.transcribe` — the one lifecycle machine of the package — with a `durable` store
// in IndexedDB (recorder-store.js). This file performs what the machine asks (store a chunk
// with the state that counts it, read one back, drop one, save or forget the state), holds
// the recording's Web Lock so that one tab uploads it at a time, and turns the machine's
// reports into the recorder's events. It decides nothing: what to store, when to retry,
// what an outage or a full disk means is the core's; the state is an opaque string.
import { VoiceApiError } from 'eka-voice-main';
import * as store from './recorder-store.js';

const fail = (message, code) => new VoiceApiError(message, code);

/** The caller's options that are data (kept with the recording, for a resume): not its
 * functions, not its signal. What throws while reading them is the caller's. */
export function dataOptions(options) {
  const out = {};
  for (const [key, value] of Object.entries(options ?? {})) {
    const signal = value !== null && typeof value === 'object' && typeof value.aborted === 'boolean';
    // wasmUrl: the recorder's own option (where its module is), not the transcription's.
    if (value !== undefined && typeof value !== 'function' && !signal && key !== 'wasmUrl') out[key] = value;
  }
  return out;
}

/** Whether a stored record is one this version wrote. */
export const isRecord = (r) =>
  r !== null && typeof r === 'object' && typeof r.id === 'string' && Number.isFinite(r.startedAt) &&
  (r.state === null || typeof r.state === 'string') && r.options !== null && typeof r.options === 'object';

/** The `durable` hooks of recording `record` (see the package's DurableStore type). */
function durableStore(record, emit) {
  return {
    async putChunk(index, bytes, state) {
      record.state = state;
      try {
        await store.putChunkWith(record, index, bytes);
      } catch (e) {
        const error = store.storageError(e);
        emit('storagefault', { index, error });
        throw error;
      }
    },
    getChunk: async (index) => (await store.getChunk(record.id, index))?.bytes,
    async dropChunk(index) {
      emit('uploaded', { index });
      await store.deleteChunk(record.id, index);
    },
    async save(state) {
      record.state = state;
      await store.putRecording(record);
    },
    forget: () => store.deleteRecording(record.id),
  };
}

/** Stores the chunk being recorded (so far) under its index: a crash loses at most what
 * came after it; the final chunk (with the state that counts it) replaces it. */
export function storePartial(record, index, bytes, emit) {
  store.putChunk(record.id, index, bytes).catch((e) => emit('storagefault', { index, error: store.storageError(e) }));
}

/** Runs `f` holding recording `id`'s Web Lock; another holder is a `conflict`. */
function withLock(id, f) {
  const locks = globalThis.navigator?.locks;
  if (!locks) return f();
  return locks.request(`eka-voice-recording:${id}`, { ifAvailable: true }, (lock) => {
    if (!lock) throw fail(`recording ${id} is being transcribed by another tab or call`, 'conflict');
    return f();
  });
}

/**
 * `client.transcribe(chunks, …)` of recording `record`, durable: with its stored state
 * when `resume`. `emit(type, detail)` gives the recorder's events.
 */
export function transcribeRecording(client, record, chunks, options, emit, resume) {
  const { signal, onRetry, onProgress } = options ?? {};
  return withLock(record.id, () =>
    client.transcribe(chunks, {
      ...record.options,
      ...(resume ? dataOptions(options) : {}),
      signal,
      onRetry(e) {
        if (e.index !== undefined) emit('uploadfailed', { index: e.index, error: e.error });
        return onRetry?.(e);
      },
      onProgress(e) {
        if (e.sessionId !== undefined) record.sessionId = e.sessionId;
        return onProgress?.(e);
      },
      durable: durableStore(record, emit),
      ...(resume ? { resume: record.state } : {}),
    }),
  );
}

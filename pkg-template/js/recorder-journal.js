// The reload-safe transcription of a recording (`recorder.transcribe`, `resumeTranscription`):
// performs the steps the core's journal (RecordingJournal, src/proto/journal.rs) gives —
// create the session, upload the stored chunks the service lacks, end, poll — and stores
// the journal's state after each fact, so that a page that reloads can finish the job.
import { RecordingJournal } from '../eka_voice.js';
import * as store from './recorder-store.js';

/** The options of createSession a recording keeps (structured-cloneable, no token). */
const CREATE_KEYS = ['templates', 'model', 'languageHint', 'transcriptLanguage', 'sessionMode', 'patientDetails', 'additionalData', 'sessionId', 'presignedUpload'];
/** The facts RecordingJournal.on takes. */
const CREATED = 0, CREATE_FAILED = 1, CUT = 2, UPLOADED = 3, UPLOAD_FAILED = 4, STOPPED = 5, ENDED = 6, END_FAILED = 7;

/** Picks the create options out of the caller's options (what throws is the caller's). */
export function createOptions(options) {
  const out = {};
  for (const key of CREATE_KEYS) if (options?.[key] !== undefined) out[key] = options[key];
  return out;
}

export class Transcription {
  #client;
  #record;
  #journal;
  #options;
  #fail;
  #wake = () => {};
  #chain = Promise.resolve();
  #error;

  /** `record`: the stored recording ({id, created, createOptions, journal}). */
  #emit;

  /** `emit(type, detail)`: `uploaded` {index} and `uploadfailed` {index, error} for a UI. */
  constructor(client, record, options, fail, emit = () => {}) {
    this.#emit = emit;
    this.#client = client;
    this.#record = record;
    this.#journal = new RecordingJournal(new Uint32Array(record.journal ?? []));
    this.#options = options ?? {};
    this.#fail = fail;
  }

  /** A chunk was cut: stored (in order), then known to the journal. */
  cut(index, bytes) {
    return this.#then(async () => {
      await store.putChunk(this.#record.id, index, bytes);
      this.#fact(CUT, index);
    });
  }

  /** The recording ended (after its last chunk). */
  stop() {
    return this.#then(async () => this.#fact(STOPPED));
  }

  #then(f) {
    this.#chain = this.#chain.then(f).catch((e) => {
      this.#error ??= this.#fail(`eka-voice/recorder could not store the recording (${e?.message ?? e})`, 'unsupported', e);
      this.#wake();
    });
    return this.#chain;
  }

  #fact(fact, index = 0) {
    this.#journal.on(fact, index);
    this.#record.journal = Array.from(this.#journal.state());
    this.#then(() => store.putRecording(this.#record));
    this.#wake();
  }

  /** Runs the journal to its end: resolves with the session's result. */
  async run() {
    const uploads = new Set();
    for (;;) {
      if (this.#error) throw this.#error;
      const [kind, a, ...rest] = this.#journal.nextStep();
      if (kind === 0) await this.#create();
      else if (kind === 1) this.#upload(a, uploads);
      else if (kind === 2) await this.#end(a);
      else if (kind === 3) return this.#poll();
      else if (kind === 5) throw this.#fail(`could not upload ${[a, ...rest].length} audio chunks: ${[a, ...rest].map((i) => `audio_${i}.wav`).join(', ')} (kept for resumeTranscription)`, 'upload_failed', this.#lastError);
      else await new Promise((resolve) => (this.#wake = resolve));
    }
  }

  #lastError;

  async #create() {
    try {
      this.#record.created = await this.#client.createSession({ ...this.#record.createOptions, signal: this.#options.signal });
      this.#fact(CREATED);
    } catch (e) {
      this.#journal.on(CREATE_FAILED, 0);
      throw e;
    }
  }

  #upload(index, uploads) {
    const id = this.#record.id;
    const p = (async () => {
      const chunk = await store.getChunk(id, index);
      await this.#client.uploadAudio(this.#record.created, chunk.bytes, { index, format: 'wav', signal: this.#options.signal });
      this.#fact(UPLOADED, index);
      this.#emit('uploaded', { index });
      await store.deleteChunk(id, index);
    })().catch((error) => {
      this.#lastError = error;
      this.#fact(UPLOAD_FAILED, index);
      this.#emit('uploadfailed', { index, error });
    });
    uploads.add(p);
    p.finally(() => uploads.delete(p));
  }

  async #end(sent) {
    try {
      const sessionId = this.#record.created.session_id;
      await this.#client.endSession(sessionId, { audioFilesSent: sent, audioFilesUploaded: sent, signal: this.#options.signal });
      this.#fact(ENDED);
    } catch (e) {
      this.#journal.on(END_FAILED, 0);
      throw e;
    }
  }

  async #poll() {
    const { signal, timeoutMs, intervalMs, onProgress, maxRetries, onRetry } = this.#options;
    const result = await this.#client.pollSession(this.#record.created.session_id, { signal, timeoutMs, intervalMs, onProgress, maxRetries, onRetry });
    await store.deleteRecording(this.#record.id);
    return result;
  }
}

// `eka-voice/recorder`: records the consultation in the browser. The microphone is asked
// for on start() only and fully released on stop(); the audio goes through an AudioWorklet
// served from the package (recorder-worklet.js) that runs the Rust pipeline off the main
// thread; chunks (WAV, 16 kHz mono, cut at pauses, ≤ 20 s) come out as events and through
// chunks(), the async iterable that client.transcribe() takes.
//
// This file performs: getUserMedia, the audio graph, the worklet's messages, the events.
// The rules (resampling, detection, where to cut, the option ranges) are the Rust core's.
import { VoiceApiError } from 'eka-voice-main';
import initGlue, { RecorderDsp, WavSplitter, fitRules, wavHeaderNeeds } from '../eka_voice.js';
import { dataOptions, isRecord, storePartial, transcribeRecording } from './recorder-durable.js';
import * as store from './recorder-store.js';
import { readOptions } from './recorder-options.js';

const WASM_URL = () => new URL('./recorder_bg.wasm', import.meta.url);
const WORKLET_URL = () => new URL('./recorder-worklet.js', import.meta.url);

const fail = (message, code, cause) => new VoiceApiError(message, code, undefined, undefined, undefined, undefined, cause);


/** The rules fitted to the service by the core (the module loaded on the page for it). */
async function fitted(o) {
  if (!o.service) return o.rules;
  await loadWasm(o.wasm);
  const rules = o.rules.slice();
  construct(() => fitRules(rules, ...o.service));
  return rules;
}

let wasmBytes;
let glue;
const unavailable = (e) => fail(`eka-voice/recorder could not load recorder_bg.wasm (${e?.message ?? e})`, 'wasm_unavailable', e);
/** The recorder module's bytes, fetched once (the worklet compiles them on its thread). */
function fetchWasm(url) {
  return (wasmBytes ??= (async () => {
    const r = await fetch(url ?? WASM_URL());
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    return r.arrayBuffer();
  })().catch((e) => {
    wasmBytes = undefined;
    throw unavailable(e);
  }));
}
/** The module instantiated on the page too, for the journal and the splitter only. */
function loadWasm(url) {
  return (glue ??= fetchWasm(url)
    .then((bytes) => initGlue({ module_or_path: bytes }))
    .catch((e) => {
      glue = undefined;
      throw e instanceof VoiceApiError ? e : unavailable(e);
    }));
}

/** What recording needs of the page: a secure context with a microphone API, Web Audio. */
function checkPage() {
  if (!globalThis.isSecureContext || !globalThis.navigator?.mediaDevices?.getUserMedia) {
    throw fail('recording needs a secure context (https or localhost) with navigator.mediaDevices', 'insecure_context');
  }
  if (typeof AudioWorkletNode !== 'function') throw fail('this browser has no AudioWorklet', 'unsupported');
}

/** The microphone's stream: the chosen device, else the default one (`fellBack`). */
async function openMicrophone(deviceId) {
  const md = navigator.mediaDevices;
  const ask = (id) => md.getUserMedia({ audio: id ? { deviceId: { exact: id } } : true });
  try {
    if (deviceId) {
      try {
        return { stream: await ask(deviceId), fellBack: false };
      } catch (e) {
        if (e?.name !== 'OverconstrainedError' && e?.name !== 'NotFoundError') throw e;
      }
    }
    return { stream: await ask(undefined), fellBack: Boolean(deviceId) };
  } catch (e) {
    throw microphoneError(e);
  }
}

function microphoneError(e) {
  const name = e?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return fail('the microphone permission was denied', 'permission_denied', e);
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError') {
    return fail(`no usable microphone (${name})`, 'no_microphone', e);
  }
  return fail(`the microphone could not be opened (${name ?? e})`, 'no_microphone', e);
}

/** What stop() resolves with when the pipeline failed. */
const LOST = { durationMs: 0, droppedFrames: 0 };

/** Creates a recorder; nothing is asked for or loaded before `start()`. */
export function createRecorder(options) {
  return new Recorder(readOptions(options));
}

/**
 * A recording. Events (`addEventListener`; each a CustomEvent, its `detail` below): `level`
 * {dbfs}, `speechstart` / `speechend` {atMs}, `chunk` {index, startMs, durationMs, bytes,
 * cut}, `nosignal`, `signalback`, `mute` / `unmute`, `devicelost` {deviceId},
 * `devicechange` {deviceId, reason}, `paused`, `resumed`, `stopped` {durationMs,
 * droppedFrames}, `error` {error}; with transcribe(): `uploaded` {index}, `uploadfailed`
 * {index, error}.
 */
export class Recorder extends EventTarget {
  #o;
  #ctx;
  #node;
  #source;
  #stream = null;
  #state = 'inactive';
  #queue = [];
  #waiting = [];
  #stopped;
  #ended = false;
  #consumer;
  #record;
  #starting;
  #abortStart;
  #dead = false;

  constructor(o) {
    super();
    this.#o = o;
  }

  /** 'inactive' | 'starting' | 'recording' | 'paused' | 'stopping' | 'stopped'. */
  get state() {
    return this.#state;
  }

  /** The microphone's MediaStream while recording (null before and after). */
  get stream() {
    return this.#stream;
  }

  /** Opens the microphone and starts recording. Rejects with VoiceApiError: `invalid_argument`
   * (options out of range), `wasm_unavailable`, `insecure_context`, `permission_denied`,
   * `no_microphone`, `unsupported` (no AudioWorklet); `invalid_argument` when called twice;
   * `aborted` when stop() came first (it settles at once, even while the permission prompt
   * is open: the microphone, if granted later, is released at once). */
  async start() {
    if (this.#state !== 'inactive') throw fail(`start() on a recorder that is ${this.#state}`, 'invalid_argument');
    this.#state = 'starting';
    const aborted = new Promise((_, reject) => {
      this.#abortStart = () => reject(fail('stop() was called before the recorder started', 'aborted'));
    });
    this.#starting = this.#start();
    this.#starting.catch(() => {});
    return Promise.race([this.#starting, aborted]);
  }

  async #start() {
    const abandoned = () => this.#state !== 'starting';
    try {
      checkPage();
      // The audio graph first: the worklet checks the options before the microphone is
      // asked for.
      const rules = await fitted(this.#o);
      await this.#graph(await fetchWasm(this.#o.wasm), rules);
      if (abandoned()) throw fail('stop() was called before the recorder started', 'aborted');
      const { stream, fellBack } = await openMicrophone(this.#o.deviceId);
      this.#stream = stream;
      if (abandoned()) throw fail('stop() was called before the recorder started', 'aborted');
      this.#connect(stream);
      await this.#ctx.resume();
      if (abandoned()) throw fail('stop() was called before the recorder started', 'aborted');
      if (fellBack) this.#emit('devicechange', { deviceId: this.#deviceId(), reason: 'fallback' });
      this.#state = 'recording';
    } catch (e) {
      await this.#release();
      if (!abandoned()) this.#state = 'inactive';
      throw e instanceof VoiceApiError ? e : fail(`the recorder could not start (${e?.message ?? e})`, 'unsupported', e);
    }
  }

  async #graph(wasm, rules) {
    const ctx = (this.#ctx = new AudioContext());
    await ctx.audioWorklet.addModule(WORKLET_URL());
    const node = (this.#node = new AudioWorkletNode(ctx, 'eka-voice-recorder', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      channelCount: 2,
      channelCountMode: 'clamped-max',
      processorOptions: { wasm, rules },
    }));
    const ready = new Promise((resolve, reject) => {
      node.port.onmessage = (e) => {
        if (e.data.type === 'ready') resolve();
        else if (e.data.type === 'failed') reject(fail(e.data.message, e.data.code));
        else this.#message(e.data);
      };
    });
    await ready;
    // A trap in the pipeline (it should never happen) ends the recording, not the page:
    // the chunks so far are kept, stop() settles.
    node.onprocessorerror = () => {
      this.#dead = true;
      this.#emit('error', { error: fail("the recorder's audio pipeline failed", 'unsupported') });
      this.#stopped?.(LOST);
      this.stop();
    };
    node.connect(ctx.destination); // silent: the processor writes no output
  }

  #connect(stream) {
    this.#source?.disconnect();
    this.#source = this.#ctx.createMediaStreamSource(stream);
    this.#source.connect(this.#node);
    for (const track of stream.getAudioTracks()) {
      track.onended = () => this.#lost(track);
      track.onmute = () => this.#emit('mute', {});
      track.onunmute = () => this.#emit('unmute', {});
    }
  }

  /** The device went away: record on from the default device, or stop. */
  async #lost(track) {
    if (this.#state !== 'recording' && this.#state !== 'paused') return;
    const deviceId = track.getSettings?.().deviceId;
    this.#emit('devicelost', { deviceId });
    try {
      const { stream } = await openMicrophone(undefined);
      for (const t of this.#stream.getTracks()) t.stop();
      this.#stream = stream;
      this.#connect(stream);
      this.#emit('devicechange', { deviceId: this.#deviceId(), reason: 'lost' });
    } catch (error) {
      this.#emit('error', { error });
      await this.stop();
    }
  }

  #deviceId() {
    return this.#stream?.getAudioTracks()[0]?.getSettings?.().deviceId;
  }

  #message(m) {
    if (m.type === 'chunk') {
      const chunk = { index: m.index, startMs: m.startMs, durationMs: m.durationMs, cut: m.cut, bytes: m.wav };
      this.#emit('chunk', chunk);
      this.#push(chunk);
    } else if (m.type === 'partial') {
      // The chunk being recorded, so far: stored under its index (a final chunk replaces it),
      // so that after a crash a resume uploads it too. Not an event.
      if (this.#record) storePartial(this.#record, m.index, m.wav, (type, detail) => this.#emit(type, detail));
    } else if (m.type === 'stopped') {
      this.#stopped?.({ durationMs: (m.frames / this.#ctx.sampleRate) * 1000, droppedFrames: m.dropped });
    } else {
      const { type, ...detail } = m;
      this.#emit(type, detail);
    }
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Stops feeding the pipeline (the microphone stays open); the paused time is not recorded. */
  pause() {
    if (this.#state !== 'recording') return;
    this.#node.port.postMessage('pause');
    this.#state = 'paused';
    this.#emit('paused', {});
  }

  /** Records again after pause(). */
  resume() {
    if (this.#state !== 'paused') return;
    this.#node.port.postMessage('resume');
    this.#state = 'recording';
    this.#emit('resumed', {});
  }

  /** Ends the recording: the last chunk comes out, every track is stopped and the audio
   * context closed (the browser's recording indicator goes off); chunks() ends. Resolves
   * with { durationMs, droppedFrames }. */
  async stop() {
    if (this.#state === 'starting') {
      // Settles at once: start() rejects `aborted`, and what it still waits for (the
      // permission prompt) is released when it comes.
      this.#state = 'stopped';
      this.#abortStart?.();
      this.#end();
      return { durationMs: 0, droppedFrames: 0 };
    }
    if (this.#state !== 'recording' && this.#state !== 'paused') {
      if (this.#state === 'inactive') this.#state = 'stopped';
      this.#end();
      return { durationMs: 0, droppedFrames: 0 };
    }
    this.#state = 'stopping';
    const done = new Promise((resolve) => (this.#stopped = resolve));
    if (this.#dead) this.#stopped(LOST);
    else this.#node.port.postMessage('stop');
    const summary = await done;
    this.#stopped = undefined;
    await this.#release();
    this.#state = 'stopped';
    this.#end();
    this.#emit('stopped', summary);
    return summary;
  }

  async #release() {
    for (const t of this.#stream?.getTracks() ?? []) t.stop();
    this.#stream = null;
    this.#source?.disconnect();
    this.#node?.disconnect();
    if (this.#ctx && this.#ctx.state !== 'closed') await this.#ctx.close();
  }

  #push(chunk) {
    const w = this.#waiting.shift();
    if (w) w({ value: chunk.bytes, done: false });
    else this.#queue.push(chunk);
  }

  #end() {
    this.#ended = true;
    for (const w of this.#waiting.splice(0)) w({ value: undefined, done: true });
  }

  /** Who takes the chunks: chunks() or transcribe(), once. */
  #take(what) {
    if (this.#consumer) throw fail(`${what}: the chunks already go to ${this.#consumer}`, 'invalid_argument');
    this.#consumer = what;
  }

  /**
   * Transcribes the recording, reload-safe: `client.transcribe` with a durable store in
   * IndexedDB. Each chunk is stored (with the state that counts it) as it is cut, uploaded
   * while recording and dropped once the service has it; an outage never fails the
   * recording (chunks wait, stored, and go when the network is back); after stop(), End
   * Session and the poll, within `timeoutMs`. Resolves with the session's result (as
   * pollSession). Call it right after start(). If the page goes away first,
   * `resumeTranscription(client, recorder.handle)` (or a handle from listRecordings())
   * finishes the job. `options`: createSession's, pollSession's, `onRetry`, `onProgress`
   * (with `chunksWaiting` and `offline`), `signal`.
   */
  async transcribe(client, options) {
    const chunks = this.#iterate('transcribe()');
    const record = (this.#record = { id: crypto.randomUUID(), startedAt: Date.now(), options: dataOptions(options), state: null });
    globalThis.navigator?.storage?.persist?.().catch(() => {});
    try {
      await store.putRecording(record);
    } catch (error) {
      // Loud, not fatal: the recording goes on in memory (the result names what was not stored).
      this.#emit('storagefault', { error });
    }
    return transcribeRecording(client, record, chunks, options, (type, detail) => this.#emit(type, detail));
  }

  /** `{ recordingId, sessionId? }` once transcribe() began (serialisable, no token), else null. */
  get handle() {
    const r = this.#record;
    return r ? { recordingId: r.id, sessionId: r.sessionId } : null;
  }

  /** The chunks (WAV bytes, in order), as they are cut, until stop(): what
   * `client.transcribe()` takes. Each chunk is given once. */
  chunks() {
    return this.#iterate('chunks()');
  }

  #iterate(what) {
    this.#take(what);
    const next = () => {
      if (this.#queue.length) return Promise.resolve({ value: this.#queue.shift().bytes, done: false });
      if (this.#ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => this.#waiting.push(resolve));
    };
    // transcribe() calls return() when it stops early: the recording stops too.
    const stop = async () => {
      await this.stop();
      return { value: undefined, done: true };
    };
    return { next, return: stop, [Symbol.asyncIterator]() { return this; } };
  }
}

const recordingId = (handle) => {
  let id;
  try {
    id = handle?.recordingId;
  } catch {}
  if (typeof id !== 'string') throw fail('a recording handle is { recordingId: string }', 'invalid_argument');
  return id;
};

/**
 * Finishes a recording's transcription after a reload or a crash (or after it failed):
 * uploads the stored chunks the service lacks, ends the session and polls (creating the
 * session first if the page went away before). One tab at a time: while another holds the
 * recording, `conflict`. Rejects with `not_found` when no such recording is stored (done, or
 * discarded), `invalid_argument` when what is stored is corrupt, `upload_failed` naming the
 * chunks that still fail or are lost (what is stored stays: try again later).
 */
export async function resumeTranscription(client, handle, options) {
  const id = recordingId(handle);
  const record = await store.getRecording(id);
  if (!record) throw fail(`no stored recording ${id}`, 'not_found');
  if (!isRecord(record)) throw fail(`the stored recording ${id} is corrupt (or from an older version)`, 'invalid_argument');
  if (record.state === null) throw fail(`recording ${id} has nothing stored to transcribe`, 'not_found');
  return transcribeRecording(client, record, [], options, () => {}, true);
}

/**
 * The recordings stored on this origin and not finished, oldest first. A stored record this
 * version cannot read is skipped and reported in the array's `skipped` ({ recordingId?,
 * reason }); the others are listed.
 */
export async function listRecordings() {
  const all = await store.allRecordings();
  const skipped = [];
  const list = [];
  for (const r of all) {
    if (isRecord(r)) list.push({ recordingId: r.id, sessionId: r.sessionId, startedAt: r.startedAt });
    else skipped.push({ recordingId: typeof r?.id === 'string' ? r.id : undefined, reason: 'malformed' });
  }
  list.sort((a, b) => a.startedAt - b.startedAt);
  return Object.assign(list, { skipped });
}

/** Forgets a stored recording and its chunks. */
export const discardRecording = async (handle) => store.deleteRecording(recordingId(handle));

/** Pieces of a file read at once. */
const PIECE = 1 << 20;
/** The most of a WAV file read to find its samples (metadata chunks before them). */
const MAX_HEADER = 64 << 20;

/**
 * Cuts a pre-recorded file into chunks by the recorder's rules (WAV, 16 kHz mono, ≤ 20 s,
 * at pauses), for files over the 10 MiB upload limit or to upload a long file as it is cut:
 * an async iterable of WAV bytes that `client.transcribe()` takes. A WAV file is read piece
 * by piece and parsed by the Rust core (any size); other formats are decoded by the
 * browser (`decodeAudioData`, the whole file at once). `options`: the recorder's rules.
 * Throws `invalid_audio` for what is not audio this browser or the core can read
 * (`invalid_argument` for what is not a file or bad rules).
 */
export async function* splitRecording(file, options) {
  const o = readOptions(options);
  if (!(file instanceof Blob)) {
    if (!(file instanceof ArrayBuffer) && !ArrayBuffer.isView(file)) throw fail('splitRecording takes a Blob, an ArrayBuffer or a view', 'invalid_argument');
    file = new Blob([file]);
  }
  await loadWasm(o.wasm);
  let head = new Uint8Array(await file.slice(0, PIECE).arrayBuffer());
  // Metadata before the samples (of any size the core says, up to MAX_HEADER): read on.
  for (let need = wavHeaderNeeds(head); need > head.length && need <= Math.min(file.size, MAX_HEADER); need = wavHeaderNeeds(head)) {
    head = new Uint8Array(await file.slice(0, need).arrayBuffer());
  }
  const isWav = String.fromCharCode(...head.subarray(0, 4)) === 'RIFF';
  const rules = await fitted(o);
  yield* isWav ? splitWav(file, head, rules) : splitDecoded(file, rules);
}

function construct(f) {
  try {
    return f();
  } catch (thrown) {
    // The core throws a message (bad rules) or [message, code] (a file it cannot read).
    throw Array.isArray(thrown) ? fail(thrown[0], thrown[1]) : fail(String(thrown), 'invalid_argument');
  }
}

/** The chunk events' WAV bytes, in order. */
function* chunksOf(source, events) {
  for (let i = 0; i < events.length; i += 5) if (events[i] === 5) yield source.takeChunk();
}

async function* splitWav(file, head, rules) {
  const s = construct(() => new WavSplitter(head, rules));
  try {
    const end = Math.min(file.size, s.dataStart + s.dataLength);
    for (let at = s.dataStart; at < end; at += PIECE) {
      const piece = new Uint8Array(await file.slice(at, Math.min(end, at + PIECE)).arrayBuffer());
      yield* chunksOf(s, s.push(piece));
    }
    yield* chunksOf(s, s.finish());
  } finally {
    s.free();
  }
}

async function* splitDecoded(file, rules) {
  let audio;
  try {
    // Decoded at 16 kHz by the browser (its resampler): a long file stays small in memory.
    audio = await new OfflineAudioContext(1, 1, 16000).decodeAudioData(await file.arrayBuffer());
  } catch (e) {
    throw fail(`the file is not audio this browser can decode (${e?.message ?? e})`, 'invalid_audio', e);
  }
  const dsp = construct(() => new RecorderDsp(audio.sampleRate, rules));
  try {
    const left = audio.getChannelData(0);
    const right = audio.numberOfChannels > 1 ? audio.getChannelData(1) : new Float32Array(0);
    for (let at = 0; at < left.length; at += PIECE) {
      const r = right.length ? right.subarray(at, at + PIECE) : right;
      yield* chunksOf(dsp, dsp.push(left.subarray(at, at + PIECE), r));
      await new Promise((resolve) => setTimeout(resolve));
    }
    yield* chunksOf(dsp, dsp.finish());
  } finally {
    dsp.free();
  }
}

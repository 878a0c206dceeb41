// Types of `eka-voice/recorder`: recording the consultation in the browser.
import type { TranscribeOptions, TranscribeResult, VoiceApiError, VoiceClient } from './index.js';

/** What `recorder.transcribe` and `resumeTranscription` take: `client.transcribe`'s options
 * (those that are data are kept with the recording, for a resume) but its store. */
export type RecorderTranscribeOptions = Omit<TranscribeOptions, 'durable' | 'resume'> & { wasmUrl?: string | undefined };

/** A stored recording: serialisable, no token inside. */
export interface RecordingHandle {
  recordingId: string;
  /** Once the session was created. */
  sessionId?: string | undefined;
}

/** A stored recording that is not finished (`listRecordings`). */
export interface StoredRecording extends RecordingHandle {
  /** `Date.now()` when its transcription began. */
  startedAt: number;
}

/** What `listRecordings` resolves with: the readable recordings, and those skipped. */
export type StoredRecordings = StoredRecording[] & {
  /** Stored records this version cannot read (not listed; `discardRecording` removes them). */
  skipped: { recordingId: string | undefined; reason: 'malformed' }[];
};

/** Options of `createRecorder`. Every length is in milliseconds of recorded audio. */
export interface RecorderOptions {
  /** The microphone (`MediaDeviceInfo.deviceId`); when it is gone, the default one (a `devicechange` event with `reason: 'fallback'`). */
  deviceId?: string | undefined;
  /** From this length on, a chunk is cut in a pause of `preferPauseMs` (default 10000). */
  preferAfterMs?: number | undefined;
  /** Default 500. */
  preferPauseMs?: number | undefined;
  /** From this length on, a pause of `acceptPauseMs` is enough (default 15000). */
  acceptAfterMs?: number | undefined;
  /** Default 100. */
  acceptPauseMs?: number | undefined;
  /** The longest chunk, 1000–20000 (default 20000, the service's `max_chunk_duration_seconds`): cut there in the middle of the quietest `acceptPauseMs` since `preferAfterMs`. */
  maxChunkMs?: number | undefined;
  /** The voice-activity detector's threshold, 0–1 (default 0.5). */
  vadThreshold?: number | undefined;
  /** A `nosignal` event after this long of digital silence (default 3000). */
  noSignalAfterMs?: number | undefined;
  /** Where recorder_bg.wasm is served, when not beside recorder.js. */
  wasmUrl?: string | undefined;
  /**
   * The service's Discovery answer (`client.getDiscovery()`): the rules are fitted to it —
   * a `max_chunk_duration_seconds` under the recorder's longest chunk lowers `maxChunkMs`
   * (and `acceptAfterMs` / `preferAfterMs` to at most ¾ / ½ of it); `audio_formats`
   * without WAV (what the recorder makes) is `invalid_argument` at `start()` /
   * `splitRecording`.
   */
  discovery?: { capabilities?: { max_chunk_duration_seconds?: number; audio_formats?: string[] } } | undefined;
}

/** Why a chunk ended where it did. */
export type CutReason = 'pause' | 'short-pause' | 'forced' | 'end';

/** A chunk as it is cut: a WAV file (PCM s16le, 16 kHz, mono). */
export interface RecordedChunk {
  /** 0, 1, 2… (uploaded as `audio_<index>.wav`). */
  index: number;
  /** Where it starts in the recording (paused time excluded). */
  startMs: number;
  durationMs: number;
  cut: CutReason;
  bytes: Uint8Array;
}

/** What `stop()` resolves with. */
export interface RecordingSummary {
  /** Recorded time (paused time excluded). */
  durationMs: number;
  /** Audio frames the rendering thread skipped after its first second (0 when nothing was lost; the device's start-up may skip a few quanta before the microphone's data flows). */
  droppedFrames: number;
}

/** The events of a recorder and their `detail`. */
export interface RecorderEventMap {
  /** About 20 a second: the RMS level of the last 50 ms in dBFS, from -100 (silence: the floor) to 0 (full scale); speech near the microphone is around -30 to -15. */
  level: CustomEvent<{ dbfs: number }>;
  speechstart: CustomEvent<{ atMs: number }>;
  speechend: CustomEvent<{ atMs: number }>;
  chunk: CustomEvent<RecordedChunk>;
  nosignal: CustomEvent<Record<string, never>>;
  signalback: CustomEvent<Record<string, never>>;
  mute: CustomEvent<Record<string, never>>;
  unmute: CustomEvent<Record<string, never>>;
  devicelost: CustomEvent<{ deviceId: string | undefined }>;
  devicechange: CustomEvent<{ deviceId: string | undefined; reason: 'fallback' | 'lost' }>;
  paused: CustomEvent<Record<string, never>>;
  resumed: CustomEvent<Record<string, never>>;
  stopped: CustomEvent<RecordingSummary>;
  error: CustomEvent<{ error: VoiceApiError }>;
  /** With `transcribe()`: the service has chunk `index`. */
  uploaded: CustomEvent<{ index: number }>;
  /** With `transcribe()`: an upload failed after the client's retries (tried again later). */
  uploadfailed: CustomEvent<{ index: number; error: unknown }>;
  /** With `transcribe()`: a chunk (or the recording's record) could not be stored — a full disk, no IndexedDB. The recording and the uploads go on from memory; the result's `unstored_chunks` names them. */
  storagefault: CustomEvent<{ index?: number; error: VoiceApiError }>;
}

/** A recording. */
export declare class Recorder extends EventTarget {
  readonly state: 'inactive' | 'starting' | 'recording' | 'paused' | 'stopping' | 'stopped';
  /** The microphone's stream while recording, else null. */
  readonly stream: MediaStream | null;
  /**
   * Opens the microphone and records. Rejects with `VoiceApiError`: `invalid_argument`
   * (options out of range, or called twice), `wasm_unavailable`, `insecure_context`,
   * `permission_denied`, `no_microphone`, `unsupported`; `aborted` when `stop()` came first
   * (stop() settles at once, even while the permission prompt is open).
   */
  start(): Promise<void>;
  pause(): void;
  resume(): void;
  /** The last chunk comes out, every track is stopped, the audio context closed. */
  stop(): Promise<RecordingSummary>;
  /** The chunks' WAV bytes as they are cut, until `stop()`: what `client.transcribe()` takes (held in memory; for a reload-safe recording use `transcribe`). Either this or `transcribe`, once. */
  chunks(): AsyncIterableIterator<Uint8Array>;
  /**
   * Transcribes the recording, reload-safe: `client.transcribe` with a durable store in
   * IndexedDB. Each chunk is stored (with the state that counts it) as it is cut, uploaded
   * while recording and dropped once the service has it. An outage never fails the
   * recording: chunks wait, stored, and go when the network is back (`onRetry`, and
   * `onProgress` with `offline` / `chunksWaiting`, tell a UI). After `stop()`: End Session and
   * the poll, within `timeoutMs` from the stop — then it rejects `upload_failed` naming what
   * is missing (still stored: `resumeTranscription`). A full disk is an event
   * (`storagefault`), not a failure. If the page goes away, `resumeTranscription(client,
   * recorder.handle)` finishes the job. Call it right after `start()`. On a final failure
   * (a 4xx, the deadline) the recording is stopped and the microphone released.
   */
  transcribe(client: VoiceClient, options?: RecorderTranscribeOptions): Promise<TranscribeResult>;
  /** `{ recordingId, sessionId? }` once `transcribe()` began (serialisable, no token), else null. */
  readonly handle: RecordingHandle | null;
  addEventListener<K extends keyof RecorderEventMap>(
    type: K,
    listener: (event: RecorderEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
}

/** A recorder; nothing is asked for or loaded before `start()`. Throws `invalid_argument` for options of the wrong type. */
export declare function createRecorder(options?: RecorderOptions): Recorder;

/**
 * Finishes a recording's transcription after a reload, a crash or a failure: uploads the
 * stored chunks the service lacks, ends the session and polls. One tab at a time (Web
 * Locks): while another holds the recording, `conflict`. Rejects with `not_found` when no
 * such recording is stored, `invalid_argument` when what is stored is corrupt,
 * `upload_failed` naming the chunks that still fail or are lost (what is stored stays),
 * `unsupported` / `timeout` when IndexedDB is not there or does not answer.
 */
export declare function resumeTranscription(client: VoiceClient, handle: RecordingHandle, options?: RecorderTranscribeOptions): Promise<TranscribeResult>;

/** The recordings stored on this origin and not finished, oldest first (those this version cannot read in `skipped`). */
export declare function listRecordings(): Promise<StoredRecordings>;

/** Forgets a stored recording and its chunks. */
export declare function discardRecording(handle: RecordingHandle): Promise<void>;

/**
 * Cuts a pre-recorded file into chunks by the recorder's rules (WAV, 16 kHz mono, at pauses,
 * at most `maxChunkMs`): what `client.transcribe()` takes, for files over the 10 MiB upload
 * limit. WAV is read piece by piece by the Rust core; other formats are decoded by the
 * browser. Rejects with `invalid_audio` for what is not audio it can read (`invalid_argument`
 * for what is not a file, or bad rules).
 */
export declare function splitRecording(
  file: Blob | ArrayBuffer | ArrayBufferView,
  options?: Omit<RecorderOptions, 'deviceId'>,
): AsyncGenerator<Uint8Array, void, undefined>;

// Types of `eka-voice/recorder`: recording the consultation in the browser.
import type { CreateSessionOptions, PollOptions, SessionResult, VoiceApiError, VoiceClient } from './index.js';

/** What `recorder.transcribe` and `resumeTranscription` take: the session's create options
 * (kept with the recording, for a resume that must create it) and the poll's. */
export type RecorderTranscribeOptions = CreateSessionOptions & PollOptions & { wasmUrl?: string | undefined };

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
  /** Chunks cut and stored. */
  chunks: number;
  /** Chunks the service has. */
  uploaded: number;
}

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
}

/** A recording. */
export declare class Recorder extends EventTarget {
  readonly state: 'inactive' | 'starting' | 'recording' | 'paused' | 'stopping' | 'stopped';
  /** The microphone's stream while recording, else null. */
  readonly stream: MediaStream | null;
  /**
   * Opens the microphone and records. Rejects with `VoiceApiError`: `invalid_argument`
   * (options out of range, or called twice), `wasm_unavailable`, `insecure_context`,
   * `permission_denied`, `no_microphone`, `unsupported`.
   */
  start(): Promise<void>;
  pause(): void;
  resume(): void;
  /** The last chunk comes out, every track is stopped, the audio context closed. */
  stop(): Promise<RecordingSummary>;
  /** The chunks' WAV bytes as they are cut, until `stop()`: what `client.transcribe()` takes (held in memory; for a reload-safe recording use `transcribe`). Either this or `transcribe`, once. */
  chunks(): AsyncIterableIterator<Uint8Array>;
  /**
   * Transcribes the recording, reload-safe: each chunk is stored in IndexedDB as it is cut,
   * uploaded while recording and dropped once the service has it; after `stop()`, End Session
   * and the poll. Call it right after `start()`. If the page goes away first,
   * `resumeTranscription(client, recorder.handle)` finishes the job (the audio after the last
   * cut is lost then). Rejects like `createSession` / `uploadAudio` / `endSession` /
   * `pollSession`, with `upload_failed` when chunks still fail (they stay stored), and with
   * `unsupported` when IndexedDB is not available.
   */
  transcribe(client: VoiceClient, options?: RecorderTranscribeOptions): Promise<SessionResult>;
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
 * Finishes a recording's transcription after a reload or a crash: uploads the stored chunks
 * the service lacks, ends the session and polls. Rejects with `not_found` when no such
 * recording is stored, `upload_failed` when chunks still fail (they stay stored).
 */
export declare function resumeTranscription(client: VoiceClient, handle: RecordingHandle, options?: RecorderTranscribeOptions): Promise<SessionResult>;

/** The recordings stored on this origin and not finished, oldest first. */
export declare function listRecordings(): Promise<StoredRecording[]>;

/** Forgets a stored recording and its chunks. */
export declare function discardRecording(handle: RecordingHandle): Promise<void>;

/**
 * Cuts a pre-recorded file into chunks by the recorder's rules (WAV, 16 kHz mono, at pauses,
 * at most `maxChunkMs`): what `client.transcribe()` takes, for files over the 10 MiB upload
 * limit. WAV is read piece by piece by the Rust core; other formats are decoded by the
 * browser. Rejects with `invalid_argument` for what is not audio it can read.
 */
export declare function splitRecording(
  file: Blob | ArrayBuffer | ArrayBufferView,
  options?: Omit<RecorderOptions, 'deviceId'>,
): AsyncGenerator<Uint8Array, void, undefined>;

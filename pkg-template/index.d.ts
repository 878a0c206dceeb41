// Types of the eka-voice package. Result objects are the Voice API's own bodies
// (snake_case, every unknown field kept) plus `http_status`. Every optional property also
// admits `undefined` (`exactOptionalPropertyTypes`: an absent option and an undefined one
// are the same to the package).

/** A timestamp: RFC 3339 text (`2026-06-06T14:21:07Z`), or epoch seconds on some deployments. */
export type Timestamp = string | number;

/** Options of a client (and of the one-shot `pollSession` / `getSession`). */
export interface ClientOptions {
  /** Base URL of the API. Default `https://api.eka.care`. Must be `https://` unless the host is loopback. */
  baseUrl?: string | undefined;
  /** A bearer token. */
  token?: string | undefined;
  /**
   * Returns a bearer token (sync or async). Asked before the first request when there is no
   * `token`, and asked again once after a 401 (or a 403 `invalid_token` / `missing_token`),
   * told which token the service refused (`refused`: drop it from any cache, or the same
   * token comes back refused); then the request is repeated once. Concurrent requests of
   * one client that hit a 401 together share one call.
   */
  getToken?: ((context: TokenContext) => string | PromiseLike<string>) | undefined;
  /**
   * The largest answer body read, in bytes (default 33554432, 32 MiB). A bigger answer is not
   * read and rejects with `invalid_response`. (In a browser, a compressed answer is bounded
   * by its Content-Length unless the server exposes `Content-Encoding` through CORS.)
   */
  maxResponseBytes?: number | undefined;
  /**
   * Origins besides `baseUrl`'s that a session's string `upload_url` may name, and that the
   * bearer token may therefore be sent to (each `https://host[:port]`, no path). Behind a
   * gateway or proxy, the service builds `upload_url` from its OWN origin: name it here, or
   * uploads reject `invalid_response`. Presigned (object) uploads carry no token and need no
   * trust.
   */
  trustedUploadOrigins?: string[] | undefined;
}

/** What `getToken` is told. */
export interface TokenContext {
  /** The token the service just refused (absent for the first token). */
  refused?: string;
}

/** Options of `getSession`: one request. */
export interface GetOptions {
  /** Restrict `templates` to one template (`?template_id=`). Not with `documentId`. */
  templateId?: string | undefined;
  /** Restrict the answer to one document (`?document_id=`). Not with `templateId`. */
  documentId?: string | undefined;
  /** Aborting rejects at once with `signal.reason` and cancels the request in flight. */
  signal?: AbortSignal | undefined;
  /** Abort a request that hangs longer than this (default 30000). */
  requestTimeoutMs?: number | undefined;
  /** Deadline of the whole call (default 600000); rejects with code `timeout`. */
  timeoutMs?: number | undefined;
}

/** Options of `pollSession`. */
export interface PollOptions extends GetOptions {
  /** Minimum time between the STARTS of two requests (default 1000). A long-polled request is followed at once. */
  intervalMs?: number | undefined;
  /** The floor of `intervalMs` (default 100): `intervalMs: 0` still waits 100 ms. Set 0 to poll back to back. */
  minIntervalMs?: number | undefined;
  /** Called with each 202 answer (a snapshot of the session). What it throws rejects the poll. */
  onProgress?: ((snapshot: PendingSession) => void) | undefined;
  /** Consecutive transient failures (network, 408, 429, 5xx) tolerated before rejecting (default 5). */
  maxRetries?: number | undefined;
  /** Called before each retry of a transient failure (a UI may show "reconnecting…"). What it throws rejects the call. */
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

/** What `onRetry` gets before each retry of a transient failure. */
export interface RetryEvent {
  /** Consecutive failed attempts so far (1 before the first retry). */
  attempt: number;
  /** Milliseconds until the next attempt: the answer's `Retry-After` when it had one, else the backoff. */
  delayMs: number;
  /** The failure being retried: `network` (no answer, a request timeout, a 408), `rate_limited` or `server_error` (a durable transcription's step also `timeout`, or a token source that could not be reached). */
  error: VoiceApiError;
  /** A durable transcription: the chunk whose upload is tried again (absent for Create / End). */
  index?: number;
}

/** One generated document. `data` is structured JSON (integration templates) or markdown text (custom templates). */
export interface TemplateDocument {
  status: 'success' | 'partial_success' | 'failure' | 'in-progress' | (string & {});
  document_id?: string | undefined;
  document_type?: string | null | undefined;
  data?: { [key: string]: unknown } | string | null | undefined;
  errors?: unknown[] | undefined;
  warnings?: unknown[] | undefined;
  publish?: { [key: string]: unknown } | undefined;
  presigned_url?: string | undefined;
  presigned_url_expires_at?: number | undefined;
  [key: string]: unknown;
}

/** An entry of `templates`: exactly one key, the template id. A template may appear several times. */
export type TemplateEntry = { [templateId: string]: TemplateDocument };

/** The presigned (object) form of `upload_url`. */
export interface PresignedUpload {
  uploadData: { url: string; fields: { [field: string]: string } };
  folderPath?: string | undefined;
  txn_id?: string | undefined;
  [key: string]: unknown;
}

/** `additional_data`: free-form, with the read-only `_protocol` echo. */
export interface AdditionalData {
  _protocol?: {
    version?: string | undefined;
    upload_type?: 'single' | 'chunked' | 'stream' | (string & {}) | undefined;
    communication_protocol?: 'http' | 'websocket' | (string & {}) | undefined;
    requested_templates?: string[] | undefined;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Fields of every state. */
export interface SessionBase {
  session_id: string;
  created_at: Timestamp;
  audio_files_received?: number | undefined;
  /** Stored file names (`"0.wav"`…) or storage URIs: opaque strings. */
  audio_files?: string[] | undefined;
  additional_data?: AdditionalData | undefined;
  patient_details?: { [key: string]: unknown } | null | undefined;
  session_details?: { [key: string]: unknown } | null | undefined;
  /** HTTPS (or `wss://`) string, or the presigned object; may be absent once completed. */
  upload_url?: string | PresignedUpload | undefined;
  /** The HTTP status of the answer (added by this client). */
  http_status: number;
  [key: string]: unknown;
}

/** 202: not ended yet (`initialized`) or in progress (`processing`). A 202 with a status this
 * client does not know is passed on as it came, so `status` admits any string: tell a
 * pending session from a result by `http_status === 202`. */
export interface PendingSession extends SessionBase {
  http_status: 202;
  status: 'initialized' | 'processing' | 'created' | (string & {});
  expires_at?: Timestamp | undefined;
  transcript?: string | null | undefined;
  templates?: TemplateEntry[] | undefined;
}

/** Fields of a finished session (completed or partial). */
export interface FinishedSessionBase extends SessionBase {
  completed_at?: Timestamp | null | undefined;
  expires_at?: Timestamp | undefined;
  model_used?: string | null | undefined;
  language_detected?: string | null | undefined;
  transcript: string | null;
  templates: TemplateEntry[];
}

/** 200 `completed`: transcript and templates present. */
export interface CompletedSession extends FinishedSessionBase {
  status: 'completed';
  http_status: 200;
}

/** A processing error of a partial session. */
export interface ProcessingError {
  type?: string | undefined;
  message?: string | undefined;
  file?: string | undefined;
  [key: string]: unknown;
}

/** 206 `partial`: finished, some documents failed. */
export interface PartialSession extends FinishedSessionBase {
  status: 'partial';
  http_status: 206;
  audio_files_processed?: number | undefined;
  processing_errors?: ProcessingError[] | undefined;
}

/** 200 `failed`: processing failed (a 200 that is a failure). */
export interface FailedSession extends SessionBase {
  status: 'failed';
  http_status: 200;
  error?: { code?: string; message?: string; details?: unknown; [key: string]: unknown } | undefined;
  transcript?: string | null | undefined;
  templates?: TemplateEntry[] | { [key: string]: never } | undefined;
}

/** 410 `expired`: expired before processing started. `templates` may be `{}`. */
export interface ExpiredSession extends SessionBase {
  status: 'expired';
  http_status: 410;
  expired_at?: Timestamp | undefined;
  message?: string | undefined;
  transcript?: string | null | undefined;
  templates?: TemplateEntry[] | { [key: string]: never } | undefined;
}

/** What `pollSession` resolves with. Discriminate on `status`. */
export type SessionResult = CompletedSession | PartialSession | FailedSession | ExpiredSession;

/** What `getSession` resolves with: any state. */
export type Session = SessionResult | PendingSession;

/** One document of a session, flattened by `documents()` / `findDocument()`. */
export interface SessionDocument {
  /** The template id (the key of its `templates` entry). */
  templateId: string;
  /** `document_id`, when the API sent one. */
  documentId: string | undefined;
  /** `success`, `partial_success`, `failure`, `in-progress`, or a status the API adds later. */
  status: TemplateDocument['status'] | undefined;
  /** `data` as the API sent it: structured JSON (integration templates) or markdown text. */
  data: TemplateDocument['data'];
  /** `data` when it is markdown text, else `undefined`. */
  markdown: string | undefined;
  /** `status === 'failure'`. */
  failed: boolean;
  /** `errors` of the document (`[]` when absent). */
  errors: unknown[];
  /** `warnings` of the document (`[]` when absent). */
  warnings: unknown[];
}

/**
 * Every document of a session, in the API's order: `[]` for a session without documents
 * (pending, failed, expired with `templates: {}`). Never throws: an entry that is not an
 * object is skipped.
 */
export declare function documents(session: Session | TranscribeResult | null | undefined): SessionDocument[];

/** The document of one template, or `undefined`. */
export declare function findDocument(
  session: Session | TranscribeResult | null | undefined,
  templateId: string,
): SessionDocument | undefined;

/** The `code` of a `VoiceApiError`. */
export type VoiceApiErrorCode =
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'bad_request'
  | 'rate_limited'
  | 'server_error'
  | 'network'
  | 'invalid_response'
  | 'timeout'
  | 'invalid_argument'
  | 'conflict'
  | 'expired'
  | 'too_large'
  | 'upload_failed'
  /** `getToken` failed for a reason that may pass (a network error, an error whose `status` is 408, 429 or 5xx, an error that does not say) or gave something that is not a token: retried like a network failure, then this. (An error with another 4xx `status` is `unauthorized`.) */
  | 'token_unavailable'
  /** The audio cannot be transcribed: not audio in a supported format, an empty chunk, a chunk over 10 MiB, a file `splitRecording` cannot read. Found before a session is created when it is the first chunk. */
  | 'invalid_audio'
  /** The WebAssembly module could not be fetched, compiled or instantiated (see `init`); the next call tries again. */
  | 'wasm_unavailable'
  /** `verifyWebhook` (eka-voice/server): the signature does not match the body under the key. */
  | 'invalid_signature'
  /** `verifyWebhook` (eka-voice/server): a valid signature, but its timestamp is beyond the tolerance. */
  | 'stale_signature'
  /** The recorder (eka-voice/recorder): the microphone permission was denied. */
  | 'permission_denied'
  /** The recorder: no microphone, or none that can be opened. */
  | 'no_microphone'
  /** The recorder: not a secure context (https or localhost), so no microphone. */
  | 'insecure_context'
  /** The recorder: this browser has no AudioContext / AudioWorklet, or no IndexedDB (or it failed). */
  | 'unsupported'
  /** The recorder: `stop()` was called before `start()` finished (e.g. while the permission prompt was open). */
  | 'aborted';

/** Every failure of this package (but an abort, which rejects with `signal.reason`). */
export declare class VoiceApiError extends Error {
  readonly name: 'VoiceApiError';
  /** Stable category. */
  readonly code: VoiceApiErrorCode;
  /** HTTP status of the answer, when there was one. */
  readonly status?: number | undefined;
  /** The service's own `error.code`, from any envelope, when it sent one. */
  readonly apiCode?: string | undefined;
  /** The parsed error body (or its text, when not JSON), when there was one. */
  readonly body?: unknown | undefined;
  /** The JS error behind a failure with no answer (the network's `TypeError`), or what `getToken` threw. */
  readonly cause?: unknown | undefined;
  /** The session the call was about. */
  readonly sessionId?: string | undefined;
  toJSON(): {
    name: 'VoiceApiError';
    code: VoiceApiErrorCode;
    status?: number | undefined;
    apiCode?: string | undefined;
    sessionId?: string | undefined;
    message: string;
    body?: unknown | undefined;
  };
}

/** Retry and cancellation options of one lifecycle call. */
export interface CallOptions {
  /** Aborting rejects at once with `signal.reason` and cancels the request in flight. */
  signal?: AbortSignal | undefined;
  /** Abort a request that hangs longer than this (default 30000); transient. */
  requestTimeoutMs?: number | undefined;
  /** Consecutive transient failures tolerated (default 5). */
  maxRetries?: number | undefined;
  /** Called before each retry of a transient failure. What it throws rejects the call. */
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** Deadline of the whole call (default 600000). */
  timeoutMs?: number | undefined;
}

/** Options of `createSession` (sent in snake_case: `upload_type`, `language_hint`, …). */
export interface CreateSessionOptions extends CallOptions {
  /** Template ids to generate, e.g. `['eka_emr_template', 'clinical_notes_template']`. */
  templates?: string[] | undefined;
  /** `'chunked'` (default: numbered files while the consultation goes on) or `'single'`. */
  uploadType?: 'chunked' | 'single' | undefined;
  model?: 'pro' | 'lite' | (string & {}) | undefined;
  /**
   * The languages spoken, e.g. `['en']` or `['en', 'hi']` (the provider's server takes `en`,
   * `hi` and `en-hi`, requires at least one on create, and refuses `auto_detect`: its 400
   * message, which lists what it takes, is in the error's `message`).
   */
  languageHint?: string[] | string | undefined;
  transcriptLanguage?: string | undefined;
  sessionMode?: 'consultation' | 'dictation' | (string & {}) | undefined;
  patientDetails?: { oid?: string; name?: string; age?: number; gender?: string; mobile?: string; [key: string]: unknown } | undefined;
  /** Echoed back; at most 4 KB as JSON; never `_protocol`. */
  additionalData?: { [key: string]: unknown } | undefined;
  /** A client-chosen session id (16–32 characters). */
  sessionId?: string | undefined;
  /** Ask for the presigned (object) form of `upload_url` (`?version=v2`). */
  presignedUpload?: boolean | undefined;
}

/** The answer of Create Session (201), as the API sent it, plus `http_status`. */
export interface CreatedSession {
  session_id: string;
  status: 'created' | 'initialized' | (string & {});
  created_at?: Timestamp | undefined;
  expires_at?: Timestamp | undefined;
  upload_url?: string | PresignedUpload | undefined;
  patient_details?: { [key: string]: unknown } | null | undefined;
  http_status: number;
  [key: string]: unknown;
}

/** An audio chunk: a Blob (or File), an ArrayBuffer, or a view such as Uint8Array / Buffer. At most 10 MiB. */
export type AudioChunk = Blob | ArrayBuffer | ArrayBufferView;

/** Options of `uploadAudio`. */
export interface UploadOptions extends CallOptions {
  /** `n` of `audio_<n>.<ext>`; default: counted per session from 0 by this client. */
  index?: number | undefined;
  /** `wav`, `webm`, `ogg`, `mp3`, `m4a`, `mp4` (or a MIME type); default: the Blob's type, else the bytes. */
  format?: 'wav' | 'webm' | 'ogg' | 'mp3' | 'm4a' | 'mp4' | (string & {}) | undefined;
}

/** The answer of one upload plus `http_status`, the `file_name` sent and its `index`. */
export interface UploadedChunk {
  session_id?: string | undefined;
  success?: boolean | undefined;
  original_filename?: string | undefined;
  http_status: number;
  file_name: string;
  index: number;
  [key: string]: unknown;
}

/** Options of `endSession`. The counts default to this client's own uploads for the session. */
export interface EndOptions extends CallOptions {
  audioFilesSent?: number | undefined;
  audioFilesUploaded?: number | undefined;
}

/** The answer of End Session (202) plus `http_status`. */
export interface EndedSession {
  session_id: string;
  status: 'processing' | (string & {});
  message?: string | undefined;
  audio_files_received?: number | undefined;
  audio_files?: string[] | undefined;
  http_status: number;
  [key: string]: unknown;
}

/** What `transcribe` reports, phase by phase. */
export type TranscribeProgress =
  | { phase: 'creating' }
  | {
      phase: 'uploading';
      sessionId: string;
      chunksDone: number;
      chunksTotal?: number;
      bytesDone: number;
      bytesTotal?: number;
      /** A durable transcription: chunks cut and not yet with the service (present when some wait, or offline). */
      chunksWaiting?: number;
      /** A durable transcription: the last step failed for want of a network; it is tried again ("offline, 3 chunks waiting"). The next success clears it. */
      offline?: boolean;
    }
  | { phase: 'ending'; sessionId: string }
  | { phase: 'processing'; sessionId: string; snapshot: PendingSession };

/** Options of `transcribe`: create and poll options, one signal, one progress callback. */
export interface TranscribeOptions extends CreateSessionOptions, Omit<PollOptions, 'onProgress'> {
  /** Uploads in flight at once (default 2). */
  concurrency?: number | undefined;
  /** Go on when some chunks failed but at least one made it; the result lists `missing_chunks`. */
  allowPartialUpload?: boolean | undefined;
  /**
   * Deadline counted FROM THE LAST CHUNK (default 600000): the call rejects with `timeout` when
   * no chunk arrived for this long, or when the uploads, End Session and the processing did not
   * finish within it after the last chunk. A live recording may last longer in all.
   */
  timeoutMs?: number | undefined;
  onProgress?: ((event: TranscribeProgress) => void) | undefined;
  /**
   * Makes the transcription DURABLE (what `eka-voice/recorder` does with IndexedDB): every
   * chunk is stored through these hooks before it is uploaded, and a failure for want of a
   * network or a service is never final while chunks come — it is tried again (1 s … 30 s,
   * at once on the page's `online` event), reported to `onRetry` and `onProgress`
   * (`offline`, `chunksWaiting`). The session id is chosen by the client (`sessionId`, or one
   * made up) and saved before Create, so a repeated create is safe. `timeoutMs` then counts
   * from the end of the chunks; past it the call rejects `upload_failed` naming the missing
   * chunks (still stored: finish with `resume`). End is never sent with fewer chunks than
   * were cut. `allowPartialUpload` does not apply.
   */
  durable?: DurableStore | undefined;
  /** A durable transcription's stored state (what `durable.save` / `putChunk` were given last), to finish it: give `durable` and no chunks (`[]`). A corrupt state rejects `invalid_argument`. */
  resume?: string | undefined;
}

/** Where a durable transcription keeps its chunks and its state. Each hook may return a promise. */
export interface DurableStore {
  /** Store chunk `index` (its bytes) AND `state` in one transaction; reject when it could not be stored (a full disk: the chunk is uploaded from memory and named in `unstored_chunks`). */
  putChunk(index: number, bytes: Blob | Uint8Array, state: string): unknown;
  /** The stored bytes of chunk `index`, or `undefined`. */
  getChunk(index: number): unknown;
  /** The service has chunk `index`: its stored bytes may go. */
  dropChunk(index: number): unknown;
  /** Store `state` (an opaque string: store it as it is). */
  save(state: string): unknown;
  /** The transcription is over: remove what is stored of it. */
  forget(): unknown;
}

/** What `transcribe` resolves with. */
export type TranscribeResult = SessionResult & {
  missing_chunks?: string[];
  /** A durable transcription: chunks that could never be stored (a full disk), uploaded from memory. */
  unstored_chunks?: number[];
};

/**
 * A compiled `WebAssembly.Module` (typed as an object: a Node-only project, without the DOM
 * library, has no `WebAssembly` namespace to name it by).
 */
export type CompiledWasmModule = object;

/**
 * Loads the WebAssembly module now, instead of on the first call (a preload), or from
 * somewhere else than beside the package: a URL, a `Response` (or a promise of one), the
 * bytes, or a compiled `WebAssembly.Module` (e.g. one posted to a worker). Importing the
 * package loads nothing. Concurrent calls share one load; once loaded, later inputs are
 * ignored. A module that is not this entry's (the recorder's, a stale build) is refused
 * before it is instantiated. Rejects with `VoiceApiError` `wasm_unavailable` when the module
 * cannot be loaded, or not within `timeoutMs` (default 30000: a stalled fetch) — the next
 * call or `init()` tries again; `signal` stops waiting. While the module loads, each call
 * waits within its own `signal` and `timeoutMs`.
 */
export declare function init(
  input?: string | URL | Request | Response | PromiseLike<Response> | ArrayBuffer | ArrayBufferView | CompiledWasmModule,
  options?: { timeoutMs?: number | undefined; signal?: AbortSignal | undefined },
): Promise<void>;

/** Options of the operations beyond the lifecycle (`listTemplates`, `getDocument`, …): a call's. */
export type OperationOptions = CallOptions;

/** Options of `processTemplate` and `uploadTranscript`: the call's, then a poll's while the document is generated. */
export interface WaitOptions extends CallOptions {
  /** Minimum time between the starts of two polls (default 1000). */
  intervalMs?: number | undefined;
  /** The floor of `intervalMs` (default 100). */
  minIntervalMs?: number | undefined;
  /** Called with each 202 body while the document is generated. */
  onProgress?: ((snapshot: PendingSession) => void) | undefined;
}

/** Options of `getSessions`. */
export interface SessionsOptions extends CallOptions {
  /** The number of latest sessions (default: all; 10 with `oid`). */
  count?: number | undefined;
  /** A patient's OID: that patient's sessions only. */
  oid?: string | undefined;
}

/** What a call resolves with: the answer's body and its HTTP status. */
export type Answer<T> = T & { http_status: number };

/** `GET /voice/v1/.well-known/medscribealliance`: what the service supports. */
export interface Discovery {
  protocol?: string;
  protocol_version?: string;
  supported_versions?: string[];
  service?: { name?: string; documentation_url?: string; support_email?: string };
  endpoints?: { base_url?: string; webhooks_url?: string; templates_url?: string };
  capabilities?: {
    audio_formats?: string[];
    max_chunk_duration_seconds?: number;
    upload_methods?: string[];
    webhook_delivery?: boolean;
    client_sdk_delivery?: boolean;
  };
  models?: {
    id: string;
    display_name?: string;
    languages?: string[];
    max_session_duration_seconds?: number;
    response_speed?: string;
    features?: { realtime_transcription?: boolean; speaker_diarization?: boolean; custom_templates?: boolean };
  }[];
  languages?: { supported?: string[]; auto_detection?: boolean };
}

/** `GET /voice/v1/sessions/{id}/audio`: a presigned URL of the whole recording (MP3). */
export interface SessionAudio {
  session_id: string;
  status: string;
  audio_url: string;
  expires_in?: number;
  expires_at?: number;
}

/** The fields `updateSession` may change (unknown fields are refused: 422). */
export interface SessionUpdate {
  patient_details?: Record<string, unknown>;
  templates?: string[];
  language_hint?: string[];
  additional_data?: Record<string, unknown>;
  /** Only before End Session (then 409). */
  session_mode?: 'consultation' | 'dictation';
  /** Only before End Session (then 409). */
  model?: 'pro' | 'lite';
  user_status?: string;
  processing_status?: string;
}

/** `uploadTranscript`'s body: a transcript to structure (or translate). */
export interface TranscriptUpload {
  transcript?: string;
  template_id?: string;
  target_language?: string;
}

/** A template (`listTemplates`). */
export interface Template {
  id: string;
  title: string;
  desc?: string;
  section_ids?: string[];
  default?: boolean;
  is_favorite?: boolean;
}

/** `createTemplate`'s body. */
export interface TemplateCreate {
  title: string;
  desc?: string;
  section_ids: string[];
  type?: string;
}

/** `saveDocument`'s body: a new document, or (`document_id`) an update of one. */
export interface DocumentSave {
  session_id: string;
  document_id?: string;
  template_id?: string;
  type?: 'context' | 'custom' | 'notes' | 'integration';
  document_name?: string;
  status?: string;
  errors?: unknown[];
  warnings?: unknown[];
  usage_information?: Record<string, unknown>;
}

/** A document (`getDocument`, `saveDocument`): its content is at `presigned_url` (GET after Get Document, PUT after a save). */
export interface StoredDocument {
  document_id: string;
  session_id?: string;
  template_id?: string;
  document_name?: string;
  type?: string;
  document_type?: string;
  status?: string;
  errors?: unknown[];
  warnings?: unknown[];
  presigned_url?: string;
  created_at?: string;
  updated_at?: string;
}

/** A session's document (`listSessionDocuments`). */
export interface ListedDocument extends Omit<StoredDocument, 'presigned_url'> {
  download_url?: string | null;
  lang?: string | null;
}

/** A past session (`getSessions`). */
export interface SessionSummary {
  txn_id: string;
  oid?: string;
  mode?: string;
  model_type?: 'pro' | 'lite';
  processing_status?: 'success' | 'in-progress' | 'system_failure' | 'request_failure';
  user_status?: string;
  patient_details?: Record<string, unknown>;
  created_at?: string;
}

/** A Voice API client. Its methods never throw: they reject with `VoiceApiError`. */
export declare class VoiceClient {
  /**
   * Throws a `VoiceApiError` (`invalid_argument`) for bad options once the wasm is loaded:
   * always in Node and with `eka-voice/inline` (they load it synchronously on first use); in
   * a browser, after `await init()` or any call that loaded it. A client made before that
   * keeps its options until the wasm arrives: then a bad option rejects each of its calls.
   */
  constructor(options?: ClientOptions);
  /** One request: the session in any state. */
  getSession(sessionId: string, options?: GetOptions): Promise<Session>;
  /** Polls while the answer is 202; resolves on 200 / 206 / 410. */
  pollSession(sessionId: string, options?: PollOptions): Promise<SessionResult>;
  /** `POST /voice/v1/sessions`. */
  createSession(options?: CreateSessionOptions): Promise<CreatedSession>;
  /** Uploads one chunk as `audio_<n>.<ext>` (raw body, or the presigned form). */
  uploadAudio(
    session: string | { session_id: string; upload_url?: string | PresignedUpload | null | undefined },
    chunk: AudioChunk,
    options?: UploadOptions,
  ): Promise<UploadedChunk>;
  /** `POST /voice/v1/sessions/{id}/end`: processing starts. */
  endSession(sessionId: string, options?: EndOptions): Promise<EndedSession>;
  /** Create → upload every chunk as it arrives → end → poll. */
  transcribe(
    chunks: Iterable<AudioChunk | Promise<AudioChunk>> | AsyncIterable<AudioChunk>,
    options?: TranscribeOptions,
  ): Promise<TranscribeResult>;
  /** Frees the client's wasm memory now (it is also freed when garbage-collected). */
  free(): void;
  /**
   * Discovery (public: no token): the service's models, languages and audio capabilities.
   * The answer is kept by the client as its `Cache-Control` says (`max-age`, at most a day;
   * `no-store`/`no-cache`/none: not kept) and answered again from there, a copy each time,
   * while fresh. While it is kept, `createSession` and `transcribe` check `model` and
   * `languageHint` against it (`invalid_argument` before any request); nothing is checked,
   * and nothing asked, when no answer is kept.
   */
  getDiscovery(options?: OperationOptions): Promise<Answer<Discovery>>;
  /**
   * A presigned URL of the whole recording (one MP3; no token needed: an `<audio>` element
   * streams it). It is combined after End: while the service answers 404
   * `audio_not_available`, the call asks again with the client's retries (`maxRetries`,
   * backoff, deadline), then rejects `not_found` with that `apiCode`. 403
   * `audio_not_enabled`: the business has no full-audio access.
   */
  getSessionAudio(sessionId: string, options?: OperationOptions): Promise<Answer<SessionAudio>>;
  /** Updates a session's metadata (422 for unknown fields; mode and model only before End: 409). */
  updateSession(sessionId: string, update: SessionUpdate, options?: OperationOptions): Promise<Answer<{ session_id: string; status: string; message?: string }>>;
  /** Runs another template on a session, then waits for its document as `pollSession` does: resolves with the session holding it. Not retried (each call makes a document). */
  processTemplate(sessionId: string, templateId: string, options?: WaitOptions): Promise<SessionResult>;
  /** Structures (or translates) a transcript you already have, then waits for the document. Not retried. */
  uploadTranscript(sessionId: string, transcript: TranscriptUpload, options?: WaitOptions): Promise<SessionResult>;
  /** Creates a template (not retried: each call makes one). */
  createTemplate(template: TemplateCreate, options?: OperationOptions): Promise<Answer<{ msg?: string; template_id: string }>>;
  /** Every template of the workspace (a template picker). */
  listTemplates(options?: OperationOptions): Promise<Answer<{ items: Template[] }>>;
  /** Changes a template's title or instructions. */
  updateTemplate(templateId: string, update: { title?: string; desc?: string }, options?: OperationOptions): Promise<Answer<{ msg?: string }>>;
  /** Deletes a template. */
  deleteTemplate(templateId: string, options?: OperationOptions): Promise<Answer<{ msg?: string }>>;
  /** Creates a document, or updates one (`document_id`): the doctor's corrections. Upload its content to `data.presigned_url` (PUT). Not retried. */
  saveDocument(document: DocumentSave, options?: OperationOptions): Promise<Answer<{ status: string; data: StoredDocument }>>;
  /** A document; its content is at `data.presigned_url`. */
  getDocument(documentId: string, options?: OperationOptions): Promise<Answer<{ status: string; data: StoredDocument }>>;
  /** Archives a document (again: a no-op). */
  deleteDocument(documentId: string, options?: OperationOptions): Promise<Answer<{ status: string; message?: string }>>;
  /** A session and its documents. */
  listSessionDocuments(sessionId: string, options?: OperationOptions): Promise<Answer<{ status: string; data: { session_id: string; status?: string | null; patient_details?: Record<string, unknown>; documents: ListedDocument[] } }>>;
  /** Past sessions, newest first (a patient's with `oid`). None (the service's 404 "No sessions found"): `{ status: 'success', data: [], retrieved_count: 0, http_status: 404 }`. */
  getSessions(options?: SessionsOptions): Promise<Answer<{ status: string; data: SessionSummary[]; retrieved_count?: number }>>;
}

/** One-shot `pollSession` with a client built from the same options. */
export declare function pollSession(sessionId: string, options?: ClientOptions & PollOptions): Promise<SessionResult>;

/** One-shot `getSession` with a client built from the same options. */
export declare function getSession(sessionId: string, options?: ClientOptions & GetOptions): Promise<Session>;

// Type-checked (tsc --strict --noEmit) against the installed package: the shipped types
// must admit every documented form, and discriminate results on `status`.
import {
  VoiceClient,
  pollSession,
  getSession,
  VoiceApiError,
  init,
  documents,
  findDocument,
  type SessionDocument,
  type RetryEvent,
  type Session,
  type SessionResult,
  type PendingSession,
  type VoiceApiErrorCode,
  type TemplateDocument,
  type CreatedSession,
  type TranscribeProgress,
  type TranscribeResult,
  type UploadedChunk,
} from 'eka-voice';

// init: a preload, or the module from elsewhere.
const loads: Promise<void>[] = [
  init(),
  init('/assets/eka_voice_bg.wasm'),
  init(new URL('https://cdn.example/eka_voice_bg.wasm')),
  init(fetch('/eka_voice_bg.wasm')),
  init(new Uint8Array(8)),
  init(new WebAssembly.Module(new Uint8Array(8))),
];
const loadFailure: VoiceApiErrorCode = 'wasm_unavailable';

// Reading documents.
export function render(s: Session): string[] {
  const all: SessionDocument[] = documents(s);
  const notes = findDocument(s, 'clinical_notes_template');
  const md: string | undefined = notes?.markdown;
  return [...all.map((d) => `${d.templateId}:${d.status}:${d.failed}`), md ?? ''];
}
const onRetry = (e: RetryEvent): void => void [e.attempt, e.delayMs, e.error.code];
void client2;
function client2() {
  return new VoiceClient({ token: 't' }).pollSession('x', { onRetry });
}
void loads, loadFailure;

const client = new VoiceClient({ baseUrl: 'http://127.0.0.1:1', getToken: async () => 'token' });
const sync = new VoiceClient({ getToken: () => 'token' });
sync.free();

function describe(doc: TemplateDocument): string {
  if (typeof doc.data === 'string') return doc.data; // markdown
  if (doc.data) return Object.keys(doc.data).join(','); // structured JSON
  return doc.status;
}

export async function main(): Promise<void> {
  const controller = new AbortController();
  const r: SessionResult = await client.pollSession('ses_1', {
    templateId: 'eka_emr_template',
    intervalMs: 1000,
    timeoutMs: 60_000,
    requestTimeoutMs: 30_000,
    maxRetries: 3,
    signal: controller.signal,
    onProgress: (s: PendingSession) => {
      // A status the client does not know yet is passed on, and typed so.
      const st: string = s.status;
      if (s.status === 'queued_for_gpu') void s.http_status;
      const t: string | null | undefined = s.transcript;
      void st;
      void t;
    },
  });
  switch (r.status) {
    case 'completed': {
      const code: 200 = r.http_status;
      const t: string | null = r.transcript;
      for (const entry of r.templates) for (const [id, doc] of Object.entries(entry)) void [id, describe(doc), code, t];
      break;
    }
    case 'partial': {
      const code: 206 = r.http_status;
      void [code, r.audio_files_processed, r.processing_errors?.[0]?.message];
      break;
    }
    case 'failed': {
      void r.error?.code;
      break;
    }
    case 'expired': {
      const code: 410 = r.http_status;
      const t = r.templates;
      if (t && !Array.isArray(t)) void Object.keys(t).length; // {} form
      void code;
      break;
    }
    default: {
      const never: never = r;
      void never;
    }
  }
  const u = r.upload_url;
  if (typeof u === 'object') void u.uploadData.fields;
  const anyState: Session = await getSession('ses_1', { baseUrl: 'http://127.0.0.1:1', token: 't', documentId: 'doc_1' });
  if (anyState.status === 'processing') void anyState.expires_at;
  // A pending session is told from a result by its http_status.
  if (anyState.http_status === 202) {
    const pending: PendingSession = anyState;
    void pending;
  } else {
    const finished: SessionResult = anyState;
    void finished;
  }
  const unknownField: unknown = anyState['some_future_field'];
  void unknownField;
  await pollSession('ses_1', { token: 't', intervalMs: 500 });
  try {
    await client.getSession('ses_1');
  } catch (e) {
    if (e instanceof VoiceApiError) {
      const code: VoiceApiErrorCode = e.code;
      const status: number | undefined = e.status;
      const api: string | undefined = e.apiCode;
      void [code, status, api, e.body, e.sessionId, e.message, e.toJSON().code];
    }
  }
  const created: CreatedSession = await client.createSession({
    templates: ['eka_emr_template'],
    uploadType: 'chunked',
    model: 'pro',
    languageHint: ['en'],
    patientDetails: { oid: 'p_1', age: 40 },
    additionalData: { visit: 1 },
    presignedUpload: true,
    signal: controller.signal,
  });
  const chunk: UploadedChunk = await client.uploadAudio(created, new Blob([]), { index: 0, format: 'webm' });
  await client.uploadAudio(created.session_id, new Uint8Array(8));
  void chunk.file_name;
  const ended = await client.endSession(created.session_id, { audioFilesSent: 2, audioFilesUploaded: 2 });
  void ended.audio_files;
  async function* recorder(): AsyncGenerator<Blob> {
    yield new Blob([]);
  }
  const onProgress = (e: TranscribeProgress) => {
    if (e.phase === 'uploading') void [e.chunksDone, e.bytesTotal];
    if (e.phase === 'processing') void e.snapshot.status;
  };
  const t: TranscribeResult = await client.transcribe(recorder(), { concurrency: 2, allowPartialUpload: true, intervalMs: 500, onProgress });
  void t.missing_chunks;
  await client.transcribe([new ArrayBuffer(8), new Uint8Array(8)]);
  await client.pollSession('s', { intervalMs: 0, minIntervalMs: 0 });
  const bounded = new VoiceClient({ token: 't', maxResponseBytes: 1 << 20 });
  void bounded;
  // @ts-expect-error uploadType is chunked or single
  await client.createSession({ uploadType: 'stream' });
  // @ts-expect-error the session id is a string
  await client.pollSession(42);
  // @ts-expect-error unknown option names are caught
  await client.pollSession('x', { interval: 5 });
}

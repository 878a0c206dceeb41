// Bodies the simulator answers with, shaped as the Voice API documents them
// (the Voice API contract, get-session): every state, the three error envelopes, both forms
// of a template's `data`.

export const TRANSCRIPT =
  'Good morning doctor. I have had a cough and fever for three days. The cough is dry and ' +
  'worse at night. Any shortness of breath? Let me check your temperature. It is thirty ' +
  'eight point four. This looks like acute bronchitis. I will prescribe rest and fluids.';

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Fields every state has. */
export function baseFields(id, status, createdMs, extra = {}) {
  return {
    session_id: id,
    status,
    created_at: iso(createdMs),
    audio_files_received: 2,
    audio_files: ['0.wav', '1.wav'],
    additional_data: {
      _protocol: {
        version: '0.1',
        upload_type: 'chunked',
        communication_protocol: 'http',
        requested_templates: ['eka_emr_template', 'clinical_notes_template'],
      },
    },
    patient_details: { oid: 'p_1', name: 'A. Patient' },
    upload_url: `https://api.eka.care/voice/v1/sessions/${encodeURIComponent(id)}/audio`,
    ...extra,
  };
}

/** A 202 body. */
export function pendingBody(id, status, createdMs) {
  return baseFields(id, status, createdMs, {
    expires_at: iso(createdMs + 3600_000),
    transcript: status === 'initialized' ? '' : null,
  });
}

/** The two documents of a finished session: structured JSON and markdown. */
export function templates(docStatus = 'success') {
  return [
    {
      eka_emr_template: {
        status: docStatus,
        document_id: 'doc_emr_1',
        document_type: 'eka_emr_template',
        data: {
          chief_complaint: 'cough and fever for three days',
          symptoms: [
            { name: 'cough', duration: '3 days', notes: 'dry, worse at night' },
            { name: 'fever', duration: '3 days', temperature_c: 38.4 },
          ],
          diagnosis: [{ name: 'acute bronchitis' }],
          advice: ['rest', 'fluids'],
        },
        errors: [],
        warnings: [],
        publish: {},
      },
    },
    {
      clinical_notes_template: {
        status: docStatus === 'success' ? 'success' : 'failure',
        document_id: 'doc_notes_1',
        data: '## Assessment\nAcute bronchitis\n\n## Plan\n- Rest\n- Fluids',
        errors: docStatus === 'success' ? [] : [{ code: 'generation_failed', message: 'model error' }],
        warnings: [],
        publish: {},
      },
    },
  ];
}

/** A 200 `completed` body (or 206 `partial` with `partial: true`). */
export function completedBody(id, createdMs, { partial = false, bigTranscriptBytes = 0, extraTemplates = 0 } = {}) {
  let transcript = TRANSCRIPT;
  while (transcript.length < bigTranscriptBytes) transcript += ' ' + TRANSCRIPT;
  const list = templates(partial ? 'partial_success' : 'success');
  for (let i = 0; i < extraTemplates; i++) {
    list.push({ [`custom_template_${i}`]: { status: 'success', document_id: `doc_x_${i}`, data: `## Note ${i}\n${TRANSCRIPT}`, errors: [], warnings: [], publish: {} } });
  }
  const body = baseFields(id, partial ? 'partial' : 'completed', createdMs, {
    completed_at: iso(createdMs + 27_000),
    expires_at: iso(createdMs + 3600_000),
    model_used: 'pro',
    language_detected: 'en',
    transcript,
    templates: list,
    vendor_extension: { kept: true },
  });
  if (partial) {
    body.audio_files_processed = 1;
    body.processing_errors = [{ type: 'transcription', message: 'file could not be decoded', file: '1.wav' }];
  }
  return body;
}

/** A 200 `failed` body. */
export function failedBody(id, createdMs) {
  return baseFields(id, 'failed', createdMs, {
    error: { code: 'processing_failed', message: 'All documents failed to generate' },
  });
}

/** A 410 `expired` body: `templates` is an empty OBJECT here. */
export function expiredBody(id, createdMs) {
  const b = baseFields(id, 'expired', createdMs, {
    expired_at: iso(createdMs + 3600_000),
    message: 'Session expired before processing was started',
    transcript: null,
    templates: {},
  });
  delete b.upload_url;
  delete b.patient_details;
  return b;
}

/** Error envelope 1: `{error: {code, message, details}}`. */
export const envelope1 = (code, message, details = {}) => ({ error: { code, message, details } });
/** Error envelope 2: `{status: "failed", error: {code, message, display_message}, txn_id, b_id}`. */
export const envelope2 = (code, message) => ({
  status: 'failed',
  error: { code, message, display_message: message },
  txn_id: 'txn_sim_1',
  b_id: 'b_sim_1',
});
/** Error envelope 3 (gateway): `{message}`. */
export const envelope3 = (message) => ({ message });
/** Error envelope 4 (FastAPI, the provider's own server): `{detail: "<code>"}`, or its
 * request-validation list `{detail: [{type, loc, msg}]}`. */
export const envelope4 = (detail) => ({ detail });

/** A 404 `[status, body]` for a missing resource. */
export const notFoundPair = (what) => [404, envelope1('resource_not_found', `${what} not found`)];

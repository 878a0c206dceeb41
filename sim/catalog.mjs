// The operations of the Voice API beyond a session's lifecycle, statefully (issue 22): Discovery,
// Get Session Audio, Update Session, Process Template (202, then the document is ready when
// its session is processed again), Upload Transcript, templates (create, list, update,
// delete), documents (create or update, get, delete; their content through a presigned
// URL), a session's documents, and the history of sessions. Shaped as the provider's
// OpenAPI document says (tests/fixtures/openapi): what is created is listed, what is
// updated is read back.
import { randomBytes } from 'node:crypto';
import * as B from './bodies.mjs';

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hex = (n) => randomBytes(n).toString('hex');
const notFound = B.notFoundPair;
const PATCHABLE = ['patient_details', 'templates', 'language_hint', 'additional_data', 'session_mode', 'model', 'user_status', 'processing_status'];
/** How long a processed template or a transcript takes to become a document. */
const DOCUMENT_MS = 300;

export const DISCOVERY = {
  protocol: 'medscribealliance',
  protocol_version: '0.1',
  supported_versions: ['0.1'],
  service: { name: 'eka-voice simulator', documentation_url: 'https://developer.eka.care', support_email: 'support@eka.care' },
  capabilities: {
    audio_formats: ['audio/webm;codecs=opus', 'audio/wav', 'audio/ogg', 'audio/mp4', 'audio/m4a', 'audio/mp3'],
    max_chunk_duration_seconds: 20,
    upload_methods: ['chunked', 'single'],
    webhook_delivery: true,
    client_sdk_delivery: true,
  },
  models: [
    { id: 'lite', display_name: 'Lite', languages: ['en', 'hi'], max_session_duration_seconds: 600, response_speed: 'fast', features: { realtime_transcription: false, speaker_diarization: false, custom_templates: false } },
    { id: 'pro', display_name: 'Professional', languages: ['en', 'hi', 'en-hi'], max_session_duration_seconds: 3600, response_speed: 'standard', features: { realtime_transcription: false, speaker_diarization: true, custom_templates: true } },
  ],
  languages: { supported: ['en', 'hi', 'en-hi'], auto_detection: false },
};

export class Catalog {
  /** `life`: the Lifecycle whose sessions these operations concern. */
  constructor(life) {
    this.life = life;
    this.reset();
  }

  reset() {
    this.templates = new Map(
      [
        ['eka_emr_template', 'Eka EMR', 'Structured EMR fields'],
        ['clinical_notes_template', 'Clinical notes', 'SOAP notes in markdown'],
      ].map(([id, title, desc]) => [id, { id, title, desc, section_ids: ['sec_1'], default: true, is_favorite: false }]),
    );
    this.documents = new Map();
  }

  /** GET /voice/v1/.well-known/medscribealliance (public, cacheable). */
  discovery(origin) {
    const endpoints = { base_url: `${origin}/voice/v1`, webhooks_url: `${origin}/voice/v1/webhooks`, templates_url: `${origin}/voice/api/v1/template` };
    return [200, { ...DISCOVERY, endpoints }, { 'cache-control': 'max-age=10800' }];
  }

  /** GET /voice/v1/sessions/{id}/audio: a URL of the whole recording once it is combined. */
  audio(id, origin) {
    const s = this.life.sessions.get(id);
    if (!s) return notFound('Session');
    if (s.sim.full_audio === false) return [403, B.envelope1('audio_not_enabled', 'Full-audio access is not enabled for this business')];
    if (!s.ended || Date.now() < s.readyAt || s.files.size === 0) return [404, B.envelope1('audio_not_available', 'The combined audio is not ready yet')];
    const expiresIn = 86_400;
    return [200, { session_id: id, status: 'success', audio_url: `${origin}/__audio/${encodeURIComponent(id)}`, expires_in: expiresIn, expires_at: Math.floor(Date.now() / 1000) + expiresIn }];
  }

  /** The bytes behind an `audio_url`: the session's chunks, in order. */
  audioBytes(id) {
    const s = this.life.sessions.get(id);
    return s ? Buffer.concat(this.life.audioFiles(s).map((name) => s.files.get(name))) : null;
  }

  /** PATCH /voice/v1/sessions/{id} */
  update(id, body) {
    const s = this.life.sessions.get(id);
    if (!s) return notFound('Session');
    if (!body || typeof body !== 'object' || Array.isArray(body)) return [422, B.envelope1('validation_error', 'The body must be an object')];
    const unknown = Object.keys(body).filter((k) => !PATCHABLE.includes(k));
    if (unknown.length) return [422, B.envelope1('validation_error', `Unknown fields: ${unknown.join(', ')}`)];
    if (s.ended && ('session_mode' in body || 'model' in body)) return [409, B.envelope1('session_already_committed', 'session_mode and model cannot change after End Session')];
    for (const k of Object.keys(body)) s.req[k] = body[k];
    if (Array.isArray(body.templates)) s.templates = body.templates;
    return [200, { session_id: id, status: 'success', message: 'Session updated successfully' }];
  }

  /** A document that becomes ready after DOCUMENT_MS (Process Template, Upload Transcript). */
  generate(sessionId, templateId, origin) {
    const id = `doc_${hex(6)}`;
    const now = Date.now();
    const doc = { document_id: id, session_id: sessionId, template_id: templateId, document_name: this.templates.get(templateId)?.title ?? templateId, type: 'notes', document_type: 'template', status: 'in-progress', readyAt: now + DOCUMENT_MS, errors: [], warnings: [], created_at: iso(now), updated_at: iso(now), content: null, origin };
    this.documents.set(id, doc);
    return doc;
  }

  /** POST /voice/v1/sessions/{id}/process/template/{template_id} */
  process(id, templateId, origin) {
    const s = this.life.sessions.get(id);
    if (!s) return notFound('Session');
    if (!this.templates.has(templateId)) return notFound('Template');
    const doc = this.generate(id, templateId, origin);
    return [202, { session_id: id, template_id: templateId, document_id: doc.document_id, status: 'in-progress', message: 'Template generation in progress' }];
  }

  /** POST /voice/api/v1/transaction/{id}/convert-to-template */
  transcript(id, body, origin) {
    const s = this.life.sessions.get(id);
    if (!s) return notFound('Session');
    if (!body || (typeof body.transcript !== 'string' && typeof body.target_language !== 'string')) {
      return [400, B.envelope1('invalid_request', 'Send transcript or target_language')];
    }
    const templateId = body.template_id ?? s.templates[0] ?? 'clinical_notes_template';
    if (!this.templates.has(templateId)) return notFound('Template');
    const doc = this.generate(id, templateId, origin);
    const ids = { template_id: templateId, document_id: doc.document_id };
    return [202, { status: 'in-progress', message: 'Template generation started in background', txn_id: id, b_id: 'b_sim', ...ids, templates: [ids] }];
  }

  /** Get Session `?document_id=` for a generated document: 202 until it is ready. */
  sessionDocument(id, documentId) {
    const doc = this.documents.get(documentId);
    if (!doc || doc.session_id !== id || !doc.readyAt) return null;
    const base = { session_id: id, created_at: doc.created_at, audio_files_received: 0, audio_files: [] };
    if (Date.now() < doc.readyAt) return [202, { ...base, status: 'processing', transcript: null }];
    doc.status = 'success';
    const data = `## ${doc.document_name}\n\n${B.TRANSCRIPT}`;
    const entry = { [doc.template_id]: { status: 'success', document_id: doc.document_id, document_type: doc.template_id, data, errors: [], warnings: [] } };
    return [200, { ...base, status: 'completed', completed_at: iso(doc.readyAt), transcript: B.TRANSCRIPT, templates: [entry] }];
  }

  /** POST /voice/api/v1/template */
  createTemplate(body) {
    if (!body || typeof body.title !== 'string' || !Array.isArray(body.section_ids) || body.section_ids.some((x) => typeof x !== 'string')) {
      return [422, B.envelope1('validation_error', 'title and section_ids are required')];
    }
    const id = `tpl_${hex(6)}`;
    this.templates.set(id, { id, title: body.title, desc: body.desc ?? '', section_ids: body.section_ids, default: false, is_favorite: false });
    return [201, { msg: 'Template created', template_id: id }];
  }

  /** GET /voice/api/v1/template */
  listTemplates() {
    return [200, { items: [...this.templates.values()] }];
  }

  /** PATCH /voice/api/v1/template/{id} */
  updateTemplate(id, body) {
    const t = this.templates.get(id);
    if (!t) return notFound('Template');
    if (!body || typeof body !== 'object') return [422, B.envelope1('validation_error', 'The body must be an object')];
    for (const k of ['title', 'desc']) if (typeof body[k] === 'string') t[k] = body[k];
    return [200, { msg: 'Template updated' }];
  }

  /** DELETE /voice/api/v1/template/{id} */
  deleteTemplate(id) {
    if (!this.templates.delete(id)) return notFound('Template');
    return [200, { msg: 'Template deleted' }];
  }

  /** The document as the API shows it (without the simulator's bookkeeping). */
  shown(doc, presigned) {
    const { readyAt, content, origin, deleted, ...shown } = doc;
    return presigned ? { ...shown, presigned_url: `${origin}/__documents/${doc.document_id}` } : shown;
  }

  /** POST /voice/api/v1/documents (create, or update when `document_id` names one). */
  saveDocument(body, origin) {
    if (!body || typeof body.session_id !== 'string' || !body.session_id) return [422, B.envelope1('validation_error', 'session_id is required')];
    const now = iso(Date.now());
    const old = body.document_id ? this.documents.get(body.document_id) : undefined;
    if (body.document_id && (!old || old.deleted)) return notFound('Document');
    const doc = old ?? { document_id: `doc_${hex(6)}`, created_at: now, content: null, errors: [], warnings: [], origin };
    const fields = ['session_id', 'template_id', 'document_name', 'status', 'errors', 'warnings', 'usage_information'];
    for (const k of fields) if (body[k] !== undefined) doc[k] = body[k];
    doc.type = body.type ?? doc.type ?? 'custom';
    doc.document_type = doc.type === 'custom' ? 'custom' : 'template';
    doc.status ??= 'in-progress';
    doc.updated_at = now;
    doc.origin = origin;
    this.documents.set(doc.document_id, doc);
    return [201, { status: 'success', data: this.shown(doc, true) }];
  }

  /** GET /voice/api/v1/documents/{id} */
  getDocument(id) {
    const doc = this.documents.get(id);
    if (!doc || doc.deleted) return notFound('Document');
    if (doc.readyAt && Date.now() >= doc.readyAt) doc.status = 'success';
    return [200, { status: 'success', data: this.shown(doc, true) }];
  }

  /** DELETE /voice/api/v1/documents/{id}: archived; again is a no-op. */
  deleteDocument(id) {
    const doc = this.documents.get(id);
    if (!doc) return notFound('Document');
    doc.deleted = true;
    return [200, { status: 'success', message: 'Document deleted successfully' }];
  }

  /** PUT / GET the content behind a document's presigned URL. */
  content(id, method, bytes) {
    const doc = this.documents.get(id);
    if (!doc) return null;
    if (method === 'PUT') doc.content = bytes;
    return doc.content ?? Buffer.alloc(0);
  }

  /** GET /voice/api/v1/sessions/{id}: a session and its documents. */
  sessionDocuments(id) {
    const s = this.life.sessions.get(id);
    if (!s) return notFound('Session');
    const documents = [...this.documents.values()]
      .filter((d) => d.session_id === id && !d.deleted)
      .map((d) => ({ ...this.shown(d, false), status: d.readyAt && Date.now() >= d.readyAt ? 'success' : d.status, download_url: null, lang: 'en' }));
    const data = { schema_version: '1', session_id: id, created_at: iso(s.created), expires_at: iso(s.expires), status: s.ended ? 'committed' : 'initialized', patient_details: s.req.patient_details ?? {}, additional_data: s.req.additional_data ?? {}, documents };
    return [200, { status: 'success', data }];
  }

  /** GET /voice/api/v2/transaction/history[?count=&oid=]: newest first. */
  history(query) {
    const oid = query.get('oid');
    const count = query.has('count') ? Number(query.get('count')) : oid ? 10 : Infinity;
    if (!(count >= 1)) return [400, B.envelope1('invalid_request', 'count must be a positive integer')];
    const items = [...this.life.sessions.values()]
      .filter((s) => !oid || s.req.patient_details?.oid === oid)
      .sort((a, b) => b.created - a.created)
      .slice(0, count)
      .map((s) => ({
        txn_id: s.id, b_id: 'b_sim', oid: s.req.patient_details?.oid ?? '', mode: s.req.session_mode ?? 'consultation', flavour: 'v2rx', model_type: s.req.model === 'lite' ? 'lite' : 'pro',
        processing_status: s.ended && Date.now() >= s.readyAt ? 'success' : 'in-progress', user_status: s.ended ? 'commit' : 'init', patient_details: s.req.patient_details ?? {}, created_at: iso(s.created),
      }));
    if (!items.length) return [404, { status: 'failed', error: 'No transactions found' }];
    return [200, { status: 'success', data: items, retrieved_count: items.length }];
  }
}

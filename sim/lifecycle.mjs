// The stateful part of the simulator: sessions that are created, receive raw audio
// chunks (or presigned multipart uploads), are ended, "process" for a while (answering
// long-polled GETs) and end completed / partial / failed / expired, as lifecycle.md says.
//
// Faults are scripted per session through `additional_data.simulate` at creation:
//   process_ms: n          processing time after End (default 1500)
//   hold_max_ms: n         longest a GET is held while processing (default 14000)
//   fail_chunks: {"1": 2}  chunk 1 answers 503 to its first 2 attempts
//   result: "partial" | "failed"   how processing ends (default: completed, or partial
//                          when audio_files_sent exceeds the chunks received)
//   expire: true           the session is expired: uploads and End answer 410, GET 410
//   upload_origin: "other" the string upload_url points at another origin (localhost)
//   presigned: true        always answer the presigned (object) form of upload_url
//   max_chunk_bytes: n     answer 413 chunk_too_large above n bytes (default 10 MiB)
//   hold_upload_ms: n      hold each audio upload's answer n ms (abandoned uploads show
//                          as `closed_early` in /__sim/requests)
//   upload_url: "malformed"  answer an upload_url that is neither a URL nor a presigned form
//   require_language_hint: true  as the provider's own server: a create without a
//                          supported language_hint (en, hi, en-hi; not auto_detect) is 400

import { createHash, randomBytes } from 'node:crypto';
import * as B from './bodies.mjs';

export const MAX_CHUNK_BYTES = 10 * 1024 * 1024;
// The document's header enum, plus the generic value it says is resolved from the file
// name's extension (application/octet-stream), as no header at all is.
const ALLOWED_CONTENT_TYPES = new Set([
  'application/octet-stream', 'audio/webm;codecs=opus', 'audio/wav', 'audio/ogg', 'audio/ogg;codecs=opus', 'audio/mp4', 'audio/m4a', 'audio/mp3',
]);
const FILE_NAME = /^[A-Za-z0-9_-]+_(0|[1-9][0-9]*)\.(wav|webm|ogg|mp3|m4a|mp4)$/;
// What the provider's server collects from storage at End (its pattern `^(\d+)\.<ext>$`):
// objects named `<n>.<ext>`. Anything else under the session's folder is stored by the
// storage (it answers 204: nothing checks object names there) and never collected.
const STORED_NAME = /^(0|[1-9][0-9]*)\.(wav|webm|ogg|mp3|m4a|mp4)$/;
const KNOWN_TEMPLATES = ['eka_emr_template', 'clinical_notes_template'];
// The languages the provider's own server takes in language_hint (it skips others).
const SERVER_LANGUAGES = ['en', 'hi', 'en-hi'];

/** Processing is over. */
const isReady = (s) => s.ended && Date.now() >= s.readyAt;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class Lifecycle {
  constructor() {
    this.sessions = new Map();
  }

  has(id) {
    return this.sessions.has(id);
  }

  /** Files of a session, in numeric order of n, as `n.ext`. */
  audioFiles(s) {
    return [...s.files.keys()].sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  }

  /** POST /voice/v1/sessions[?version=v2] */
  create({ origin, query, body }) {
    let req;
    try {
      req = JSON.parse(body.toString('utf8'));
    } catch {
      return [400, B.envelope1('invalid_request', 'The body is not JSON')];
    }
    if (!req || typeof req !== 'object' || Array.isArray(req)) return [400, B.envelope1('invalid_request', 'The body must be an object')];
    if (!['chunked', 'single', 'stream'].includes(req.upload_type)) return [422, B.envelope1('invalid_request', 'upload_type must be chunked, single or stream')];
    if (req.communication_protocol !== undefined && req.communication_protocol !== 'http') return [400, B.envelope1('invalid_request', 'communication_protocol must be http')];
    const templates = req.templates ?? [];
    if (!Array.isArray(templates) || templates.some((t) => !KNOWN_TEMPLATES.includes(t)) || templates.length > 2) {
      return [400, B.envelope1('invalid_request', 'Unknown or too many templates')];
    }
    if (req.additional_data !== undefined && (typeof req.additional_data !== 'object' || '_protocol' in req.additional_data)) {
      return [400, B.envelope1('invalid_request', 'additional_data must be an object without _protocol')];
    }
    const sim = (req.additional_data && req.additional_data.simulate) || {};
    if (sim.require_language_hint === true) {
      const hints = [].concat(req.language_hint ?? []);
      if (!hints.some((h) => SERVER_LANGUAGES.includes(h))) {
        return [400, B.envelope2('bad_request', `language_hint is required on session create; supported languages: ${SERVER_LANGUAGES.join(', ')}`)];
      }
    }
    let id = req.session_id;
    if (id !== undefined) {
      if (typeof id !== 'string' || id.length < 16 || id.length > 32) return [400, B.envelope1('invalid_request', 'session_id must have 16 to 32 characters')];
      if (this.sessions.has(id)) return [409, B.envelope1('session_already_committed', 'A session with this id exists')];
    } else {
      id = `ses_${randomBytes(10).toString('hex')}`;
    }
    const now = Date.now();
    const s = {
      id, created: now, expires: now + 3600_000, req, sim, templates,
      files: new Map(), stray: [], attempts: new Map(), ended: false, readyAt: 0, endBody: null,
      folder: `uploads/${id}`, signature: randomBytes(8).toString('hex'),
    };
    this.sessions.set(id, s);
    const presigned = query.get('version') === 'v2' || sim.presigned === true;
    let uploadUrl;
    if (presigned) {
      uploadUrl = {
        uploadData: {
          url: `${origin}/__storage/`,
          fields: { key: `${s.folder}/\${filename}`, 'x-amz-algorithm': 'AWS4-HMAC-SHA256', policy: Buffer.from(`policy:${id}`).toString('base64'), 'x-amz-signature': s.signature },
        },
        folderPath: `${s.folder}/`,
        txn_id: id,
      };
    } else {
      const host = sim.upload_origin === 'other' ? origin.replace('127.0.0.1', 'localhost') : origin;
      uploadUrl = `${host}/voice/v1/sessions/${encodeURIComponent(id)}/audio`;
    }
    if (sim.upload_url === 'malformed') uploadUrl = { uploadData: { url: 42 } };
    // patient_details only when given: the document's CreateSessionResponse has it as an
    // object, not nullable (Get Session's may be null).
    const created = { session_id: id, status: 'created', created_at: iso(now), expires_at: iso(s.expires), upload_url: uploadUrl };
    if (req.patient_details !== undefined) created.patient_details = req.patient_details;
    return [201, created];
  }

  /** How long the answers to uploads of session `id` are held (simulate.hold_upload_ms). */
  uploadHoldMs(id) {
    return Number(this.sessions.get(id)?.sim.hold_upload_ms || 0);
  }

  gone(s) {
    return s.sim.expire === true || Date.now() > s.expires;
  }

  /** Stores a raw upload named `audio_<n>.<ext>`; returns an error answer or null. */
  store(s, name, bytes) {
    const m = FILE_NAME.exec(name);
    if (!m) return [400, B.envelope1('invalid_audio_format', `Bad file name ${name}: use audio_<n>.<wav|webm|ogg|mp3|m4a|mp4>`)];
    return this.keep(s, m[1], m[2], bytes);
  }

  /** Keeps chunk `n` (simulated failures first); returns an error answer or null. */
  keep(s, n, ext, bytes) {
    const attempt = (s.attempts.get(n) || 0) + 1;
    s.attempts.set(n, attempt);
    const failures = Number((s.sim.fail_chunks || {})[n] || 0);
    if (attempt <= failures) return [503, B.envelope1('service_unavailable', `Simulated failure of chunk ${n}`)];
    s.files.set(`${n}.${ext}`, bytes);
    return null;
  }

  /** POST /voice/v1/sessions/{id}/audio/{file} */
  upload({ id, name, headers, body, tooLarge }) {
    const s = this.sessions.get(id);
    if (!s) return [404, B.envelope1('session_not_found', `Session ${id} not found`)];
    if (this.gone(s)) return [410, B.envelope1('session_expired', 'The session has expired')];
    if (isReady(s)) return [400, B.envelope1('session_completed', 'The session is already processed')];
    if (s.ended) return [400, B.envelope1('session_ended', 'The session has ended: no more audio')];
    const ct = headers['content-type'];
    if (ct !== undefined && !ALLOWED_CONTENT_TYPES.has(ct)) {
      return [400, B.envelope1('invalid_audio_format', `Content-Type ${ct} is not allowed`)];
    }
    if (tooLarge || body.length > Number(s.sim.max_chunk_bytes ?? MAX_CHUNK_BYTES)) {
      return [413, B.envelope1('chunk_too_large', 'A chunk must be at most 10 MB')];
    }
    if (body.length === 0) return [400, B.envelope1('invalid_audio_format', 'Empty audio')];
    const err = this.store(s, name, body);
    if (err) return err;
    return [200, { session_id: id, success: true, original_filename: name }];
  }

  /** POST /__storage/ (presigned form). */
  storage({ headers, body, tooLarge }) {
    if (headers.authorization) return [400, 'Authorization must not be sent to storage', true];
    const m = /boundary=(?:"([^"]+)"|([^;]+))/.exec(headers['content-type'] || '');
    if (!m) return [400, 'expected multipart/form-data', true];
    if (tooLarge) return [413, 'EntityTooLarge', true];
    const parts = parseMultipart(body, m[1] || m[2]);
    if (!parts) return [400, 'malformed multipart body', true];
    const fields = new Map(parts.filter((p) => p.filename === undefined).map((p) => [p.name, p.data.toString('utf8')]));
    const file = parts[parts.length - 1];
    if (!file || file.filename === undefined || file.name !== 'file') return [400, 'the file must be the last part', true];
    if (parts.filter((p) => p.filename !== undefined).length !== 1) return [400, 'exactly one file part', true];
    const key = fields.get('key') || '';
    const s = [...this.sessions.values()].find((x) => key.startsWith(`${x.folder}/`));
    if (!s) return [403, 'AccessDenied: unknown key', true];
    if (fields.get('x-amz-signature') !== s.signature || !fields.get('policy') || !fields.get('x-amz-algorithm')) return [403, 'AccessDenied: bad signature', true];
    if (!(fields.get('Content-Type') || '').startsWith('audio/')) return [400, 'Content-Type field must start with audio/', true];
    const name = key.slice(s.folder.length + 1);
    if (name.includes('${filename}') || name !== file.filename) return [400, `key ${key} must name the file ${file.filename}`, true];
    if (this.gone(s)) return [403, 'AccessDenied: expired policy', true];
    if (s.ended) return [403, 'AccessDenied: session ended', true];
    const stored = STORED_NAME.exec(name);
    if (!stored) {
      // Stored, as S3 would, but never collected at End (the server logs "no audio chunks
      // found" and the session ends partial with what it did collect).
      s.stray.push(name);
      return [204, '', true];
    }
    const err = this.keep(s, stored[1], stored[2], file.data);
    if (err) return [err[0], JSON.stringify(err[1]), true];
    return [204, '', true];
  }

  /** POST /voice/v1/sessions/{id}/end */
  end({ id, body }) {
    const s = this.sessions.get(id);
    if (!s) return [404, B.envelope1('session_not_found', `Session ${id} not found`)];
    if (this.gone(s)) return [410, B.envelope1('session_expired', 'The session has expired')];
    if (s.ended) return [400, B.envelope1('session_ended', 'The session has already ended')];
    let req;
    try {
      req = JSON.parse(body.toString('utf8'));
    } catch {
      return [400, B.envelope1('invalid_request', 'The body is not JSON')];
    }
    if (!Number.isInteger(req.audio_files_sent) || req.audio_files_sent < 0) return [400, B.envelope1('invalid_request', 'audio_files_sent is required')];
    s.ended = true;
    s.endBody = req;
    s.readyAt = Date.now() + Number(s.sim.process_ms ?? 1500);
    this.onEnd?.(id, s.readyAt, () => this.snapshot(s)[1].status);
    return [202, { session_id: id, status: 'processing', message: 'Processing started', audio_files_received: s.files.size, audio_files: this.audioFiles(s) }];
  }

  /** GET /voice/v1/sessions/{id}: answers (maybe after holding the request). */
  get(id, res, send) {
    const s = this.sessions.get(id);
    const answer = () => send(...this.snapshot(s));
    if (!s.ended || this.gone(s) || isReady(s)) return answer();
    const until = Math.min(s.readyAt, Date.now() + Number(s.sim.hold_max_ms ?? 14_000));
    // A timer may fire a millisecond before Date.now() reaches `until`: wait out the rest.
    let timer;
    const wake = () => (Date.now() >= until ? answer() : (timer = setTimeout(wake, until - Date.now())));
    timer = setTimeout(wake, Math.max(0, until - Date.now()));
    res.on('close', () => clearTimeout(timer));
  }

  snapshot(s) {
    const base = {
      session_id: s.id, created_at: iso(s.created), audio_files_received: s.files.size, audio_files: this.audioFiles(s),
      additional_data: { ...(s.req.additional_data || {}), _protocol: { version: '0.1', upload_type: s.req.upload_type, communication_protocol: 'http', requested_templates: s.templates } },
      patient_details: s.req.patient_details ?? null,
    };
    if (this.gone(s)) {
      return [410, { ...base, status: 'expired', expired_at: iso(s.expires), message: 'Session expired before processing was started', transcript: null, templates: {} }];
    }
    if (!s.ended || !isReady(s)) {
      return [202, { ...base, status: s.ended ? 'processing' : 'initialized', expires_at: iso(s.expires), transcript: s.ended ? null : '' }];
    }
    const mismatch = (s.endBody.audio_files_sent ?? 0) > s.files.size;
    const outcome = s.sim.result || (mismatch ? 'partial' : 'completed');
    if (outcome === 'failed') return [200, { ...base, status: 'failed', error: { code: 'processing_failed', message: 'All documents failed' } }];
    const all = B.templates(outcome === 'partial' ? 'partial_success' : 'success');
    const templates = all.filter((t) => s.templates.includes(Object.keys(t)[0]));
    const body = {
      ...base, status: outcome, completed_at: iso(s.readyAt), expires_at: iso(s.expires), model_used: s.req.model || 'pro',
      language_detected: 'en', transcript: B.TRANSCRIPT, templates,
    };
    if (outcome === 'partial') {
      body.audio_files_processed = s.files.size;
      body.processing_errors = mismatch
        ? [{ type: 'upload', message: `${s.endBody.audio_files_sent - s.files.size} audio file(s) were announced but not received` }]
        : [{ type: 'generation', message: 'a document could not be generated' }];
    }
    return [outcome === 'partial' ? 206 : 200, body];
  }

  /** What the simulator holds of a session (tests). */
  describe(id) {
    const s = this.sessions.get(id);
    if (!s) return null;
    return {
      session_id: id, ended: s.ended, end_body: s.endBody, request: s.req,
      files: this.audioFiles(s).map((name) => ({ name, bytes: s.files.get(name).length, sha256: createHash('sha256').update(s.files.get(name)).digest('hex') })),
      attempts: Object.fromEntries(s.attempts),
      stray_objects: s.stray,
    };
  }

  file(id, name) {
    return this.sessions.get(id)?.files.get(name) ?? null;
  }
}

/** Parses a multipart/form-data body into [{name, filename?, data}], or null. */
export function parseMultipart(body, boundary) {
  const delim = Buffer.from(`--${boundary}`);
  const parts = [];
  let pos = body.indexOf(delim);
  if (pos !== 0) return null;
  while (true) {
    pos += delim.length;
    if (body.slice(pos, pos + 2).toString() === '--') return parts;
    if (body.slice(pos, pos + 2).toString() !== '\r\n') return null;
    pos += 2;
    const headEnd = body.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) return null;
    const head = body.slice(pos, headEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), headEnd + 4);
    if (next < 0) return null;
    const disp = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(head);
    if (!disp) return null;
    const name = /\bname="([^"]*)"/.exec(disp[1]);
    const filename = /\bfilename="([^"]*)"/.exec(disp[1]);
    parts.push({ name: name && name[1], filename: filename ? filename[1] : undefined, data: body.slice(headEnd + 4, next) });
    pos = next + 2;
  }
}

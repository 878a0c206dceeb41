#!/usr/bin/env node
// The eka-voice simulator: a local fake of the Eka Care Voice API, for development and
// tests. Dependency-free; listens on 127.0.0.1 only.
//
//   node sim/server.mjs [--port N] [--verbose]      (or: npm run sim -- --port N)
//
// Routes:
//   POST /voice/v1/sessions[?version=v2]                        create a session (lifecycle.mjs)
//   POST /voice/v1/sessions/{id}/audio/audio_<n>.<ext>          raw audio chunk
//   POST /__storage/                                            presigned (multipart) upload
//   POST /voice/v1/sessions/{id}/end                            end: processing starts
//   POST /connect-auth/v1/account/login | refresh-token             client credentials -> tokens (auth.mjs)
//   POST /notification/v1/connect/webhook/subscriptions          {event_names, endpoint, signing_key}:
//                                                               signed deliveries when sessions finish (webhooks.mjs)
//   GET  /voice/v1/sessions/{id}[?template_id=|?document_id=]  created sessions (long-polled),
//                                                               or scripted ones (scenarios.mjs)
//   The other operations of the API (catalog.mjs, statefully): GET /voice/v1/.well-known/
//   medscribealliance; GET /voice/v1/sessions/{id}/audio (then GET /__audio/{id});
//   PATCH /voice/v1/sessions/{id}; POST /voice/v1/sessions/{id}/process/template/{tid};
//   POST /voice/api/v1/transaction/{id}/convert-to-template; /voice/api/v1/template[/{tid}]
//   (POST, GET, PATCH, DELETE); /voice/api/v1/documents[/{did}] (POST, GET, DELETE; content
//   PUT/GET at /__documents/{did}); GET /voice/api/v1/sessions/{id};
//   GET /voice/api/v2/transaction/history[?count=&oid=]
//   OPTIONS *                                                   CORS preflight
//   POST /__sim/scenarios   {name, steps:[{status, body, headers?, holdMs?}]}  add a scenario
//   GET  /__sim/requests/{id}   what the simulator received for a session (tests count these)
//   GET  /__sim/webhooks        subscriptions (without keys) and every delivery attempt
//   GET  /__sim/auth            logins and refreshes so far
//   GET  /__sim/sessions/{id}   a created session's state (files with sizes and sha256, End body)
//   GET  /__sim/sessions/{id}/files/{n.ext}   the stored bytes of one chunk
//   POST /__sim/reset           forget all sessions and logs
//   GET  /__sim/health
// Auth: every API request needs `Authorization: Bearer <token>` (else 401, gateway
// envelope); a token starting with `expired` answers 401 `token_expired`; as the provider's
// own server answers: one starting with `invalid` 403 `{"detail": "invalid_token"}`, one
// starting with `detail-expired` 401 `{"detail": "token_expired"}`.

import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { scenarioFor, fromJson, SCENARIOS } from './scenarios.mjs';
import { Lifecycle, MAX_CHUNK_BYTES } from './lifecycle.mjs';
import { Webhooks } from './webhooks.mjs';
import { Auth } from './auth.mjs';
import { Catalog } from './catalog.mjs';
import * as B from './bodies.mjs';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, accept',
  'access-control-expose-headers': 'retry-after, content-encoding',
  'access-control-max-age': '600',
};
const KNOWN_TEMPLATES = new Set(['eka_emr_template', 'clinical_notes_template']);
const KNOWN_DOCUMENTS = new Set(['doc_emr_1', 'doc_notes_1']);

function send(res, status, body, headers = {}, raw = false) {
  if (res.destroyed) return;
  const text = raw ? String(body) : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...CORS, ...headers });
  res.end(text);
}

/** A scripted answer cut in the middle of its body, or sent gzip-compressed. */
function sendOdd(res, step, body, headers = {}) {
  const text = Buffer.from(step.raw ? String(body) : JSON.stringify(body));
  const wire = step.gzip ? gzipSync(text) : text;
  const extra = step.gzip ? { 'content-encoding': 'gzip' } : {};
  res.writeHead(step.status, { 'content-type': 'application/json', ...CORS, ...headers, ...extra, 'content-length': wire.length });
  if (!step.cut) return res.end(wire);
  res.write(wire.subarray(0, wire.length >> 1), () => setTimeout(() => res.socket?.destroy(), 20));
}

/** Reads a request body, keeping at most `limit` bytes (`tooLarge` when there were more). */
function readBody(req, limit = 1 << 20) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => resolve(Object.assign(Buffer.concat(chunks), { tooLarge: size > limit, received: size })));
    req.on('error', reject);
  });
}

/** Restricts a body's templates to `template_id` / `document_id`; false when unknown. */
function applyFilter(body, query) {
  const t = query.get('template_id');
  const d = query.get('document_id');
  if (t === null && d === null) return true;
  if ((t !== null && !KNOWN_TEMPLATES.has(t)) || (d !== null && !KNOWN_DOCUMENTS.has(d))) return false;
  if (body && Array.isArray(body.templates)) {
    body.templates = body.templates.filter((entry) => {
      const [key, doc] = Object.entries(entry)[0];
      return t !== null ? key === t : doc.document_id === d;
    });
  }
  return true;
}

/** Creates a simulator; `listen()` resolves with its base URL. */
export function createSimulator({ verbose = false, tokenTtlSec, refreshTtlSec, publicUrl } = {}) {
  const sessions = new Map(); // id -> { created, n }
  const log = new Map(); // id -> [{ method, path, query, authorization, t }]
  const custom = new Map();
  const life = new Lifecycle();
  const catalog = new Catalog(life);
  const hooks = new Webhooks();
  const auth = new Auth({ tokenTtlSec, refreshTtlSec });
  life.onEnd = (id, atMs, statusOf) => hooks.finish(id, atMs, statusOf);
  const record = (id, req, extra = {}) => {
    const entries = log.get(id) || [];
    const entry = {
      method: req.method, path: req.url, authorization: req.headers.authorization || '',
      content_type: req.headers['content-type'], t: Date.now(), ...extra,
    };
    entries.push(entry);
    log.set(id, entries);
    return entry;
  };
  const authFails = (req) => {
    const header = req.headers.authorization || '';
    if (!header.startsWith('Bearer ') || header.length <= 7) return [401, B.envelope3('Unauthorized')];
    if (header.startsWith('Bearer expired')) return [401, B.envelope1('token_expired', 'Token expired')];
    // As the provider's own server's auth layer answers (FastAPI's `{"detail": …}`).
    if (header.startsWith('Bearer invalid')) return [403, B.envelope4('invalid_token')];
    if (header.startsWith('Bearer detail-expired')) return [401, B.envelope4('token_expired')];
    return auth.check(header.slice(7));
  };
  // The origin the answers' links name (upload_url, discovery's endpoints): the request's
  // own host, or `publicUrl` when a proxy stands in front of the simulator.
  const originOf = (req) => publicUrl ?? `http://${req.headers.host}`;
  const decode = (seg) => {
    try {
      return decodeURIComponent(seg);
    } catch {
      return null;
    }
  };

  async function lifecycleRoute(req, res, segments, url) {
    const origin = originOf(req);
    const [, , , rawId, action, file] = segments;
    const id = rawId === undefined ? undefined : decode(rawId);
    if (req.method === 'POST' && segments.length === 3) {
      const body = await readBody(req);
      const denied = authFails(req);
      if (denied) {
        record('__create', req);
        return send(res, ...denied);
      }
      const [status, answer] = life.create({ origin, query: url.searchParams, body });
      record(answer.session_id || '__create', req, { body: body.toString('utf8') });
      return send(res, status, answer);
    }
    if (req.method === 'POST' && action === 'audio' && file !== undefined && segments.length === 6) {
      const body = await readBody(req, MAX_CHUNK_BYTES);
      const entry = record(id, req, { bytes: body.received });
      const denied = authFails(req);
      if (denied) return send(res, ...denied);
      const answer = life.upload({ id, name: decode(file), headers: req.headers, body, tooLarge: body.tooLarge });
      const hold = life.uploadHoldMs(id);
      if (!hold) return send(res, ...answer);
      // Held: an upload the client abandons shows as `closed_early` here.
      const timer = setTimeout(() => send(res, ...answer), hold);
      res.on('close', () => {
        if (!res.writableEnded) entry.closed_early = true;
        clearTimeout(timer);
      });
      return;
    }
    if (req.method === 'POST' && action === 'end' && segments.length === 5) {
      const body = await readBody(req);
      record(id, req, { body: body.toString('utf8') });
      const denied = authFails(req);
      if (denied) return send(res, ...denied);
      return send(res, ...life.end({ id, body }));
    }
    return null;
  }

  /** The operations beyond the lifecycle (catalog.mjs); `null` when the request is none. */
  async function catalogRoute(req, res, url, segments) {
    const origin = originOf(req);
    const m = req.method;
    const [a, b, c, d, e, f, g] = segments.map((x) => decode(x) ?? '\0');
    const json = async () => {
      try {
        return JSON.parse((await readBody(req)).toString('utf8'));
      } catch {
        return undefined;
      }
    };
    // Storage behind the URLs the API hands out: no token (presigned).
    if (a === '__audio' && m === 'GET') {
      const bytes = catalog.audioBytes(b);
      if (!bytes) return send(res, ...B.notFoundPair('Audio'));
      res.writeHead(200, { 'content-type': 'audio/wav', ...CORS });
      return res.end(bytes);
    }
    if (a === '__documents' && (m === 'GET' || m === 'PUT')) {
      const bytes = catalog.content(b, m, m === 'PUT' ? await readBody(req) : undefined);
      if (!bytes) return send(res, ...B.notFoundPair('Document'));
      res.writeHead(200, { 'content-type': 'application/octet-stream', ...CORS });
      return res.end(m === 'PUT' ? '' : bytes);
    }
    const path = url.pathname;
    if (path === '/voice/v1/.well-known/medscribealliance' && m === 'GET') {
      record('__discovery', req);
      return send(res, ...catalog.discovery(origin));
    }
    const v1 = a === 'voice' && b === 'v1' && c === 'sessions' && d !== undefined;
    const apiV1 = a === 'voice' && b === 'api' && c === 'v1';
    let answer, generated;
    const session = v1 || (apiV1 && (d === 'transaction' || d === 'sessions')) ? (v1 ? d : e) : undefined;
    const authed = () => {
      if (session !== undefined) record(session, req);
      return authFails(req);
    };
    if (v1 && e === 'audio' && f === undefined && m === 'GET') answer = () => catalog.audio(d, origin);
    else if (v1 && e === undefined && m === 'PATCH') answer = async () => catalog.update(d, await json());
    else if (v1 && e === undefined && m === 'GET' && (generated = catalog.sessionDocument(d, url.searchParams.get('document_id')))) {
      answer = () => generated; // a generated document's answer, looked up once
    } else if (v1 && e === 'process' && f === 'template' && g !== undefined && segments.length === 7 && m === 'POST') {
      answer = () => catalog.process(d, g, origin);
    } else if (apiV1 && d === 'transaction' && f === 'convert-to-template' && segments.length === 6 && m === 'POST') {
      answer = async () => catalog.transcript(e, await json(), origin);
    } else if (apiV1 && d === 'template' && segments.length === 4) {
      if (m === 'POST') answer = async () => catalog.createTemplate(await json());
      else if (m === 'GET') answer = () => catalog.listTemplates();
    } else if (apiV1 && d === 'template' && segments.length === 5) {
      if (m === 'PATCH') answer = async () => catalog.updateTemplate(e, await json());
      else if (m === 'DELETE') answer = () => catalog.deleteTemplate(e);
    } else if (apiV1 && d === 'documents' && segments.length === 4 && m === 'POST') {
      answer = async () => catalog.saveDocument(await json(), origin);
    } else if (apiV1 && d === 'documents' && segments.length === 5) {
      if (m === 'GET') answer = () => catalog.getDocument(e);
      else if (m === 'DELETE') answer = () => catalog.deleteDocument(e);
    } else if (apiV1 && d === 'sessions' && segments.length === 5 && m === 'GET') {
      answer = () => catalog.sessionDocuments(e);
    } else if (path === '/voice/api/v2/transaction/history' && m === 'GET') {
      answer = () => catalog.history(url.searchParams);
    }
    if (!answer) return null;
    const denied = authed();
    if (denied) return send(res, ...denied);
    return send(res, ...(await answer()));
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://sim');
    const segments = url.pathname.split('/').slice(1);
    if (verbose) console.error(`${req.method} ${url.pathname}${url.search}`);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS);
      return res.end();
    }
    if (segments[0] === '__sim') return control(req, res, segments);
    if (segments[0] === '__storage' && req.method === 'POST') {
      const body = await readBody(req, MAX_CHUNK_BYTES + (1 << 16));
      const [status, text] = life.storage({ headers: req.headers, body, tooLarge: body.tooLarge });
      const key = /name="key"\r\n\r\nuploads\/([^/]+)\//.exec(body.toString('latin1'));
      record(key ? key[1] : '__storage', req, { bytes: body.received, status });
      return send(res, status, text, { 'content-type': 'text/plain' }, true);
    }
    if (url.pathname.startsWith('/connect-auth/v1/account/') && req.method === 'POST') {
      let body;
      try {
        body = JSON.parse((await readBody(req)).toString('utf8'));
      } catch {
        return send(res, 400, { code: 'invalid_request', error: 'The body is not JSON' });
      }
      if (url.pathname.endsWith('/login')) return send(res, ...auth.login(body));
      if (url.pathname.endsWith('/refresh-token')) return send(res, ...auth.refreshTokens(req.headers, body));
    }
    if (url.pathname === '/notification/v1/connect/webhook/subscriptions' && req.method === 'POST') {
      const denied = authFails(req);
      if (denied) return send(res, ...denied);
      let body;
      try {
        body = JSON.parse((await readBody(req)).toString('utf8'));
      } catch {
        return send(res, 400, B.envelope1('invalid_request', 'The body is not JSON'));
      }
      return send(res, ...hooks.subscribe(body));
    }
    if ((await catalogRoute(req, res, url, segments)) !== null) return;
    const api = segments[0] === 'voice' && segments[1] === 'v1' && segments[2] === 'sessions';
    if (api && req.method === 'POST') {
      if ((await lifecycleRoute(req, res, segments, url)) !== null) return;
    }
    if (api && segments.length === 4 && req.method === 'GET') {
      const id = decode(segments[3]);
      if (id === null) return send(res, 400, B.envelope1('invalid_request', 'Bad session id encoding'));
      if (life.has(id)) {
        record(id, req);
        const denied = authFails(req);
        if (denied) return send(res, ...denied);
        return life.get(id, res, (status, body) => send(res, status, body));
      }
      return getSession(req, res, id, url.searchParams);
    }
    send(res, 404, B.envelope1('resource_not_found', 'No such route'));
  }

  async function control(req, res, segments) {
    if (segments[1] === 'health') return send(res, 200, { ok: true, scenarios: Object.keys(SCENARIOS) });
    if (segments[1] === 'reset' && req.method === 'POST') {
      sessions.clear();
      life.sessions.clear();
      log.clear();
      custom.clear();
      hooks.reset();
      auth.reset();
      catalog.reset();
      return send(res, 200, { ok: true });
    }
    if (segments[1] === 'sessions' && segments[2] !== undefined && segments[3] === 'files' && segments[4] !== undefined) {
      const bytes = life.file(decodeURIComponent(segments[2]), decodeURIComponent(segments[4]));
      if (!bytes) return send(res, 404, B.envelope1('resource_not_found', 'No such file'));
      res.writeHead(200, { 'content-type': 'application/octet-stream', ...CORS });
      return res.end(bytes);
    }
    if (segments[1] === 'sessions' && segments[2] !== undefined) {
      const d = life.describe(decodeURIComponent(segments[2]));
      return d ? send(res, 200, d) : send(res, 404, B.envelope1('session_not_found', 'No such session'));
    }
    if (segments[1] === 'webhooks') return send(res, 200, hooks.describe());
    if (segments[1] === 'auth') return send(res, 200, auth.describe());
    if (segments[1] === 'requests' && segments[2] !== undefined) {
      const id = decodeURIComponent(segments.slice(2).join('/'));
      const entries = log.get(id) || [];
      return send(res, 200, { session_id: id, count: entries.length, requests: entries });
    }
    if (segments[1] === 'scenarios' && req.method === 'POST') {
      try {
        const { name, steps } = JSON.parse((await readBody(req)).toString('utf8'));
        if (typeof name !== 'string' || !name) throw new Error('name must be a non-empty string');
        custom.set(name, fromJson(steps));
        return send(res, 201, { ok: true, name });
      } catch (e) {
        return send(res, 400, B.envelope1('invalid_request', e.message));
      }
    }
    send(res, 404, B.envelope1('resource_not_found', 'No such control route'));
  }

  function getSession(req, res, id, query) {
    const entry = record(id, req);
    const denied = authFails(req);
    if (denied) return send(res, ...denied);
    const steps = scenarioFor(id, custom);
    if (!steps) return send(res, 404, B.envelope1('session_not_found', `Session ${id} not found`));
    let s = sessions.get(id);
    if (!s) sessions.set(id, (s = { created: Date.now() - 5000, n: 0 }));
    const step = steps[Math.min(s.n, steps.length - 1)];
    s.n += 1;
    const answer = () => {
      const body = step.body(id, s.created, req);
      if (!step.raw && !applyFilter(body, query)) {
        return send(res, 404, B.envelope1('template_not_found', 'No such template or document'));
      }
      const headers = typeof step.headers === 'function' ? step.headers(req) : step.headers;
      if (step.cut || step.gzip) sendOdd(res, step, body, headers);
      else send(res, step.status, body, headers, step.raw);
      entry.status = step.status;
      entry.answered_at = Date.now();
    };
    if (!step.holdMs) return answer();
    const timer = setTimeout(answer, step.holdMs);
    res.on('close', () => clearTimeout(timer));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => send(res, 500, B.envelope1('internal_error', String(e && e.message))));
  });
  server.keepAliveTimeout = 65_000;
  return {
    server,
    listen(port = 0) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
      });
    },
    close() {
      hooks.reset();
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const USAGE = `eka-voice simulator: a local fake of the Eka Care Voice API (127.0.0.1 only)

usage: npx eka-voice-sim [--port N] [--verbose]      (from the installed package)
       npm run sim -- [--port N] [--verbose]        (in the repository)

  --port N     port to listen on (default: $EKA_SIM_PORT or 8787; 0 = any free port)
  --verbose    log each request (method and path) to stderr
  --public-url U  the origin the answers' links (upload_url, discovery) name, when a proxy
                  stands in front of the simulator (default: the request's own host)
  --token-ttl N   lifetime of the tokens of client-credentials logins, seconds (default
                  1800; refresh tokens live twice as long)

A development backend: create sessions (POST /voice/v1/sessions), upload raw chunks to
their upload_url (or the presigned form with ?version=v2), end them, and poll: they process
for 1.5 s (long-polled GETs) and complete with the requested templates. Faults per session
through additional_data.simulate (see lifecycle.mjs beside this file: simulator/ in the
package, sim/ in the repository).
Client credentials: POST /connect-auth/v1/account/login {client_id, client_secret} issues
tokens (sim_at_…) that expire after --token-ttl seconds (a secret starting with 'wrong' is
refused); POST /connect-auth/v1/account/refresh-token refreshes them (single use).

Scripted sessions: GET /voice/v1/sessions/<scenario>[.<suffix>], scenarios:
  ${Object.keys(SCENARIOS).join(', ')}
Webhooks: POST /notification/v1/connect/webhook/subscriptions {event_names, endpoint,
signing_key} (loopback endpoints only): finished sessions are delivered as v2rx.completed,
signed, retried, sometimes twice (sim/webhooks.mjs).
Control: POST /__sim/scenarios, GET /__sim/requests/<id>, GET /__sim/sessions/<id>[/files/<n.ext>],
         GET /__sim/webhooks, POST /__sim/reset, GET /__sim/health
`;

async function main(argv) {
  let port = Number(process.env.EKA_SIM_PORT || 8787);
  let verbose = false;
  let tokenTtlSec;
  let publicUrl;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') return void process.stdout.write(USAGE);
    else if (a === '--verbose') verbose = true;
    else if (a === '--token-ttl') tokenTtlSec = Number(argv[++i]);
    else if (a === '--public-url') publicUrl = new URL(argv[++i] ?? '').origin;
    else if (a === '--port' || a.startsWith('--port=')) {
      port = Number(a.includes('=') ? a.slice(7) : argv[++i]);
    } else {
      process.stderr.write(`unknown argument: ${a}\n\n${USAGE}`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be an integer from 0 to 65535\n`);
    process.exit(2);
  }
  if (tokenTtlSec !== undefined && !(tokenTtlSec > 0)) {
    process.stderr.write(`--token-ttl must be a positive number of seconds\n`);
    process.exit(2);
  }
  const sim = createSimulator({ verbose, tokenTtlSec, refreshTtlSec: tokenTtlSec && tokenTtlSec * 2, publicUrl });
  const url = await sim.listen(port);
  process.stdout.write(`eka-voice simulator listening on ${url}\n`);
  const stop = () => sim.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// Run as a script: `node sim/server.mjs`, or the package's bin `npx eka-voice-sim` (a
// symlink: compared by real path).
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`simulator failed: ${e.message}\n`);
    process.exit(1);
  });
}

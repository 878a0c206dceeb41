// Scripted Get Session scenarios. A session id `<name>` or `<name>.<anything>` plays the
// scenario `<name>`: one step per request, the last step repeating. Steps:
//   { status, body: (id, createdMs, req) => object | string, raw?: true (send `body` as text),
//     headers?: {...}, holdMs?: n (long-poll: answer after n ms),
//     cut?: true (send the headers and half the body, then reset the connection),
//     gzip?: true (send the body gzip-compressed, Content-Encoding: gzip) }
// Users can add their own with POST /__sim/scenarios {name, steps} (bodies as JSON).

import * as B from './bodies.mjs';

const pending = (status, holdMs = 0) => ({ status: 202, holdMs, body: (id, t) => B.pendingBody(id, status, t) });
const done = { status: 200, body: (id, t) => B.completedBody(id, t) };
const json = (status, body, extra = {}) => ({ status, body: () => body, ...extra });

export const SCENARIOS = {
  // The happy path: not ended, processing, completed.
  complete: [pending('initialized'), pending('processing'), done],
  // Already final.
  instant: [done],
  // A big completed body (~1 MB): long transcript, many templates (benchmarks).
  big: [{ status: 200, body: (id, t) => B.completedBody(id, t, { bigTranscriptBytes: 500_000, extraTemplates: 1300 }) }],
  // Some documents failed.
  partial: [pending('processing'), { status: 206, body: (id, t) => B.completedBody(id, t, { partial: true }) }],
  // A 200 that is a failure.
  failed: [pending('processing'), { status: 200, body: (id, t) => B.failedBody(id, t) }],
  // Expired before processing: 410 with a body, templates {}.
  expired: [{ status: 410, body: (id, t) => B.expiredBody(id, t) }],
  // The service holds each GET (long polling) before answering.
  longpoll: [pending('processing', 1200), pending('processing', 1200), { ...done, holdMs: 300 }],
  // Never ended: 202 initialized forever (timeouts, aborts).
  'never-ends': [pending('initialized')],
  // Every request hangs for a minute (request timeouts).
  hang: [{ ...pending('processing'), holdMs: 60_000 }],
  // The first request hangs, the next answers at once.
  'slow-once': [{ ...pending('processing'), holdMs: 60_000 }, done],
  // 429 with Retry-After in seconds, then done.
  'rate-limited': [
    json(429, B.envelope2('rate_limit_exceeded', 'Too many requests'), { headers: { 'retry-after': '1' } }),
    done,
  ],
  // 429 with Retry-After as an HTTP-date (computed when answered), then done.
  'rate-limited-date': [
    { status: 429, body: () => B.envelope3('Too Many Requests'), headers: () => ({ 'retry-after': new Date(Date.now() + 1500).toUTCString() }) },
    done,
  ],
  // Always 429 with a long Retry-After.
  'rate-limited-long': [json(429, B.envelope3('Too Many Requests'), { headers: { 'retry-after': '3600' } })],
  // Two 503s then done.
  flaky: [
    json(503, B.envelope1('service_unavailable', 'Service temporarily unavailable')),
    json(503, B.envelope1('service_unavailable', 'Service temporarily unavailable')),
    done,
  ],
  // Always 500 (envelope 1).
  down: [json(500, B.envelope1('internal_error', 'Internal server error'))],
  // Always 502 with an HTML page.
  'bad-gateway': [{ status: 502, raw: true, headers: { 'content-type': 'text/html' }, body: () => '<html><body>502 Bad Gateway</body></html>' }],
  // Malformed JSON in a 200.
  'bad-json': [{ status: 200, raw: true, headers: { 'content-type': 'application/json' }, body: () => '{"session_id": "x", "status": "compl' }],
  // Malformed JSON in a 202.
  'bad-json-202': [{ status: 202, raw: true, headers: { 'content-type': 'application/json' }, body: () => 'not json' }],
  // A JSON array, not a session.
  'not-a-session': [{ status: 200, body: () => [1, 2, 3] }],
  // A final answer with a status this client does not know.
  'unknown-status': [{ status: 200, body: (id, t) => ({ ...B.completedBody(id, t), status: 'archived' }) }],
  // A 202 with a status this client does not know, then done.
  'unknown-pending': [{ status: 202, body: (id, t) => ({ ...B.pendingBody(id, 'processing', t), status: 'queued' }) }, done],
  // 403 from the gateway (envelope 3).
  forbidden: [json(403, B.envelope3('Forbidden'))],
  // 400 (envelope 2).
  'bad-request': [json(400, B.envelope2('invalid_request', 'The request is invalid'))],
  // 500 with {"error": "…"}.
  'error-string': [json(500, { error: 'boom' })],
  // 401 once (token_expired, envelope 1), whatever the token, then done.
  'unauthorized-once': [json(401, B.envelope1('token_expired', 'Token expired')), done],
  // 401 always.
  unauthorized: [json(401, B.envelope3('Unauthorized'))],
  // The provider's server's auth layer (FastAPI envelope): 403 missing_token always; 403
  // invalid_token once, whatever the token, then done; a request-validation list (422).
  'missing-token': [json(403, B.envelope4('missing_token'))],
  'invalid-token-once': [json(403, B.envelope4('invalid_token')), done],
  'detail-list': [json(422, B.envelope4([{ type: 'missing', loc: ['query', 'document_id'], msg: 'Field required' }]))],
  // The first answer (a 200, or a 202) is cut in the middle of its body, then done.
  'cut-once': [{ ...done, cut: true }, done],
  'cut-202-once': [{ ...pending('processing'), cut: true }, done],
  // A complete 200 whose body is cut JSON (not a transport failure).
  'truncated-json': [{ status: 200, raw: true, body: (id) => JSON.stringify(B.completedBody(id, Date.now())).slice(0, 40) }],
  // A 400 that echoes the request's Authorization header in its message and body.
  'echo-auth': [{
    status: 400,
    body: (id, t, req) => ({ error: { code: 'bad_header', message: `rejected header: ${req.headers.authorization}` }, echo: { headers: { authorization: req.headers.authorization } } }),
  }],
  // A 200 whose 4 MB JSON body is sent gzip-compressed (a few KB on the wire).
  'gzip-bomb': [{ status: 200, gzip: true, body: (id, t) => ({ ...B.completedBody(id, t), padding: ' '.repeat(4 << 20) }) }],
  // A 200 whose `status` is a 1 MB string.
  'huge-status': [{ status: 200, body: (id, t) => ({ ...B.completedBody(id, t), status: 'x'.repeat(1 << 20) }) }],
  // A 307 to another origin (localhost instead of 127.0.0.1), where `instant` would answer.
  'redirect-away': [{ status: 307, raw: true, body: () => '', headers: (req) => ({ location: `http://${req.headers.host.replace('127.0.0.1', 'localhost')}/voice/v1/sessions/instant.redirected` }) }],
};

/** The scenario for a session id, from the built-ins or `custom`. */
export function scenarioFor(id, custom) {
  if (custom.has(id)) return custom.get(id);
  const name = id.split('.')[0];
  return custom.get(name) || SCENARIOS[name] || null;
}

/** Turns JSON steps posted by a user into steps. */
export function fromJson(steps) {
  if (!Array.isArray(steps) || steps.length === 0) throw new Error('steps must be a non-empty array');
  return steps.map((s) => {
    if (!Number.isInteger(s.status)) throw new Error('each step needs an integer status');
    return { status: s.status, holdMs: s.holdMs || 0, headers: s.headers, raw: typeof s.body === 'string', body: () => s.body ?? {} };
  });
}

// Webhook subscriptions and deliveries of the simulator (lifecycle.md §6): when a created
// session finishes processing, every subscription to its event gets a signed POST of
// `v2rx.completed`, as the provider sends it:
//   - the two payload shapes alternate (delivery 0, 2, 4…: the `payload` shape, sent with
//     Python's default `json.dumps` spacing and signed over the COMPACT form, as the
//     provider's own verifier re-serialises it; 1, 3, 5…: the `data` shape, signed as sent);
//   - `Eka-Webhook-Signature: t=<unix s>,v1=<hex HMAC-SHA256(signing_key, "<t>.<body>")>`;
//   - an answer other than 2xx (or no answer) is retried: 5 attempts, 100 ms doubling;
//   - every second session's delivery comes twice (a duplicate 50 ms after the first 2xx).
// Endpoints must be loopback URLs: the simulator never sends traffic anywhere else.
import { createHmac } from 'node:crypto';
import * as B from './bodies.mjs';

const ATTEMPTS = 5;
const FIRST_RETRY_MS = 100;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class Webhooks {
  constructor() {
    this.subscriptions = [];
    this.deliveries = []; // { session_id, subscription, attempt, status, shape, duplicate, at }
    this.sent = 0;
    this.timers = new Set();
  }

  /** POST /notification/v1/connect/webhook/subscriptions {event_names, endpoint, signing_key}. */
  subscribe(req) {
    const { event_names: events, endpoint, signing_key: key } = req ?? {};
    if (!Array.isArray(events) || !events.every((e) => typeof e === 'string') || events.length === 0) {
      return [400, B.envelope1('invalid_request', 'event_names must be a non-empty array of strings')];
    }
    let url;
    try {
      url = new URL(endpoint);
    } catch {
      return [400, B.envelope1('invalid_request', 'endpoint must be a URL')];
    }
    if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) {
      return [400, B.envelope1('invalid_request', 'the simulator delivers to loopback http:// endpoints only')];
    }
    if (key !== undefined && (typeof key !== 'string' || !key)) return [400, B.envelope1('invalid_request', 'signing_key must be a non-empty string')];
    const sub = { id: `sub_${this.subscriptions.length + 1}`, event_names: events, endpoint: url.href, signing_key: key };
    this.subscriptions.push(sub);
    return [201, { id: sub.id, event_names: events, endpoint: sub.endpoint, created_at: new Date().toISOString() }];
  }

  /** A session finishes processing at `atMs`; `statusOf()` tells its final status then. */
  finish(sessionId, atMs, statusOf) {
    const event = 'v2rx.completed';
    for (const sub of this.subscriptions.filter((s) => s.event_names.includes(event))) {
      const n = this.sent++;
      this.at(atMs, () => this.deliver(sub, sessionId, statusOf(), n, 1, false));
    }
  }

  /** What the simulator delivered, and to whom (signing keys left out). */
  describe() {
    return {
      subscriptions: this.subscriptions.map(({ signing_key: key, ...rest }) => ({ ...rest, signed: Boolean(key) })),
      deliveries: this.deliveries,
    };
  }

  later(ms, fn) {
    this.at(Date.now() + ms, fn);
  }

  /** Runs `fn` once Date.now() reaches `atMs` (a timer may fire a millisecond early). */
  at(atMs, fn) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (Date.now() < atMs) this.at(atMs, fn);
      else fn();
    }, Math.max(0, atMs - Date.now()));
    this.timers.add(t);
  }

  async deliver(sub, sessionId, status, n, attempt, duplicate) {
    const shape = n % 2 === 0 ? 'payload' : 'data';
    const { body, signed } = payload(shape, sessionId, status);
    const t = Math.floor(Date.now() / 1000);
    const headers = { 'content-type': 'application/json' };
    if (sub.signing_key) {
      headers['eka-webhook-signature'] = `t=${t},v1=${createHmac('sha256', sub.signing_key).update(`${t}.${signed}`).digest('hex')}`;
    }
    let answer = 0;
    try {
      answer = (await fetch(sub.endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) })).status;
    } catch {}
    this.deliveries.push({ session_id: sessionId, subscription: sub.id, attempt, status: answer, shape, duplicate, at: Date.now() });
    const ok = answer >= 200 && answer < 300;
    if (!ok && attempt < ATTEMPTS) {
      this.later(FIRST_RETRY_MS * 2 ** (attempt - 1), () => this.deliver(sub, sessionId, status, n, attempt + 1, duplicate));
    } else if (ok && !duplicate && n % 4 === 1) {
      this.later(50, () => this.deliver(sub, sessionId, status, n, 1, true));
    }
  }

  /** Forgets subscriptions and deliveries; cancels what is scheduled. */
  reset() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.subscriptions = [];
    this.deliveries = [];
    this.sent = 0;
  }
}

/** The body sent and the text signed, for one of the two shapes. */
function payload(shape, sessionId, status) {
  const now = new Date().toISOString();
  if (shape === 'data') {
    const body = JSON.stringify({ event: 'v2rx.completed', data: { transaction_id: sessionId, status, session_id: sessionId }, timestamp: now });
    return { body, signed: body };
  }
  const p = {
    business_id: 'b_sim', client_id: 'c_sim', service_id: 'v2rx', event_id: 'v2rx.completed',
    payload: { service: 'v2rx', event: 'v2rx.completed', event_time: now, transaction_id: sessionId, data: {} },
  };
  // Python's json.dumps: default separators (', ', ': ') on the wire; compact when signed.
  return { body: pythonDumps(p, ', ', ': '), signed: pythonDumps(p, ',', ':') };
}

/** `json.dumps(v, separators=(item, key))` with Python's default ensure_ascii. */
function pythonDumps(v, item, key) {
  if (Array.isArray(v)) return `[${v.map((x) => pythonDumps(x, item, key)).join(item)}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v).map(([k, x]) => pythonDumps(k, item, key) + key + pythonDumps(x, item, key)).join(item)}}`;
  }
  return JSON.stringify(v).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

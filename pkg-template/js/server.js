// `eka-voice/server`: everything of `eka-voice`, plus what a backend needs: verifyWebhook,
// handleWebhook, clientCredentials, voiceProxy (voice-proxy.js), and VoiceClient#pollMany. Its module is built with the `server` feature and embedded (no file to
// serve or read: Node, Deno, Bun and edge workers alike).
import { verifyWebhook as verify, webhookAnswer, SeenSessions, ClientCredentials } from '../eka_voice.js';
import { VoiceApiError } from '../snippet.js';
import { failure, ready, settle, whenReady } from './load.js';
import { readBody, safe, within } from './guard.js';

import { VoiceClient } from './index.js';

export { init, VoiceClient, pollSession, getSession, VoiceApiError, documents, findDocument } from './index.js';
export { voiceProxy } from './voice-proxy.js';

/** See server.d.ts. */
export const verifyWebhook = whenReady(verify);

// The sessions handled by this process when no `dedupe` is given (the core's bounded table).
const SEEN_CAPACITY = 10_000;
let seen;

/** The longest a delivery's body may take to arrive, and a `dedupe` hook to answer. */
const BODY_TIMEOUT_MS = 10_000;
const DEDUPE_TIMEOUT_MS = 10_000;
/** Why a delivery was refused, by the error code verifying it gave. */
const REASONS = { invalid_signature: 'bad_signature', stale_signature: 'stale', invalid_argument: 'malformed' };

/** See server.d.ts. */
export async function handleWebhook(request, options) {
  const o = handlerOptions(options);
  await ready();
  const refuse = (reason, status, error) => {
    safe(o.onRejected, { reason, status, error });
    return new Response(null, { status, headers: status === 405 ? { allow: 'POST' } : {} });
  };
  let method;
  try {
    method = request.method;
  } catch {}
  if (method !== 'POST') return refuse('method', 405);
  let body;
  try {
    body = await readBody(request, MAX_BODY, BODY_TIMEOUT_MS);
  } catch {
    return refuse('timeout', 408);
  }
  if (!body) return refuse('too_large', 413);
  let event;
  try {
    const signature = request.headers.get('eka-webhook-signature') ?? '';
    event = await verify({ body, signature, signingKey: o.signingKey, toleranceSec: o.toleranceSec });
  } catch (e) {
    const code = e instanceof VoiceApiError ? e.code : 'network';
    const status = webhookAnswer(code);
    // A signed payload of neither shape is the provider's (202, reported as an error).
    if (code === 'invalid_response') safe(o.onError, e);
    else return refuse(REASONS[code] ?? 'malformed', status, e);
    return new Response(null, { status });
  }
  try {
    if (await within(Promise.resolve(o.dedupe(event.sessionId)), DEDUPE_TIMEOUT_MS)) {
      const work = o.client.getSession(event.sessionId).then((s) => o.onSession(s, event));
      const done = work.catch((e) => safe(o.onError, e, event));
      safe(o.waitUntil, done);
    }
  } catch (e) {
    // The dedupe store failed or hung: let the provider retry.
    safe(o.onError, e, event);
    return new Response(null, { status: webhookAnswer('network') });
  }
  return new Response(null, { status: webhookAnswer(undefined) });
}

// A webhook body is small: a request over MAX_BODY bytes is refused without being read
// whole (413), so that no sender can make the receiver hold an endless body; one that
// trickles for over BODY_TIMEOUT_MS is abandoned (408).
const MAX_BODY = 1 << 20;

// The caller's options, read once; a missing one rejects (a programming error, not a
// delivery) — a missing signing key too: every delivery would be refused, unseen.
function handlerOptions(options) {
  let o;
  try {
    const { signingKey, client, onSession, onError, onRejected, dedupe, waitUntil, toleranceSec } = options ?? {};
    o = { signingKey, client, onSession, onError, onRejected, dedupe, waitUntil, toleranceSec };
  } catch {
    throw failure('handleWebhook: the options could not be read', 'invalid_argument');
  }
  const key = o.signingKey;
  const empty = key === undefined || key === null || key === '' || (typeof key === 'object' && !(key.byteLength > 0));
  if (empty) throw failure('handleWebhook: `signingKey` is missing or empty (is its environment variable set?): every delivery would be refused', 'invalid_argument');
  if (typeof o.client?.getSession !== 'function') throw failure('handleWebhook: `client` must be a VoiceClient', 'invalid_argument');
  if (typeof o.onSession !== 'function') throw failure('handleWebhook: `onSession(session, event)` is required', 'invalid_argument');
  for (const k of ['onError', 'onRejected', 'dedupe', 'waitUntil']) {
    if (o[k] !== undefined && typeof o[k] !== 'function') throw failure(`handleWebhook: \`${k}\` must be a function`, 'invalid_argument');
  }
  if (!o.dedupe) o.dedupe = (id) => (seen ??= new SeenSessions(SEEN_CAPACITY)).first(id);
  return o;
}

/** See server.d.ts. */
export function clientCredentials(options) {
  if (!settle()) throw failure('eka-voice/server could not instantiate its wasm', 'wasm_unavailable');
  const credentials = new ClientCredentials(options);
  // The client says which token the API refused: dropped, and one login for every waiter.
  return (context) => {
    let refused;
    try {
      refused = typeof context?.refused === 'string' ? context.refused : undefined;
    } catch {}
    return credentials.getToken(refused);
  };
}

/**
 * See server.d.ts: polls many sessions, at most `concurrency` at once, yielding
 * `{ sessionId, session }` or `{ sessionId, error }` as each settles. Ids are pulled one at
 * a time and only while a poll may start (an endless or slow id source is never drained
 * ahead); a result is yielded as soon as it settles, even while the next id is awaited; the
 * event loop gets a turn every PULLS_PER_TURN ids (ids that fail at once never starve the
 * timers). Aborting `signal` stops at once: no more ids are pulled, the polls in flight are
 * aborted, and the loop throws `signal.reason`. Stopping the loop (break, return, a throw)
 * stops taking ids and aborts the polls in flight.
 */
const PULLS_PER_TURN = 64;
VoiceClient.prototype.pollMany = async function* pollMany(ids, options) {
  const { concurrency, perSecond, poll, signal } = manyOptions(options);
  if (perSecond !== undefined) this.setRequestBudget(perSecond);
  const source = idSource(ids);
  // One controller per poll (a shared signal would carry hundreds of listeners); the
  // caller's signal gets one listener that aborts them all.
  const controllers = new Set();
  const running = new Set();
  const settled = [];
  let notified = false;
  let notify;
  const wake = () => {
    notified = true;
    notify?.();
  };
  const woken = () =>
    notified ? (notified = false) : new Promise((r) => (notify = () => ((notify = undefined), (notified = false), r())));
  const onAbort = () => {
    controllers.forEach((c) => c.abort(signal.reason));
    wake();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  let closed = false;
  const start = (sessionId) => {
    if (closed) return; // an id that arrived after the loop ended: not polled
    const controller = new AbortController();
    controllers.add(controller);
    const p = this.pollSession(sessionId, { ...poll, signal: controller.signal }).then(
      (session) => ({ sessionId, session }),
      (error) => ({ sessionId, error }),
    );
    running.add(p);
    p.then((r) => {
      running.delete(p);
      controllers.delete(controller);
      settled.push(r);
      wake();
    });
  };
  let pulling = false;
  let more = true;
  let failed;
  let pulled = 0;
  const pull = () => {
    pulling = true;
    Promise.resolve()
      .then(() => source.next())
      .then(
        (step) => (step.done ? (more = false) : start(step.value)),
        (e) => ((failed = { e }), (more = false)),
      )
      .finally(() => ((pulling = false), wake()));
  };
  try {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      if (settled.length) {
        yield settled.shift();
        continue;
      }
      if (failed) throw failed.e;
      if (more && !pulling && running.size < concurrency) {
        if (++pulled % PULLS_PER_TURN === 0) await new Promise((r) => setTimeout(r, 0));
        pull();
      }
      if (!more && !pulling && !running.size) return;
      await woken();
    }
  } finally {
    closed = true;
    controllers.forEach((c) => c.abort(signal?.reason));
    signal?.removeEventListener('abort', onAbort);
    if (more) {
      // The id source is told we are done; not waited for while its next() is pending (an
      // async generator finishes that first, which may be never).
      const told = Promise.resolve().then(() => source.return?.()).catch(() => {});
      if (!pulling) await told;
    }
  }
};

// pollMany's options: its own, and the poll options it passes on (checked by pollSession).
function manyOptions(options) {
  let o;
  try {
    o = { ...(options ?? {}) };
  } catch {
    throw failure('pollMany: the options could not be read', 'invalid_argument');
  }
  const { concurrency = 16, maxRequestsPerSecond: perSecond, signal, ...poll } = o;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw failure('pollMany: `concurrency` must be a positive integer', 'invalid_argument');
  if (perSecond !== undefined && !(Number.isInteger(perSecond) && perSecond >= 1 && perSecond < 2 ** 32)) {
    throw failure('pollMany: `maxRequestsPerSecond` must be a positive integer below 2^32', 'invalid_argument');
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw failure('pollMany: `signal` must be an AbortSignal', 'invalid_argument');
  return { concurrency, perSecond, poll, signal };
}

// The ids as an async iterator: an array (or any iterable) or an async iterable.
function idSource(ids) {
  try {
    if (ids?.[Symbol.asyncIterator]) return ids[Symbol.asyncIterator]();
    if (ids?.[Symbol.iterator] && typeof ids !== 'string') {
      const it = ids[Symbol.iterator]();
      return { next: async () => it.next(), return: async () => it.return?.() };
    }
  } catch {}
  throw failure('pollMany: `ids` must be an array or an (async) iterable of session ids', 'invalid_argument');
}

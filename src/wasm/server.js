// The server entry's JS helpers (bound in src/wasm/server.rs; built only with the `server`
// feature). The boundary rule of snippet.js holds here too: the caller's objects are read
// here only, once, and what they throw becomes a message, never an exception in the wasm.

import { takeChunk } from './snippet.js';

const text = new TextEncoder();
// Bytes of a string (UTF-8), or of an ArrayBuffer / view, copied through the platform's
// own getters as audio chunks are (snippet.js's takeChunk); undefined otherwise.
function bytesOf(v) {
  if (typeof v === 'string') return text.encode(v);
  if (!(v instanceof ArrayBuffer) && !ArrayBuffer.isView(v)) return undefined;
  const taken = takeChunk(v);
  return taken?.body instanceof Uint8Array ? taken.body : undefined;
}
// The options of verifyWebhook -> [body bytes, body text, signature, key bytes, toleranceSec,
// now (ms)]; throws a message (never a value) when one is missing or of the wrong type.
export function webhookInput(o) {
  if (o === null || typeof o !== 'object') throw 'options must be an object';
  let body, signature, key, tolerance, now;
  try {
    ({ body, signature, signingKey: key, toleranceSec: tolerance, now } = o);
  } catch {
    throw 'options could not be read';
  }
  const raw = bytesOf(body);
  if (!raw) throw '`body` must be the raw request body: a string, an ArrayBuffer or a Uint8Array (not a parsed object)';
  if (typeof signature !== 'string') throw '`signature` must be the Eka-Webhook-Signature header (a string)';
  const k = bytesOf(key);
  if (!k || k.length === 0) throw '`signingKey` must be a non-empty string or bytes';
  if (tolerance !== undefined && !(Number.isInteger(tolerance) && tolerance >= 0)) throw '`toleranceSec` must be a non-negative integer';
  if (now instanceof Date) now = now.getTime();
  if (now !== undefined && !Number.isFinite(now)) throw '`now` must be a Date or milliseconds since the epoch';
  let decoded;
  try {
    // ignoreBOM: a BOM stays in the text (it is not in what the provider signs).
    decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
  } catch {}
  return [raw, decoded, signature, k, tolerance, now ?? Date.now()];
}
// The parsed payload of a body text (undefined when it is not JSON).
export function parsePayload(t) {
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}
// The string at `path` (an array of keys) of a parsed payload, cut to `max` characters.
export function readPath(o, path, max) {
  for (const k of path) o = o !== null && typeof o === 'object' ? o[k] : undefined;
  return typeof o === 'string' ? o.slice(0, max) : undefined;
}
// The event verifyWebhook resolves with (absent members left out).
export function webhookEvent(event, sessionId, status, eventTime, raw) {
  const e = { event, sessionId, status, eventTime, raw };
  for (const k in e) if (e[k] === undefined) delete e[k];
  return e;
}
// clientCredentials' options -> [clientId, clientSecret, baseUrl]; throws a message. Refuses
// where a `document` exists: a client secret must never reach a browser.
export function credentialsInput(o) {
  if (typeof document !== 'undefined') {
    throw "clientCredentials runs on servers only: a client secret must never reach a browser. Mount voiceProxy (eka-voice/server) on your backend and give the page new VoiceClient({ baseUrl: location.origin + '/api/eka' }), with no token";
  }
  if (o === null || typeof o !== 'object') throw 'options must be an object';
  let id, secret, base;
  try {
    ({ clientId: id, clientSecret: secret, baseUrl: base } = o);
  } catch {
    throw 'options could not be read';
  }
  if (typeof id !== 'string' || typeof secret !== 'string' || !id || !secret) {
    throw '`clientId` and `clientSecret` must be non-empty strings (are their environment variables set?)';
  }
  if (base !== undefined && typeof base !== 'string') throw '`baseUrl` must be a string';
  return [id, secret, base];
}

// The package's JS helpers, bound in src/wasm/js.rs (wasm-bindgen copies this file into
// the package's snippets/ and the build minifies it). JS plumbing only: every protocol
// rule these functions apply is handed in by the Rust core.
//
// The boundary rule: the caller's objects (options, signals, chunks, iterators, callbacks)
// are touched ONLY here, each value read once, and nothing they throw escapes into the
// wasm: a helper either catches, or is async (a throw becomes a rejection), or is bound
// with `catch` in js.rs. A JS exception unwinding through wasm frames would skip their
// clean-up (the build has no unwinding) and leave the instance broken.

export class VoiceApiError extends Error {
  constructor(message, code, status, apiCode, sessionId, body, cause) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'VoiceApiError';
    this.code = code;
    this.status = status;
    this.apiCode = apiCode;
    this.sessionId = sessionId;
    this.body = body;
  }
  toJSON() {
    const { name, code, status, apiCode, sessionId, message, body } = this;
    return { name, code, status, apiCode, sessionId, message, body };
  }
}
// The class keeps its name through minification (console.log(err) shows VoiceApiError).
Object.defineProperty(VoiceApiError, 'name', { value: 'VoiceApiError' });
export function errorClass() { return VoiceApiError; }
const specs = new Map();
// Checks an options object against a call's spec (`<kind><key> ` entries, declared once per
// call in src/wasm/options) -> the values in spec order. Throws a message naming the option
// (never its value): a wrong type, or an option the call does not take (unless undefined).
export function readOptions(o, spec) {
  if (o == null) o = {};
  else if (typeof o !== 'object') throw 'options must be an object';
  let entries = specs.get(spec);
  if (!entries) {
    entries = spec.split(' ').filter(Boolean).map((e) => [e[0], e.slice(1)]);
    entries.known = new Set(entries.map((e) => e[1]));
    specs.set(spec, entries);
  }
  let keys;
  try { keys = Object.keys(o); } catch { throw 'options could not be read'; }
  for (const k of keys) {
    if (entries.known.has(k)) continue;
    let v = null;
    try { v = o[k]; } catch { }
    if (v !== undefined) throw '`' + k + '` is not an option of this call';
  }
  const out = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) out[i] = option(o, entries[i][0], entries[i][1]);
  return out;
}
function fail(k, what) { throw '`' + k + '` must be ' + what; }
function option(o, kind, k) {
  let v;
  try { v = o[k]; } catch { fail(k, 'readable'); }
  if (v == null) return undefined;
  const t = typeof v;
  switch (kind) {
    case 's': return t === 'string' ? v : fail(k, 'a string');
    case 'b': return t === 'boolean' ? v : fail(k, 'a boolean');
    case 'f': return t === 'function' ? v : fail(k, 'a function');
    case 'n': return Number.isInteger(v) && v >= 0 && v < 2 ** 32 ? v : fail(k, 'a non-negative integer');
    case 'p': return Number.isInteger(v) && v >= 1 && v < 2 ** 32 ? v : fail(k, 'a positive integer');
    case 'm': return t === 'number' && v >= 0 ? v : fail(k, 'a non-negative number of milliseconds');
    case 'M': return t === 'number' && v >= 1 ? v : fail(k, 'a positive number of milliseconds');
    case 'a':
      return t === 'object' && typeof v.aborted === 'boolean' && typeof v.addEventListener === 'function'
        ? v : fail(k, 'an AbortSignal');
    case 'T': if (t === 'string') return [v]; // falls through
    case 't': {
      // Copied, each element read once: the caller's array (or a Proxy) is not read again.
      let out;
      try { out = Array.isArray(v) ? Array.prototype.slice.call(v) : undefined; } catch { }
      return out && out.every((x) => typeof x === 'string') ? out : fail(k, 'an array of strings');
    }
    case 'o': return t === 'object' ? v : fail(k, 'an object');
    case 'j': {
      if (t !== 'object' || Array.isArray(v)) fail(k, 'a plain object');
      let json;
      try { json = JSON.stringify(v); } catch { }
      if (typeof json !== 'string') fail(k, 'serialisable as JSON');
      return [json, Object.prototype.hasOwnProperty.call(v, '_protocol')];
    }
  }
}
// A copy of a kept answer (the caller may change what it was given).
export function copy(v) {
  return structuredClone(v);
}
export function requestInit(method, token, body, json, header) {
  const headers = { accept: 'application/json' };
  if (header) headers[header[0]] = header[1];
  if (json) headers['content-type'] = 'application/json';
  if (token !== undefined) headers.authorization = 'Bearer ' + token;
  // Redirects are never followed: the core refuses them (3xx, or a browser's opaque
  // redirect with status 0) as invalid_response.
  const init = { method, headers, redirect: 'manual' };
  if (body !== undefined) init.body = body;
  return init;
}
const TIMED_OUT = Symbol('request timed out');
// `fetch(url, init)` under `controller`, with a request timer, its body read: `json()` for
// the statuses in `sessionStatuses` when its length is known, else text (parsed when it is
// JSON); a body over `maxBytes` is not read. -> { status, body, retryAfter, cacheControl,
// oversized }, or
// null when the timer ran out. A body that did not arrive whole rejects (a transport
// failure); a complete body that is not JSON leaves `body` undefined.
export async function exchange(url, init, controller, timeoutMs, sessionStatuses, maxBytes) {
  init.signal = controller.signal;
  const timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
  try {
    const r = await fetch(url, init);
    const status = r.status, h = r.headers;
    const retryAfter = h.get('retry-after') ?? undefined, cacheControl = h.get('cache-control') ?? undefined;
    const length = h.get('content-length'), encoding = h.get('content-encoding');
    // Known: the length on the wire is the length of the body (no compression seen; a
    // browser hides Content-Encoding unless the server exposes it through CORS).
    const known = length !== null && (encoding === null || encoding === 'identity');
    let body, text;
    if (length !== null && +length > maxBytes) text = undefined;
    else if (known && sessionStatuses.includes(status)) {
      try { body = await r.json(); } catch (e) { if (!(e instanceof SyntaxError)) throw e; }
      return { status, body, retryAfter, cacheControl, oversized: false };
    } else text = known ? await r.text() : await capped(r, maxBytes);
    if (text === undefined) {
      controller.abort();
      return { status, body, retryAfter, oversized: true };
    }
    if (text) try { body = JSON.parse(text); } catch { if (!sessionStatuses.includes(status)) body = text; }
    return { status, body, retryAfter, cacheControl, oversized: false };
  } catch (e) {
    if (controller.signal.reason === TIMED_OUT) return null;
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
// A body of unknown length as text, counting the bytes as they come; undefined past `max`.
async function capped(r, max) {
  if (!r.body) return '';
  const reader = r.body.getReader(), parts = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if ((n += value.length) > max) return void reader.cancel().catch(() => { });
    parts.push(value);
  }
  const all = new Uint8Array(n);
  for (let i = 0, at = 0; i < parts.length; at += parts[i++].length) all.set(parts[i], at);
  return new TextDecoder().decode(all);
}
// The string at `o[a]` (or `o[a][b]`, `o[a][b][c]`) of a parsed body, cut to `max`
// characters: only bounded strings are copied into the wasm.
export function field(o, a, b, c, max) {
  let v = o[a];
  for (const k of [b, c]) if (k !== undefined) v = v !== null && typeof v === 'object' ? v[k] : undefined;
  return typeof v === 'string' ? (v.length > max ? v.slice(0, max) : v) : undefined;
}
// The state of a caller's AbortSignal (read through its own getters, so it may throw: bound
// with `catch`): undefined while not aborted, else its reason (an AbortError when none).
export function signalReason(s) {
  if (!s.aborted) return undefined;
  const r = s.reason;
  return r === undefined ? new DOMException('The operation was aborted', 'AbortError') : r;
}
// The functions `names` of a hooks object, each read once -> an array; throws a message
// naming the first that is not a function.
export function hookFns(o, names) {
  return names.map((n) => {
    let f;
    try { f = o[n]; } catch { }
    if (typeof f !== 'function') throw '`durable.' + n + '` must be a function';
    return f;
  });
}
// Calls a caller's hook: whatever it throws or returns becomes this promise's outcome.
export async function callHook(f, a, b, c) { return f(a, b, c); }
// Resolves at the page's next `online` event (never where there is none, as in Node).
export function nextOnline() {
  return new Promise((resolve) => globalThis.addEventListener?.('online', () => resolve(), { once: true }));
}
// Calls a getToken source, telling it the token the service refused (when one was):
// whatever it throws or returns (a value, a promise, a thenable whose `then` throws)
// becomes this promise's outcome.
export async function callToken(f, refused) { return f(refused === undefined ? {} : { refused }); }
// What a thrown value says of itself (getToken's failure): its HTTP `status` (0: none)
// and its `code` (a VoiceApiError's); a hostile getter says nothing.
export function thrownStatus(e) {
  try { const s = e?.status; return Number.isInteger(s) && s >= 100 && s < 600 ? s : 0; } catch { return 0; }
}
export function thrownCode(e) {
  try { const c = e?.code; return typeof c === 'string' ? c.slice(0, 64) : undefined; } catch { return undefined; }
}
export function describe(e) {
  try {
    const m = typeof e?.message === 'string' ? e.message : typeof e === 'string' ? e : '';
    const c = e?.cause?.message;
    return m && typeof c === 'string' ? m + ' (' + c + ')' : m;
  } catch { return ''; }
}
// Audio chunks are read through the platform's own getters (Blob.prototype.size, the
// typed arrays' byteLength, …), never through the chunk's: a Proxy or an object with
// throwing getters is simply not a chunk, and no caller code runs.
const getter = (o, k) => Object.getOwnPropertyDescriptor(o, k).get;
const VIEW = ['buffer', 'byteOffset', 'byteLength'];
const TYPED = VIEW.map((k) => getter(Object.getPrototypeOf(Uint8Array.prototype), k));
const DATA = VIEW.map((k) => getter(DataView.prototype, k));
const BUFFERS = [ArrayBuffer, globalThis.SharedArrayBuffer].filter(Boolean).map((B) => getter(B.prototype, 'byteLength'));
const blobSize = getter(Blob.prototype, 'size'), blobType = getter(Blob.prototype, 'type');
const call = (f, v) => { try { return f.call(v); } catch { } };
// [buffer, offset, length] of an ArrayBuffer, a SharedArrayBuffer or any view; else undefined.
function region(v) {
  if (ArrayBuffer.isView(v)) {
    for (const g of [TYPED, DATA]) { const r = g.map((f) => call(f, v)); if (r[2] !== undefined) return r; }
    return undefined;
  }
  for (const f of BUFFERS) { const n = call(f, v); if (n !== undefined) return [v, 0, n]; }
}
// The size of a chunk, undefined if it is none.
function sizeOf(v) {
  return call(blobSize, v) ?? region(v)?.[2];
}
// Takes a chunk NOW -> { body, size, type }, or undefined when it is none: the bytes of a
// buffer or a view are copied (fetch refuses views of a SharedArrayBuffer, and a caller that
// reuses its buffer cannot change what is uploaded, or retried); a Blob is immutable and
// only re-sliced without its type.
export function takeChunk(v) {
  const size = call(blobSize, v);
  if (size !== undefined) return { body: Blob.prototype.slice.call(v, 0, size), size, type: blobType.call(v) };
  const r = region(v);
  if (!r) return undefined;
  const b = new Uint8Array(r[2]);
  b.set(new Uint8Array(r[0], r[1], r[2]));
  return { body: b, size: b.length, type: '' };
}
// The first n bytes of a taken chunk's body; rejects when a Blob cannot be read.
export async function chunkHead(body, n) {
  return body instanceof Uint8Array ? body.subarray(0, n) : new Uint8Array(await body.slice(0, n).arrayBuffer());
}
export function presignedForm(fields, body, type, name) {
  const form = new FormData();
  for (let i = 0; i < fields.length; i += 2) form.append(fields[i], fields[i + 1]);
  form.append('file', new Blob([body], { type }), name);
  return form;
}
// The caller's chunks -> { iterator, count, bytes } (count and bytes for an array, whose
// elements are copied once, here; bytes undefined when a size is unknown). Throws a message.
const NOT_CHUNKS = 'chunks must be an iterable or async iterable of Blob / ArrayBuffer / Uint8Array';
const UNREADABLE = 'chunks could not be iterated';
export function openChunks(chunks) {
  if (chunks === null || typeof chunks !== 'object') throw NOT_CHUNKS;
  // One recording passed as it is (its bytes would be iterated one number at a time).
  if (sizeOf(chunks) !== undefined) throw 'chunks must be an iterable of chunks: pass [recording] for one recording';
  try {
    if (Array.isArray(chunks)) {
      const copy = Array.prototype.slice.call(chunks);
      let bytes = 0;
      for (const c of copy) bytes += sizeOf(c) ?? NaN;
      return { iterator: copy.values(), count: copy.length, bytes: Number.isNaN(bytes) ? undefined : bytes };
    }
  } catch { throw UNREADABLE; }
  let f, it, next;
  try { f = chunks[Symbol.asyncIterator] ?? chunks[Symbol.iterator]; } catch { throw UNREADABLE; }
  if (typeof f !== 'function') throw NOT_CHUNKS;
  try { it = f.call(chunks); next = it?.next; } catch { throw UNREADABLE; }
  if (typeof next !== 'function') throw 'chunks: the iterator has no next()';
  return { iterator: it };
}
// The next chunk as `{ value }`, or `null` when done. A value that is a real Promise is
// awaited (what it rejects with rejects the call); anything else — a Proxy, an object with
// a `then` — is taken as it is, without running its code.
export async function nextChunk(it) {
  const step = await it.next();
  if (step?.done) return null;
  const v = step?.value;
  let promise;
  try { promise = Promise.prototype.then.call(v, (x) => x); } catch { return { value: v }; }
  return { value: await promise };
}
// Tells an iterator that no more chunks will be asked for (`return()`), so that a
// recorder's clean-up runs; what it throws or rejects with is ignored.
export function closeChunks(it) {
  try { Promise.resolve(it.return?.()).catch(() => { }); } catch { }
}
// A progress event of transcribe: { phase, sessionId?, snapshot? } and, while uploading,
// { chunksDone, chunksTotal?, bytesDone, bytesTotal? } (undefined members are left out).
export function retryEvent(attempt, delayMs, error, index) {
  const e = { attempt, delayMs, error, index };
  if (index === undefined) delete e.index;
  return e;
}
export function progressEvent(phase, sessionId, snapshot, chunksDone, chunksTotal, bytesDone, bytesTotal, chunksWaiting, offline) {
  const e = { phase, sessionId, snapshot, chunksDone, chunksTotal, bytesDone, bytesTotal, chunksWaiting, offline };
  for (const k in e) if (e[k] === undefined) delete e[k];
  return e;
}

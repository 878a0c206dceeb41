// The package's JS helpers, bound in src/wasm/js.rs (wasm-bindgen copies this file into
// the package's snippets/ and the build minifies it). JS plumbing only: every protocol
// rule these functions apply is handed in by the Rust core.

export class VoiceApiError extends Error {
  constructor(message, code, status, apiCode, sessionId, body) {
    super(message);
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
export function errorClass() { return VoiceApiError; }
export function sleep(ms) {
  let t, done;
  const p = new Promise((r) => { done = r; t = setTimeout(r, ms); });
  p.cancel = () => { clearTimeout(t); done(); };
  return p;
}
const specs = new Map();
export function readOptions(o, spec) {
  if (o == null) o = {};
  else if (typeof o !== 'object') throw 'options must be an object';
  let entries = specs.get(spec);
  if (!entries) specs.set(spec, (entries = spec.split(' ').map((e) => [e[0], e.slice(1)])));
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
    case 't': return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : fail(k, 'an array of strings');
    case 'j': {
      if (t !== 'object' || Array.isArray(v)) fail(k, 'a plain object');
      let json;
      try { json = JSON.stringify(v); } catch { }
      if (typeof json !== 'string') fail(k, 'serialisable as JSON');
      return [json, Object.prototype.hasOwnProperty.call(v, '_protocol')];
    }
  }
}
export function requestInit(method, token, body, json) {
  const headers = { accept: 'application/json' };
  if (json) headers['content-type'] = 'application/json';
  if (token !== undefined) headers.authorization = 'Bearer ' + token;
  const init = { method, headers };
  if (body !== undefined) init.body = body;
  return init;
}
const TIMED_OUT = Symbol('request timed out');
export async function exchange(url, init, controller, timeoutMs, sessionStatuses) {
  init.signal = controller.signal;
  const timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
  try {
    const r = await fetch(url, init);
    const status = r.status;
    const retryAfter = r.headers.get('retry-after') ?? undefined;
    let body;
    if (sessionStatuses.includes(status)) {
      try { body = await r.json(); } catch (e) { if (controller.signal.reason === TIMED_OUT) throw e; }
    } else {
      const text = await r.text();
      if (text) try { body = JSON.parse(text); } catch { body = text; }
    }
    return [status, body, retryAfter];
  } catch (e) {
    if (controller.signal.reason === TIMED_OUT) return null;
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
export function describe(e) {
  try {
    const m = typeof e?.message === 'string' ? e.message : typeof e === 'string' ? e : '';
    const c = e?.cause?.message;
    return m && typeof c === 'string' ? m + ' (' + c + ')' : m;
  } catch { return ''; }
}
const bytesOf = (v) => v instanceof ArrayBuffer ? new Uint8Array(v)
  : ArrayBuffer.isView(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : undefined;
export async function readChunk(v, n) {
  if (v instanceof Blob) {
    let head;
    try { head = new Uint8Array(await v.slice(0, n).arrayBuffer()); } catch { throw 1; }
    return [v.slice(0, v.size), v.size, v.type, head];
  }
  const b = bytesOf(v);
  if (!b) throw 0;
  return [b, b.length, '', b.subarray(0, n)];
}
export function chunkSize(v) {
  return v instanceof Blob ? v.size : bytesOf(v)?.length;
}
export function uploadTarget(u) {
  if (u == null || typeof u === 'string') return u ?? undefined;
  let flat;
  try {
    const d = u.uploadData, f = d?.fields;
    if (typeof d?.url === 'string' && f !== null && typeof f === 'object') {
      flat = [d.url];
      for (const [k, v] of Object.entries(f)) {
        if (typeof v !== 'string') throw 'uploadData.fields must hold strings';
        flat.push(k, v);
      }
    }
  } catch (e) { if (typeof e === 'string') throw e; flat = undefined; }
  if (!flat) throw 'upload_url is neither a URL nor a presigned upload (uploadData.url, uploadData.fields)';
  return flat;
}
export function presignedForm(fields, body, type, name) {
  const form = new FormData();
  for (let i = 0; i < fields.length; i += 2) form.append(fields[i], fields[i + 1]);
  form.append('file', new Blob([body], { type }), name);
  return form;
}
export function iterate(chunks) {
  if (chunks === null || typeof chunks !== 'object') throw 0;
  const f = chunks[Symbol.asyncIterator] ?? chunks[Symbol.iterator];
  if (typeof f !== 'function') throw 0;
  let it;
  try { it = f.call(chunks); } catch { throw 1; }
  if (typeof it?.next !== 'function') throw 2;
  return it;
}
export async function nextChunk(it) {
  const step = await it.next();
  return step?.done ? null : [await step?.value];
}
export function progressEvent(phase, sessionId, snapshot, counts) {
  const e = { phase };
  if (sessionId !== undefined) e.sessionId = sessionId;
  if (snapshot !== undefined) e.snapshot = snapshot;
  if (counts) [e.chunksDone, e.chunksTotal, e.bytesDone, e.bytesTotal] = Array.from(counts, (n) => (n < 0 ? undefined : n));
  return e;
}

// `voiceProxy` (eka-voice/server): a backend route that forwards a page's voice-session
// requests to the Voice API with the BACKEND's token, after the app's own check — the page
// never holds a provider credential. Which requests, where to, what is refused, when a
// token is refused and how answers are made safe are the core's rules (`ProxyRules`,
// src/proto/proxy.rs); this file performs them: it reads the page's body (bounded), asks the
// app (`authorize`) and the token source, fetches, and hands the answer back.
import { ProxyRules } from '../eka_voice.js';
import { failure, settle } from './load.js';
import { readBody, safe, within } from './guard.js';

/** The longest `authorize`, the token source and a page's body may take. */
const HOOK_TIMEOUT_MS = 10_000;
/** The longest the Voice API may take (a held Get Session answers within ~15 s). */
const UPSTREAM_TIMEOUT_MS = 60_000;
/** The answer headers handed back to the page (never a cookie, never the encoding: the
 * body is handed back decoded). */
const ANSWER_HEADERS = ['content-type', 'retry-after'];

/** See server.d.ts. */
export function voiceProxy(options) {
  const o = proxyOptions(options);
  if (!settle()) throw failure('eka-voice/server could not instantiate its wasm', 'wasm_unavailable');
  const rules = new ProxyRules(o.baseUrl);
  return (request) =>
    forward(request, o, rules).catch((e) => {
      safe(o.onError, e);
      return refusal(502, 'bad_gateway', 'the proxy could not forward the request');
    });
}

/** The proxy's own answer: `{ error: { code, message } }`, as the Voice API words its own. */
function refusal(status, code, message) {
  const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  return new Response(JSON.stringify({ error: { code, message } }), { status, headers });
}

async function forward(request, o, rules) {
  const url = new URL(request.url);
  const path = url.pathname.startsWith(o.basePath + '/') ? url.pathname.slice(o.basePath.length) : '';
  let route;
  try {
    route = rules.route(request.method, path, url.search.slice(1));
  } catch (e) {
    return refusal(e.status ?? 400, e.code, e.message);
  }
  const [upstream, operation, sessionId] = route;
  const allowed = await within(Promise.resolve().then(() => o.authorize(request, { operation, sessionId })), HOOK_TIMEOUT_MS).catch((e) => {
    safe(o.onError, e);
    return null;
  });
  if (allowed === null) return refusal(503, 'unavailable', 'the authorization check failed');
  if (allowed !== true) return refusal(403, 'forbidden', 'not allowed');
  let body;
  if (request.method === 'POST') {
    body = await readBody(request, ProxyRules.maxBodyBytes(), HOOK_TIMEOUT_MS).catch(() => null);
    if (body === null) return refusal(408, 'request_timeout', 'the request body took too long');
    if (!body) return refusal(413, 'too_large', 'the request body is too large');
  }
  const exchange = new Exchange(o, request, upstream, body);
  let answer = await exchange.send();
  if (answer.refusesToken && o.getToken) answer = await exchange.send(exchange.token);
  if (answer.failed) return answer.failed;
  return answer.handBack(operation === 'createSession' && rules, publicUrl(url, o));
}

/** The proxy's URL as the page reaches it: `publicUrl`, else the request's origin and the
 * mount path. */
const publicUrl = (url, o) => o.publicUrl ?? url.origin + o.basePath;

/** One forwarded request: the token it carries, each attempt's answer. */
class Exchange {
  constructor(o, request, upstream, body) {
    this.o = o;
    this.upstream = upstream;
    this.body = body;
    this.type = request.headers.get('content-type');
  }

  /** Sends it (asking for a fresh token when `refused` is the one the API refused). */
  async send(refused) {
    try {
      this.token = await within(Promise.resolve().then(() => this.o.token ?? this.o.getToken(refused === undefined ? {} : { refused })), HOOK_TIMEOUT_MS);
      if (typeof this.token !== 'string') throw new Error('the token source gave no string');
    } catch (e) {
      safe(this.o.onError, e);
      return { failed: refusal(503, 'token_unavailable', 'the backend has no token for the Voice API') };
    }
    const headers = { accept: 'application/json', authorization: `Bearer ${this.token}` };
    if (this.type && this.body) headers['content-type'] = this.type;
    let res, bytes;
    try {
      res = await fetch(this.upstream, { method: this.body ? 'POST' : 'GET', headers, body: this.body, redirect: 'manual', signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
      bytes = await readBody(res, ProxyRules.maxAnswerBytes(), UPSTREAM_TIMEOUT_MS);
    } catch (e) {
      safe(this.o.onError, e);
      const late = e?.name === 'TimeoutError' || e?.message === 'timed out';
      return { failed: late ? refusal(504, 'gateway_timeout', 'the Voice API did not answer in time') : refusal(502, 'bad_gateway', 'the Voice API could not be reached') };
    }
    if (!bytes) return { failed: refusal(502, 'bad_gateway', 'the Voice API answered too much') };
    return new Answer(res, new TextDecoder().decode(bytes), this.token);
  }
}

/** An answer of the Voice API, to hand back. */
class Answer {
  constructor(res, text, token) {
    this.res = res;
    this.text = text;
    this.token = token;
    try {
      this.parsed = JSON.parse(text);
    } catch {}
    this.refusesToken = ProxyRules.refusesToken(res.status, this.parsed);
  }

  /** The answer for the page: a created session's `upload_url` under the proxy (`rules`
   * given), the token redacted from the text, only the safe headers. */
  handBack(rules, publicBase) {
    let text = this.text;
    const uploadUrl = this.parsed?.upload_url;
    const rewritten = rules && this.res.ok && typeof uploadUrl === 'string' ? rules.uploadUrl(uploadUrl, publicBase) : undefined;
    if (rewritten !== undefined) text = JSON.stringify({ ...this.parsed, upload_url: rewritten });
    const headers = { 'cache-control': 'no-store' };
    for (const h of ANSWER_HEADERS) {
      const v = this.res.headers.get(h);
      if (v !== null) headers[h] = v;
    }
    return new Response(ProxyRules.redact(text, this.token), { status: this.res.status, headers });
  }
}

/** The caller's options, read once; a missing `authorize` or token source throws. */
function proxyOptions(options) {
  let o;
  try {
    const { authorize, getToken, token, baseUrl, basePath = '', publicUrl, onError } = options ?? {};
    o = { authorize, getToken, token, baseUrl, basePath, publicUrl, onError };
  } catch {
    throw failure('voiceProxy: the options could not be read', 'invalid_argument');
  }
  const bad = (m) => failure(`voiceProxy: ${m}`, 'invalid_argument');
  if (typeof o.authorize !== 'function') throw bad('`authorize(request, { operation, sessionId })` is required: the app decides who may use its token');
  if ((typeof o.getToken === 'function') === (typeof o.token === 'string')) throw bad('give the backend\'s `getToken` (e.g. clientCredentials(…)) or a `token`, one of them');
  if (typeof o.basePath !== 'string' || (o.basePath && (!o.basePath.startsWith('/') || o.basePath.endsWith('/')))) throw bad('`basePath` must be a path such as /api/eka (no trailing slash)');
  for (const k of ['baseUrl', 'publicUrl']) if (o[k] !== undefined && typeof o[k] !== 'string') throw bad(`\`${k}\` must be a string`);
  if (o.onError !== undefined && typeof o.onError !== 'function') throw bad('`onError` must be a function');
  return o;
}

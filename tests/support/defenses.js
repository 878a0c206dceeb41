// The defence cases of tests/wasm_defenses.rs, written in JS because that is where hostile
// callers live: Proxies that throw on every trap, getters that throw, iterators that throw
// or never end, signals that throw, and answers that are cut, huge, redirected or that
// echo the token. Each case gets `env`:
//   env.client(opts?)           a new VoiceClient on the simulator (token 'test-token')
//   env.pollSession(id, opts)   the package's one-shot functions
//   env.getSession(id, opts)
//   env.sim                     the simulator's URL
//   env.node                    true in Node (SharedArrayBuffer is there)
// and throws (fails) when the client misbehaves. Every call must SETTLE (`settles` gives
// up after a few seconds) and, afterwards, a fresh call must still work (`survives`).

const TOKEN = 'test-token';
const boom = () => { throw new Error('hostile trap'); };
const TRAPS = ['get', 'set', 'has', 'ownKeys', 'getPrototypeOf', 'setPrototypeOf', 'getOwnPropertyDescriptor',
  'defineProperty', 'deleteProperty', 'isExtensible', 'preventExtensions', 'apply', 'construct'];
/** A Proxy that throws on every trap. */
export const hostile = (target = {}) => new Proxy(target, Object.fromEntries(TRAPS.map((t) => [t, boom])));
/** A Proxy of `target` whose traps work `n` times, then throw. */
function throwsAfter(n, target) {
  let left = n;
  const once = (t) => (...a) => { if (left-- <= 0) throw new Error('hostile on read ' + (n + 1)); return Reflect[t](...a); };
  return new Proxy(target, Object.fromEntries(TRAPS.filter((t) => t !== 'apply' && t !== 'construct').map((t) => [t, once(t)])));
}
/** An object whose `key` getter throws. */
const getterThrows = (key, rest = {}) => Object.defineProperty({ ...rest }, key, { get: boom, enumerable: true });
/** A signal-shaped object: `aborted` reads false `n` times, then throws. */
function signalThatThrows(n, addEventListener = () => { }) {
  let left = n;
  return { get aborted() { if (left-- <= 0) throw new Error('hostile signal'); return false; }, addEventListener, removeEventListener() { } };
}

let seq = 0;
const uid = (scenario) => `${scenario}.${Date.now().toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
const wav = () => new Uint8Array([0x52, 0x49, 0x46, 0x46, 36, 0, 0, 0, 0x57, 0x41, 0x56, 0x45, 1, 2, 3, 4]);
const ogg = (b = 0) => new Uint8Array([0x4f, 0x67, 0x67, 0x53, b, 1, 2, 3]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function check(ok, what) {
  if (!ok) throw new Error(what);
}
/** Resolves with what `p` settled with: `{ ok, value }`; fails when it takes over `ms`. */
async function settles(p, ms = 8000, what = 'the call') {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms); });
  try {
    return await Promise.race([Promise.resolve(p).then((value) => ({ ok: true, value }), (value) => ({ ok: false, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}
/** Awaits a rejection with a VoiceApiError of `code`; returns it. */
async function typed(p, code, what = code) {
  const r = await settles(p, 8000, what);
  check(!r.ok, `${what}: resolved, expected a ${code} rejection`);
  const e = r.value;
  check(e instanceof Error && e.name === 'VoiceApiError', `${what}: rejected with ${String(e?.stack ?? e)}, not a VoiceApiError`);
  check(e.code === code, `${what}: code ${e.code}, expected ${code} (${e.message})`);
  return e;
}
/** The instance and `client` still work: a fresh call resolves. */
async function survives(env, client = env.client()) {
  const r = await settles(client.getSession(uid('instant')), 8000, 'a fresh call after the hostile ones');
  check(r.ok && r.value.status === 'completed', `a fresh call failed: ${r.value?.message ?? r.value}`);
  const other = await settles(env.client().getSession(uid('instant')), 8000, 'a call on a new client');
  check(other.ok, 'a call on a new client failed');
}
async function simJson(env, path) {
  return (await fetch(env.sim + path)).json();
}
async function requests(env, id) {
  return (await simJson(env, `/__sim/requests/${encodeURIComponent(id)}`)).requests;
}
/** Every exported call of `c`, with `options(base)` as its options (and valid other
 * arguments); `base` is {} for the client's methods, the simulator's for one-shot calls. */
function everyCall(env, c, options) {
  return [
    ['getSession', () => c.getSession(uid('instant'), options({}))],
    ['pollSession', () => c.pollSession(uid('instant'), options({}))],
    ['createSession', () => c.createSession(options({}))],
    ['uploadAudio', () => c.uploadAudio(uid('s'), ogg(), options({}))],
    ['endSession', () => c.endSession(uid('s'), options({}))],
    ['transcribe', () => c.transcribe([ogg()], options({}))],
    ['one-shot pollSession', () => env.pollSession(uid('instant'), options(env.base))],
    ['one-shot getSession', () => env.getSession(uid('instant'), options(env.base))],
  ];
}

export const CASES = {
  // ------------------------------------------------------------ hostile callers

  async proxies_as_options_reject_every_call(env) {
    const c = env.client();
    for (const [name, call] of everyCall(env, c, () => hostile())) await typed(call(), 'invalid_argument', name);
    let thrown;
    try { env.make(hostile()); } catch (e) { thrown = e; }
    check(thrown?.name === 'VoiceApiError' && thrown.code === 'invalid_argument', 'new VoiceClient(Proxy) throws a VoiceApiError');
    await survives(env, c);
  },

  async proxies_in_every_other_position_reject(env) {
    const c = env.client();
    const P = hostile();
    await typed(c.getSession(P), 'invalid_argument', 'getSession(Proxy)');
    await typed(c.pollSession(P), 'invalid_argument', 'pollSession(Proxy)');
    await typed(c.endSession(P), 'invalid_argument', 'endSession(Proxy)');
    await typed(c.uploadAudio(P, ogg()), 'invalid_argument', 'uploadAudio(Proxy, …)');
    await typed(c.uploadAudio(uid('s'), P), 'invalid_argument', 'uploadAudio(…, Proxy)');
    await typed(c.uploadAudio(uid('s'), hostile(new Blob([ogg()]))), 'invalid_argument', 'uploadAudio(…, Proxy of a Blob)');
    await typed(c.uploadAudio(uid('s'), hostile(ogg())), 'invalid_argument', 'uploadAudio(…, Proxy of a Uint8Array)');
    await typed(c.transcribe(P), 'invalid_argument', 'transcribe(Proxy)');
    await typed(c.transcribe(hostile([])), 'invalid_argument', 'transcribe(Proxy of an array)');
    await typed(c.transcribe([P]), 'invalid_argument', 'transcribe([Proxy])');
    await typed(c.pollSession(uid('never-ends'), { signal: hostile() }), 'invalid_argument', 'signal: Proxy');
    const r = await settles(c.pollSession(uid('complete'), { intervalMs: 100, onProgress: hostile(() => { }) }));
    check(!r.ok && r.value?.message === 'hostile trap', 'onProgress: a Proxy function that throws rejects with what it threw');
    await survives(env, c);
  },

  async getters_that_throw_reject_every_call(env) {
    const c = env.client();
    const keys = ['templateId', 'documentId', 'intervalMs', 'timeoutMs', 'requestTimeoutMs', 'signal', 'maxRetries',
      'templates', 'additionalData', 'patientDetails', 'onProgress', 'index', 'format', 'audioFilesSent', 'concurrency'];
    const fast = { additionalData: { simulate: { process_ms: 50 } }, intervalMs: 100 };
    for (const key of keys) {
      for (const [name, call] of everyCall(env, c, (base) => getterThrows(key, { ...base, ...fast }))) {
        const r = await settles(call(), 8000, `${name} with a throwing ${key}`);
        // Options a call does not read may be ignored; every other one is refused.
        if (!r.ok) check(r.value?.name === 'VoiceApiError', `${name}/${key}: ${r.value}`);
      }
    }
    await typed(c.createSession({ additionalData: getterThrows('x') }), 'invalid_argument', 'additionalData with a throwing getter');
    await typed(c.createSession({ templates: [getterThrows('length')] }), 'invalid_argument', 'templates holding a hostile object');
    await typed(c.uploadAudio(getterThrows('session_id'), ogg()), 'invalid_argument', 'session object whose session_id throws');
    await survives(env, c);
  },

  async throwing_getters_of_chunks_are_not_read(env) {
    // The platform's own getters are used: a Blob or a view that lies about itself uploads
    // what it really holds.
    const c = env.client();
    const s = await c.createSession();
    const blob = Object.defineProperty(new Blob([ogg(1)]), 'size', { get: boom });
    const view = Object.defineProperty(ogg(2), 'byteLength', { get: boom });
    Object.defineProperty(view, 'buffer', { get: boom });
    check((await c.uploadAudio(s, blob)).file_name === 'audio_0.ogg', 'a Blob whose size getter throws uploads');
    check((await c.uploadAudio(s, view)).file_name === 'audio_1.ogg', 'a view whose getters throw uploads');
    const files = (await simJson(env, `/__sim/sessions/${s.session_id}`)).files;
    check(files.map((f) => f.bytes).join() === '8,8', `what arrived: ${JSON.stringify(files)}`);
    await survives(env, c);
  },

  async signals_that_throw_end_the_call_with_a_typed_error(env) {
    const c = env.client();
    // Read fine once (the option check), then throws.
    await typed(c.pollSession(uid('never-ends'), { signal: signalThatThrows(1), intervalMs: 100 }), 'invalid_argument', 'poll');
    await typed(c.getSession(uid('instant'), { signal: signalThatThrows(1) }), 'invalid_argument', 'get');
    await typed(c.createSession({ signal: signalThatThrows(1) }), 'invalid_argument', 'create');
    await typed(c.transcribe([ogg()], { signal: signalThatThrows(1) }), 'invalid_argument', 'transcribe');
    // Throws later, in the middle of a poll.
    await typed(c.pollSession(uid('never-ends'), { signal: signalThatThrows(4), intervalMs: 100 }), 'invalid_argument', 'poll, later');
    // Its addEventListener throws.
    await typed(c.pollSession(uid('never-ends'), { signal: signalThatThrows(99, boom) }), 'invalid_argument', 'addEventListener');
    await survives(env, c);
  },

  async iterators_that_throw_or_never_end_settle(env) {
    const c = env.client();
    const mine = new Error('my recorder broke');
    const throwing = { [Symbol.iterator]: () => ({ next() { throw mine; } }) };
    let r = await settles(c.transcribe(throwing));
    check(!r.ok && r.value === mine, 'what the iterator throws rejects transcribe as it is');
    const rejecting = { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(mine) }) };
    r = await settles(c.transcribe(rejecting));
    check(!r.ok && r.value === mine, 'what an async iterator rejects with rejects transcribe as it is');
    await typed(c.transcribe({ [Symbol.iterator]: boom }), 'invalid_argument', 'opening the iterator throws');
    await typed(c.transcribe({ [Symbol.iterator]: () => ({ get next() { return boom(); } }) }), 'invalid_argument', 'next getter throws');
    r = await settles(c.transcribe({ [Symbol.iterator]: () => ({ next: () => ({ get done() { return boom(); } }) }) }));
    check(!r.ok && r.value?.message === 'hostile trap', 'what a step of the iterator throws rejects transcribe as it is');
    // Never ends: endless valid chunks, until the signal aborts; return() is called.
    let returned = 0;
    const endless = { [Symbol.iterator]: () => ({ next: () => ({ done: false, value: ogg() }), return() { returned++; return { done: true }; } }) };
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('enough')), 400);
    r = await settles(c.transcribe(endless, { signal: controller.signal, additionalData: { simulate: { hold_upload_ms: 50 } } }));
    check(!r.ok && r.value?.message === 'enough', `endless chunks end with the abort reason: ${r.value}`);
    check(returned === 1, `return() called once on abort, got ${returned}`);
    // Never yields: the deadline (from the last chunk) ends it; return() is called.
    returned = 0;
    const stalled = { [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => { }), return() { returned++; return Promise.resolve({ done: true }); } }) };
    const t0 = Date.now();
    await typed(c.transcribe(stalled, { timeoutMs: 500 }), 'timeout', 'a stalled iterator');
    check(Date.now() - t0 < 4000, `the stalled iterator was cut at the deadline (${Date.now() - t0} ms)`);
    check(returned === 1, `return() called once at the deadline, got ${returned}`);
    await survives(env, c);
  },

  async callbacks_that_throw_or_lie_settle(env) {
    const mine = new Error('my progress bar broke');
    const c = env.client();
    let r = await settles(c.pollSession(uid('complete'), { intervalMs: 100, onProgress: () => { throw mine; } }));
    check(!r.ok && r.value === mine, 'what onProgress throws rejects the poll as it is');
    const sources = [
      ['throws', () => boom()],
      ['rejects', () => Promise.reject(new Error('no token today'))],
      ['returns a Proxy', () => hostile()],
      ['returns a thenable whose then throws', () => ({ get then() { return boom(); } })],
      ['returns a promise whose constructor throws', () => Object.defineProperty(Promise.resolve('x'), 'constructor', { get: boom })],
      ['returns a Proxy function', () => hostile(() => 'x')],
    ];
    for (const [what, getToken] of sources) {
      const e = await settles(env.client({ token: undefined, getToken }).getSession(uid('instant')), 8000, what);
      check(!e.ok && e.value?.name === 'VoiceApiError', `getToken ${what}: ${e.value}`);
      check(['token_unavailable', 'unauthorized'].includes(e.value.code), `getToken ${what}: ${e.value.code}`);
    }
    await survives(env, c);
  },

  async thousands_of_throwing_calls_leave_the_instance_usable(env) {
    // The synchronous form: each call reads its options at once. A Proxy that throws on its
    // second read used to leave the export mid-call (and the wasm stack one frame deeper).
    const c = env.client();
    for (let i = 0; i < 3000; i++) {
      const p = c.createSession({ templates: throwsAfter(1, ['eka_emr_template']) });
      if (i % 500 === 0) await typed(p, 'invalid_argument', `call ${i}`);
      else p.catch(() => { });
    }
    // Two hostile calls in one tick, then unrelated calls.
    const both = [c.transcribe(hostile([])), env.client().transcribe([hostile()])];
    for (const p of both) await typed(p, 'invalid_argument', 'one of two in a tick');
    await survives(env, c);
    const s = await c.createSession({ templates: ['eka_emr_template'] });
    check(typeof s.session_id === 'string', 'createSession works after 3000 hostile calls');
  },

  async options_a_call_does_not_take_are_refused(env) {
    const c = env.client();
    for (const [what, call, option] of [
      ['createSession', () => c.createSession({ templateId: 't' }), 'templateId'],
      ['createSession', () => c.createSession({ intervalMs: 10 }), 'intervalMs'],
      ['getSession', () => c.getSession(uid('instant'), { onProgress() { } }), 'onProgress'],
      ['pollSession', () => c.pollSession(uid('instant'), { templates: [] }), 'templates'],
      ['uploadAudio', () => c.uploadAudio(uid('s'), ogg(), { audioFilesSent: 1 }), 'audioFilesSent'],
      ['endSession', () => c.endSession(uid('s'), { index: 1 }), 'index'],
      ['transcribe', () => c.transcribe([ogg()], { intervalMS: 10 }), 'intervalMS'],
      ['new VoiceClient', async () => env.client({ timeoutMs: 1 }), 'timeoutMs'],
      ['one-shot pollSession', () => env.pollSession(uid('instant'), { ...env.base, concurrency: 2 }), 'concurrency'],
    ]) {
      const e = await typed(call(), 'invalid_argument', `${what}({ ${option} })`);
      check(e.message === `\`${option}\` is not an option of this call`, `${what}: ${e.message}`);
    }
    // An option set to undefined is as absent (spread objects carry such keys).
    const ok = await settles(c.getSession(uid('instant'), { signal: undefined, intervalMs: undefined }));
    check(ok.ok, 'undefined options are ignored');
  },

  async errors_carry_their_cause(env) {
    const mine = new Error('no token today');
    const e = await typed(env.client({ token: undefined, getToken: () => { throw mine; } }).getSession(uid('instant')), 'token_unavailable', 'getToken throws');
    check(e.cause === mine, 'what getToken threw is the cause');
    const refused = await typed(env.make({ baseUrl: 'http://127.0.0.1:9', token: TOKEN }).getSession(uid('instant')), 'network', 'connection refused');
    check(refused.cause instanceof TypeError, `the network's TypeError is the cause: ${refused.cause}`);
    const answered = await typed(env.client().getSession(uid('no-such')), 'not_found', 'an answer');
    check(answered.cause === undefined, 'an answer has no JS cause');
  },

  // ------------------------------------------------------------ the nine defects

  async dot_session_ids_are_refused_before_sending(env) {
    const c = env.client();
    for (const id of ['.', '..']) {
      await typed(c.getSession(id), 'invalid_argument', `getSession('${id}')`);
      await typed(c.pollSession(id), 'invalid_argument', `pollSession('${id}')`);
      await typed(c.endSession(id, { audioFilesSent: 1 }), 'invalid_argument', `endSession('${id}')`);
      await typed(c.uploadAudio(id, ogg()), 'invalid_argument', `uploadAudio('${id}')`);
      await typed(c.uploadAudio({ session_id: id }, ogg()), 'invalid_argument', `uploadAudio({session_id: '${id}'})`);
      await typed(env.getSession(id), 'invalid_argument', `one-shot getSession('${id}')`);
    }
    // Longer runs of dots are ordinary ids: one encoded segment.
    const before = (await requests(env, '...')).length;
    await typed(c.getSession('...'), 'not_found', "getSession('...')");
    check((await requests(env, '...')).length === before + 1, "'...' was sent as one segment");
  },

  async an_abandoned_get_token_is_not_reused(env) {
    // 1. A getToken that hangs once: the call waiting on it times out; the next call asks again.
    let calls = 0;
    const c1 = env.client({ token: undefined, getToken: () => (++calls === 1 ? new Promise(() => { }) : 'fresh-token') });
    await typed(c1.getSession(uid('instant'), { timeoutMs: 300 }), 'timeout', 'waiting on a hung getToken');
    const r1 = await settles(c1.getSession(uid('instant')));
    check(r1.ok && r1.value.status === 'completed', `after a hung getToken the client works: ${r1.value?.message}`);
    check(calls === 2, `getToken asked again (${calls} calls)`);
    // 2. A refresh whose caller aborted settles later with a token that is stale by the next
    //    401: that result is not reused; the next 401 asks again.
    let n = 0;
    const c2 = env.client({
      token: 'expired-0',
      getToken: () => (++n === 1 ? sleep(300).then(() => 'expired-late') : 'good-token'),
    });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('left')), 100);
    const first = await settles(c2.getSession(uid('instant'), { signal: ac.signal }));
    check(!first.ok && first.value?.message === 'left', 'the first call ends with its abort');
    await sleep(400); // the abandoned refresh settles with 'expired-late'
    const second = await settles(c2.getSession(uid('instant')));
    check(second.ok && second.value.status === 'completed', `the next 401 asks again: ${second.value?.message}`);
    check(n === 2, `getToken called twice (${n})`);
  },

  async aborting_transcribe_stops_its_uploads(env) {
    const c = env.client();
    const ac = new AbortController();
    const opts = { signal: ac.signal, additionalData: { simulate: { hold_upload_ms: 3000 } }, requestTimeoutMs: 20000 };
    let created;
    const p = c.transcribe([ogg(1), ogg(2)], { ...opts, onProgress: (e) => { created ??= e.sessionId; } });
    setTimeout(() => ac.abort(new Error('cancelled')), 400);
    const t0 = Date.now();
    const r = await settles(p);
    check(!r.ok && r.value?.message === 'cancelled' && Date.now() - t0 < 2500, 'transcribe rejects at once with the reason (its uploads are held 3 s)');
    await sleep(300);
    const uploads = (await requests(env, created)).filter((q) => q.path.includes('/audio/'));
    check(uploads.length === 2, `two uploads were sent (${uploads.length})`);
    check(uploads.every((q) => q.closed_early), `the simulator saw both uploads abandoned: ${JSON.stringify(uploads)}`);
  },

  async a_body_cut_in_the_middle_is_retried(env) {
    const c = env.client();
    for (const scenario of ['cut-once', 'cut-202-once']) {
      const id = uid(scenario);
      const r = await settles(c.pollSession(id, { intervalMs: 100 }));
      check(r.ok && r.value.status === 'completed', `${scenario}: ${r.value?.code} ${r.value?.message}`);
      check((await requests(env, id)).length === 2, `${scenario}: retried once`);
    }
    // A whole body that is not JSON stays invalid_response, never retried.
    const id = uid('truncated-json');
    await typed(c.pollSession(id), 'invalid_response', 'a complete body that is not JSON');
    check((await requests(env, id)).length === 1, 'not retried');
  },

  async the_deadline_of_transcribe_counts_from_the_last_chunk(env) {
    const c = env.client();
    // Chunks every 250 ms for ~1 s with timeoutMs 600: longer than the timeout in all, but
    // never 600 ms without a chunk — it completes.
    async function* recorder() {
      for (let i = 0; i < 4; i++) {
        await sleep(250);
        yield ogg(i);
      }
    }
    const t0 = Date.now();
    const r = await settles(c.transcribe(recorder(), { timeoutMs: 600, intervalMs: 100, additionalData: { simulate: { process_ms: 100 } } }));
    check(r.ok && r.value.status === 'completed', `chunks every 250 ms under timeoutMs 600: ${r.value?.message}`);
    check(Date.now() - t0 > 600, 'the whole call took longer than timeoutMs');
    // A recorder that stalls: no chunk for timeoutMs ends the call at the deadline.
    async function* stalls() {
      yield ogg(9);
      await new Promise(() => { });
    }
    const t1 = Date.now();
    await typed(c.transcribe(stalls(), { timeoutMs: 500 }), 'timeout', 'a stalled recorder');
    check(Date.now() - t1 < 4000, `cut at the deadline (${Date.now() - t1} ms)`);
  },

  async shared_array_buffers_are_copied(env) {
    if (typeof SharedArrayBuffer !== 'function') {
      check(!env.node, 'Node has SharedArrayBuffer');
      return;
    }
    const c = env.client();
    const s = await c.createSession();
    const shared = new Uint8Array(new SharedArrayBuffer(8));
    shared.set(ogg(7));
    const u = await settles(c.uploadAudio(s, shared, { maxRetries: 0 }));
    check(u.ok && u.value.file_name === 'audio_0.ogg', `a view of a SharedArrayBuffer uploads: ${u.value?.message}`);
    const u2 = await settles(c.uploadAudio(s, shared.buffer, { maxRetries: 0 }));
    check(u2.ok, `a SharedArrayBuffer uploads: ${u2.value?.message}`);
  },

  async the_token_never_reaches_an_error(env) {
    const c = env.client();
    const e = await typed(c.getSession(uid('echo-auth')), 'bad_request', 'a 400 that echoes the header');
    for (const [what, text] of [['message', e.message], ['stack', String(e.stack)], ['JSON', JSON.stringify(e)], ['body', JSON.stringify(e.body)]]) {
      check(!text.includes(TOKEN), `the token is in the ${what}: ${text}`);
    }
    check(e.message.includes('Bearer [redacted]'), `the message says what was redacted: ${e.message}`);
  },

  // ------------------------------------------------------------ also found

  async interval_zero_keeps_a_floor_unless_opted_out(env) {
    const c = env.client();
    const id = uid('never-ends');
    await typed(c.pollSession(id, { intervalMs: 0, timeoutMs: 500 }), 'timeout', 'intervalMs: 0');
    const n = (await requests(env, id)).length;
    check(n >= 2 && n <= 7, `intervalMs 0 polls at most every 100 ms (${n} requests in 500 ms)`);
    const fast = uid('never-ends');
    await typed(c.pollSession(fast, { intervalMs: 10, minIntervalMs: 0, timeoutMs: 400 }), 'timeout', 'opted out');
    check((await requests(env, fast)).length > 8, 'minIntervalMs: 0 lets a caller poll faster');
  },

  async a_malformed_upload_url_is_invalid_response(env) {
    const c = env.client();
    const e = await typed(c.createSession({ additionalData: { simulate: { upload_url: 'malformed' } } }), 'invalid_response', 'create');
    check(typeof e.body?.session_id === 'string', 'the created body is on the error');
  },

  async answers_over_the_size_limit_are_refused(env) {
    const small = env.client({ maxResponseBytes: 100_000 });
    await typed(small.getSession(uid('big')), 'invalid_response', 'a 1 MB body over a 100 KB limit');
    await typed(env.client({ maxResponseBytes: 1_000_000 }).getSession(uid('gzip-bomb')), 'invalid_response', 'a gzip bomb');
    const e = await typed(env.client().getSession(uid('huge-status')), 'invalid_response', 'a 1 MB status');
    check(e.message.length < 2000, `only a bounded part of the status is copied (${e.message.length} chars)`);
    const ok = await settles(env.client().getSession(uid('big')));
    check(ok.ok && ok.value.status === 'completed', 'the default limit takes a 1 MB session');
  },

  async redirects_are_never_followed(env) {
    const c = env.client();
    await typed(c.getSession(uid('redirect-away')), 'invalid_response', 'a 307 to another origin');
    check((await requests(env, 'instant.redirected')).length === 0, 'nothing reached the other origin');
  },

  async upload_audio_copies_the_callers_bytes(env) {
    const c = env.client();
    const s = await c.createSession();
    const bytes = ogg(5);
    const p = c.uploadAudio(s, bytes);
    bytes.fill(0); // the caller reuses its buffer at once
    await p;
    const stored = new Uint8Array(await (await fetch(`${env.sim}/__sim/sessions/${s.session_id}/files/0.ogg`)).arrayBuffer());
    check(stored.join() === ogg(5).join(), `what was uploaded is what the buffer held at the call: ${stored}`);
  },
};

/** Runs one case with the raw constructors of `raw` ({ make, pollSession, getSession, sim,
 * node }); resolves, or rejects with an Error saying what went wrong. */
export async function runCase(name, raw) {
  const f = CASES[name];
  if (!f) throw new Error(`no case ${name}`);
  const base = { baseUrl: raw.sim, token: TOKEN };
  const env = { ...raw, base, client: (opts) => raw.make({ ...base, ...opts }) };
  await f(env);
}

// Loading the wasm: nothing at import; on first use (synchronously where the entry can:
// Node, inline), or by `init()`. Shared by every entry's face (index.js, server.js).
//
// How each entry gets its wasm is `./wasm-source.js`, which the build resolves per entry
// (scripts/bundle.mjs); SYNC_WASM, whether it can be instantiated synchronously, is a
// constant the build defines per entry: the browser build drops that path.
/* global SYNC_WASM, SERVER */
import initAsync, { initSync } from '../eka_voice.js';
import { VoiceApiError, describe } from '../snippet.js';
import { source } from './wasm-source.js';

let loaded = false;
let loading;

/** A VoiceApiError with no answer behind it. */
export const failure = (message, code, cause) => new VoiceApiError(message, code, undefined, undefined, undefined, undefined, cause);
const unavailable = (e) =>
  failure(
    `eka-voice could not load its wasm (${describe(e)}): serve eka_voice_bg.wasm beside it or pass it to ` +
      "init(), allow 'wasm-unsafe-eval' in a CSP, or import 'eka-voice/inline'",
    'wasm_unavailable',
    e,
  );

/** Instantiates now where the entry can (Node, inline) and no init() is under way; true
 * once the wasm is there. A failure here is not final: the async path reports it. */
export function settle() {
  if (SYNC_WASM && !loaded && !loading) {
    try {
      initSync({ module: source() });
      loaded = true;
    } catch {}
  }
  return loaded;
}

/** The longest a load may take (a stalled fetch): then `wasm_unavailable`, and the next
 * call tries again. */
const LOAD_TIMEOUT_MS = 30_000;
/** An export only this entry's module has: another module (the recorder's, a stale
 * build) is refused before it is instantiated, so it never takes the glue's place. */
const OURS = SERVER ? 'verifyWebhook' : 'voiceclient_new';

/** `input` (default: the entry's own) compiled, and checked to be this entry's module. */
async function compiled(input) {
  let m = input ?? source();
  if (!(m instanceof WebAssembly.Module)) {
    if (typeof m === 'string' || m instanceof URL || (typeof Request == 'function' && m instanceof Request)) m = fetch(m);
    m = await m;
    if (typeof Response == 'function' && m instanceof Response) {
      if (!m.ok) throw new Error(`HTTP ${m.status}`);
      const wasm = m.headers.get('content-type')?.startsWith('application/wasm');
      m = wasm && WebAssembly.compileStreaming ? await WebAssembly.compileStreaming(m) : await m.arrayBuffer();
    }
    if (!(m instanceof WebAssembly.Module)) m = await WebAssembly.compile(m);
  }
  if (!WebAssembly.Module.exports(m).some((e) => e.name === OURS)) {
    throw new Error("that wasm is not this entry's module (another module of the package, or a stale build)");
  }
  return m;
}

/** `promise`, or a rejection with `late()` once `ms` passed or `signal` aborted. */
export function bounded(promise, ms, signal, late) {
  let timer;
  let onAbort;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      onAbort = () => reject(signal.reason);
      signal?.addEventListener?.('abort', onAbort, { once: true });
      if (ms < 2 ** 31) timer = setTimeout(() => reject(late()), ms);
    }),
  ]).finally(() => {
    clearTimeout(timer);
    signal?.removeEventListener?.('abort', onAbort);
  });
}

/**
 * Loads the wasm now; resolves when it is ready. `input`: a URL (string, URL or Request), a
 * Response (or a promise of one), the bytes, or a compiled WebAssembly.Module; default: the
 * entry's own. Concurrent calls share one load; once loaded, later inputs are ignored. A
 * module that is not this entry's is refused. A failure, or a load past `timeoutMs` (default
 * 30 s), rejects with `wasm_unavailable` and the next call tries again; `signal` stops
 * waiting (the load goes on for the next caller).
 */
export function init(input, { timeoutMs = LOAD_TIMEOUT_MS, signal } = {}) {
  if (input === undefined ? settle() : loaded) return Promise.resolve();
  const load = (loading ??= bounded(compiled(input), LOAD_TIMEOUT_MS, undefined, () => new Error(`no wasm within ${LOAD_TIMEOUT_MS} ms`))
    .then((module) => initAsync({ module_or_path: module }))
    .then(
      () => void (loaded = true),
      (e) => {
        loading = undefined;
        throw unavailable(e);
      },
    ));
  return bounded(load, timeoutMs, signal, () => unavailable(new Error(`no wasm within ${timeoutMs} ms`)));
}

/** Resolves once the wasm is there (loading it if needed). */
export const ready = () => (settle() ? Promise.resolve() : init());

/**
 * Resolves once the wasm is there, for a call with these `options`: waiting obeys the
 * call's `signal` (an aborted one rejects at once, with its reason) and `timeoutMs`
 * (`timeout`), as the call itself would.
 */
export function readyFor(options) {
  if (settle()) return Promise.resolve();
  let signal, ms;
  try {
    signal = options?.signal;
    ms = options?.timeoutMs;
  } catch {}
  if (!(typeof signal?.aborted === 'boolean')) signal = undefined;
  const late = () => failure(`the call's timeoutMs (${ms} ms) passed while the wasm was loading`, 'timeout');
  return bounded(ready(), typeof ms === 'number' ? ms : Infinity, signal, late);
}

/** `f` called at once when the wasm is there (or can be loaded now), else once it is.
 * (index.js spells the same out for pollSession/getSession: this helper there costs the
 * main entry 20 bytes of its 8 to spare.) */
export const whenReady = (f) => (...a) => (settle() ? f(...a) : ready().then(() => f(...a)));

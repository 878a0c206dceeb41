// The package's JS face over the wasm-bindgen glue. Importing it loads nothing: the wasm is
// instantiated on first use, or by `init()` (a preload, or the wasm from somewhere else).
//
// How each entry gets its wasm is `./wasm-source.js`, which the build resolves per entry
// (scripts/bundle.mjs): a URL beside the module (browsers, fetched: async), the file beside
// the module (Node: read and compiled synchronously on first use), or the bytes embedded
// (`eka-voice/inline`: synchronous where the platform allows, else async).
//
// Until the wasm is there, a VoiceClient keeps its options (in a WeakMap: never on the
// object, where a console would show the token) and its calls wait for the load; a load that
// fails rejects them with VoiceApiError `wasm_unavailable`, and the next call tries again.
import initAsync, { initSync, VoiceClient as Client, pollSession as poll, getSession as get } from '../eka_voice.js';
import { VoiceApiError, describe, takeChunk } from '../snippet.js';
import { source } from './wasm-source.js';

// SYNC_WASM: whether the entry's wasm can be instantiated synchronously (Node, inline), a
// constant the build defines per entry (scripts/bundle.mjs): the browser build drops that path.
/* global SYNC_WASM */

export { VoiceApiError };
export { documents, findDocument } from './documents.js';

let loaded = false;
let loading;

const failure = (message, code, cause) => new VoiceApiError(message, code, undefined, undefined, undefined, undefined, cause);
const unavailable = (e) =>
  failure(
    `eka-voice could not load its wasm (${describe(e)}): serve eka_voice_bg.wasm beside it or pass it to ` +
      "init(), allow 'wasm-unsafe-eval' in a CSP, or import 'eka-voice/inline'",
    'wasm_unavailable',
    e,
  );

// Instantiates now where the entry can (Node, inline) and no init() is under way; true
// once the wasm is there. A failure here is not final: the async path reports it.
function settle() {
  if (SYNC_WASM && !loaded && !loading) {
    try {
      initSync({ module: source() });
      loaded = true;
    } catch {}
  }
  return loaded;
}

/**
 * Loads the wasm now; resolves when it is ready. `input`: a URL (string, URL or Request), a
 * Response (or a promise of one), the bytes, or a compiled WebAssembly.Module; default: the
 * entry's own. Concurrent calls share one load; once loaded, later inputs are ignored. A
 * failure rejects with `wasm_unavailable` and the next call tries again.
 */
export function init(input) {
  if (input === undefined ? settle() : loaded) return Promise.resolve();
  return (loading ??= (async () => initAsync({ module_or_path: input ?? source() }))().then(
    () => void (loaded = true),
    (e) => {
      loading = undefined;
      throw unavailable(e);
    },
  ));
}

const ready = () => (settle() ? Promise.resolve() : init());
// Without fetch (Jest's jsdom has none) no call can succeed: it rejects at once, where the
// client would retry a network failure.
const noFetch = () =>
  typeof fetch != 'function' &&
  Promise.reject(failure('no fetch() here (Jest jsdom: use jest-fixed-jsdom or a polyfill)', 'network'));

/** See index.d.ts. */
export const pollSession = (...a) => noFetch() || (settle() ? poll(...a) : ready().then(() => poll(...a)));
/** See index.d.ts. */
export const getSession = (...a) => noFetch() || (settle() ? get(...a) : ready().then(() => get(...a)));

// VoiceClient -> its wasm client, or [options] until the wasm is loaded.
const clients = new WeakMap();
const gone = () => failure('this VoiceClient was freed (or a method was called without it)', 'invalid_argument');

/** See index.d.ts. */
export class VoiceClient {
  constructor(options) {
    clients.set(this, settle() ? new Client(options) : [options]);
  }
  free() {
    const c = clients.get(this);
    clients.delete(this);
    if (c instanceof Client) c.free();
  }
}
Object.defineProperty(VoiceClient, 'name', { value: 'VoiceClient' });
if (Symbol.dispose) VoiceClient.prototype[Symbol.dispose] = VoiceClient.prototype.free;

for (const m of ['createSession', 'uploadAudio', 'endSession', 'getSession', 'pollSession', 'transcribe']) {
  VoiceClient.prototype[m] = function (...a) {
    const c = clients.get(this);
    const none = noFetch();
    if (none) return none;
    if (c instanceof Client) return c[m](...a);
    if (!c) return Promise.reject(gone());
    // The bytes are the caller's at the call, as when the wasm is loaded (a Blob is immutable).
    if (m === 'uploadAudio') a[1] = copied(a[1]);
    return ready().then(() => {
      let now = clients.get(this);
      if (!now) throw gone();
      if (!(now instanceof Client)) clients.set(this, (now = new Client(now[0])));
      return now[m](...a);
    });
  };
}

function copied(chunk) {
  const t = takeChunk(chunk);
  return t?.body instanceof Uint8Array ? t.body : chunk;
}

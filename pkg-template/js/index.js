// The package's JS face over the wasm-bindgen glue. Importing it loads nothing: the wasm is
// instantiated on first use, or by `init()` (load.js: a URL beside the module in browsers,
// the file beside it in Node, the bytes embedded in `eka-voice/inline`).
//
// Until the wasm is there, a VoiceClient keeps its options (in a WeakMap: never on the
// object, where a console would show the token) and its calls wait for the load; a load that
// fails rejects them with VoiceApiError `wasm_unavailable`, and the next call tries again.
import { VoiceClient as Client, pollSession as poll, getSession as get } from '../eka_voice.js';
import { VoiceApiError, takeChunk } from '../snippet.js';
import { failure, init, readyFor, settle } from './load.js';
import { OPERATIONS } from './ops.js';

export { VoiceApiError, init };
export { documents, findDocument } from './documents.js';

// Without fetch (Jest's jsdom has none) no call can succeed: it rejects at once, where the
// client would retry a network failure.
const noFetch = () =>
  typeof fetch != 'function' &&
  Promise.reject(failure('no fetch() here (Jest jsdom: use jest-fixed-jsdom or a polyfill)', 'network'));

/** See index.d.ts. */
export const pollSession = (...a) => noFetch() || (settle() ? poll(...a) : readyFor(a[1]).then(() => poll(...a)));
/** See index.d.ts. */
export const getSession = (...a) => noFetch() || (settle() ? get(...a) : readyFor(a[1]).then(() => get(...a)));

// VoiceClient -> its wasm client, or [options] until the wasm is loaded, or after free():
// the next call makes a new wasm client from the same options. (A framework that cleans up
// and runs again — React's StrictMode runs every effect's cleanup, then the effect again,
// with the same memoized client — must not be left with a dead client.)
const clients = new WeakMap();
const gone = () => failure('a VoiceClient method was called without its VoiceClient', 'invalid_argument');

/** See index.d.ts. */
export class VoiceClient {
  constructor(options) {
    clients.set(this, settle() ? Object.assign(new Client(options), { options }) : [options]);
  }
  free() {
    const c = clients.get(this);
    if (c instanceof Client) {
      clients.set(this, [c.options]);
      c.free();
    }
  }
}
Object.defineProperty(VoiceClient, 'name', { value: 'VoiceClient' });
if (Symbol.dispose) VoiceClient.prototype[Symbol.dispose] = VoiceClient.prototype.free;

// Each method, and where its options are among its arguments (their signal and timeoutMs
// bound the wait for the wasm too): the lifecycle's own methods, then one method per row of
// the operation table that the client's one driver performs (ops.js, generated from the
// Rust table: `call(row, path parameters, JSON body, options)`).
const METHODS = { createSession: 0, uploadAudio: 2, endSession: 1, getSession: 1, pollSession: 1, transcribe: 1 };
const CALLS = {};
for (const [m, row, params, body] of OPERATIONS) {
  METHODS[m] = params + body;
  CALLS[m] = (c, a) => c.call(row, a.slice(0, params), body ? a[params] : undefined, a[params + body]);
}
for (const [m, at] of Object.entries(METHODS)) {
  const run = CALLS[m] ?? ((c, a) => c[m](...a));
  VoiceClient.prototype[m] = function (...a) {
    const c = clients.get(this);
    const none = noFetch();
    if (none) return none;
    if (c instanceof Client) return run(c, a);
    if (!c) return Promise.reject(gone());
    // The bytes are the caller's at the call, as when the wasm is loaded (a Blob is immutable).
    if (m === 'uploadAudio') a[1] = copied(a[1]);
    return readyFor(a[at]).then(() => {
      let now = clients.get(this);
      if (!now) throw gone();
      if (!(now instanceof Client)) clients.set(this, (now = Object.assign(new Client(now[0]), { options: now[0] })));
      return run(now, a);
    });
  };
}

// SERVER: a constant the build defines per entry (scripts/bundle.mjs): only the server
// module's client has the request budget that pollMany sets (its wasm loads at once).
/* global SERVER */
if (SERVER) {
  VoiceClient.prototype.setRequestBudget = function (perSecond) {
    const c = clients.get(this);
    if (!(c instanceof Client)) throw gone();
    c.setRequestBudget(perSecond);
  };
}

function copied(chunk) {
  const t = takeChunk(chunk);
  return t?.body instanceof Uint8Array ? t.body : chunk;
}

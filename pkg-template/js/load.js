// Loading the wasm: nothing at import; on first use (synchronously where the entry can:
// Node, inline), or by `init()`. Shared by every entry's face (index.js, server.js).
//
// How each entry gets its wasm is `./wasm-source.js`, which the build resolves per entry
// (scripts/bundle.mjs); SYNC_WASM, whether it can be instantiated synchronously, is a
// constant the build defines per entry: the browser build drops that path.
/* global SYNC_WASM */
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

/** Resolves once the wasm is there (loading it if needed). */
export const ready = () => (settle() ? Promise.resolve() : init());

/** `f` called at once when the wasm is there (or can be loaded now), else once it is.
 * (index.js spells the same out for pollSession/getSession: this helper there costs the
 * main entry 20 bytes of its 8 to spare.) */
export const whenReady = (f) => (...a) => (settle() ? f(...a) : ready().then(() => f(...a)));

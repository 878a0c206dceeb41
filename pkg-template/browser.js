// Browser and worker entry: fetches the wasm relative to this module's URL (bundlers
// follow `new URL(..., import.meta.url)`), so importing the package is enough.
import init, { __voiceApiError } from './eka_voice.js';

await init({ module_or_path: new URL('./eka_voice_bg.wasm', import.meta.url) });

export { VoiceClient, pollSession, getSession } from './eka_voice.js';
/** The error class of every rejection of this package (see index.d.ts). */
export const VoiceApiError = __voiceApiError();

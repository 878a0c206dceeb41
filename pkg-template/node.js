// Node (and Deno) entry: reads the wasm bytes shipped beside this file and
// instantiates them synchronously, so importing the package is enough.
import { readFileSync } from 'node:fs';
import { initSync, __voiceApiError } from './eka_voice.js';

initSync({ module: readFileSync(new URL('./eka_voice_bg.wasm', import.meta.url)) });

export { VoiceClient, pollSession, getSession } from './eka_voice.js';
/** The error class of every rejection of this package (see index.d.ts). */
export const VoiceApiError = __voiceApiError();

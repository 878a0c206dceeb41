// `eka-voice/server`: everything of `eka-voice`, plus what a backend needs: verifyWebhook.
// Its module is built with the `server` feature and embedded (no file to serve or read:
// Node, Deno, Bun and edge workers alike).
import { verifyWebhook as verify } from '../eka_voice.js';
import { ready, settle } from './load.js';

export { init, VoiceClient, pollSession, getSession, VoiceApiError, documents, findDocument } from './index.js';

/** See server.d.ts. */
export const verifyWebhook = (options) => (settle() ? verify(options) : ready().then(() => verify(options)));

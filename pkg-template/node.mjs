// Node ESM entry: the CommonJS build itself, so that `import` and `require` in one process
// share one wasm instance and one VoiceApiError class.
import cjs from './node.cjs';

export const { init, VoiceClient, pollSession, getSession, VoiceApiError, documents, findDocument } = cjs;

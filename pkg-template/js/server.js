// `eka-voice/server`: everything of `eka-voice`, plus what a backend needs: verifyWebhook,
// handleWebhook and clientCredentials. Its module is built with the `server` feature and embedded (no file to
// serve or read: Node, Deno, Bun and edge workers alike).
import { verifyWebhook as verify, webhookAnswer, SeenSessions, ClientCredentials } from '../eka_voice.js';
import { VoiceApiError } from '../snippet.js';
import { failure, ready, settle } from './load.js';

export { init, VoiceClient, pollSession, getSession, VoiceApiError, documents, findDocument } from './index.js';

/** See server.d.ts. */
export const verifyWebhook = (options) => (settle() ? verify(options) : ready().then(() => verify(options)));

// The sessions handled by this process when no `dedupe` is given (the core's bounded table).
const SEEN_CAPACITY = 10_000;
let seen;

/** See server.d.ts. */
export async function handleWebhook(request, options) {
  const o = handlerOptions(options);
  await ready();
  let event, code;
  try {
    const body = new Uint8Array(await request.arrayBuffer());
    const signature = request.headers.get('eka-webhook-signature') ?? '';
    event = await verify({ body, signature, signingKey: o.signingKey, toleranceSec: o.toleranceSec });
  } catch (e) {
    code = e instanceof VoiceApiError ? e.code : 'network';
    if (code === 'invalid_response') o.onError?.(e);
  }
  if (event) {
    try {
      if (await o.dedupe(event.sessionId)) {
        const work = o.client.getSession(event.sessionId).then((s) => o.onSession(s, event));
        const done = work.catch((e) => o.onError?.(e, event));
        o.waitUntil?.(done);
      }
    } catch (e) {
      code = 'network'; // the dedupe store failed: let the provider retry
      o.onError?.(e, event);
    }
  }
  return new Response(null, { status: webhookAnswer(code) });
}

// The caller's options, read once; a missing one rejects (a programming error, not a delivery).
function handlerOptions(options) {
  let o;
  try {
    const { signingKey, client, onSession, onError, dedupe, waitUntil, toleranceSec } = options ?? {};
    o = { signingKey, client, onSession, onError, dedupe, waitUntil, toleranceSec };
  } catch {
    throw failure('handleWebhook: the options could not be read', 'invalid_argument');
  }
  if (typeof o.client?.getSession !== 'function') throw failure('handleWebhook: `client` must be a VoiceClient', 'invalid_argument');
  if (typeof o.onSession !== 'function') throw failure('handleWebhook: `onSession(session, event)` is required', 'invalid_argument');
  for (const k of ['onError', 'dedupe', 'waitUntil']) {
    if (o[k] !== undefined && typeof o[k] !== 'function') throw failure(`handleWebhook: \`${k}\` must be a function`, 'invalid_argument');
  }
  if (!o.dedupe) o.dedupe = (id) => (seen ??= new SeenSessions(SEEN_CAPACITY)).first(id);
  return o;
}

/** See server.d.ts. */
export function clientCredentials(options) {
  if (!settle()) throw failure('eka-voice/server could not instantiate its wasm', 'wasm_unavailable');
  const credentials = new ClientCredentials(options);
  return () => credentials.getToken();
}

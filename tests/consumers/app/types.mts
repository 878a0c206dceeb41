import { VoiceClient, init, type VoiceApiErrorCode } from 'eka-voice';
import * as inline from 'eka-voice/inline';

const client: VoiceClient = new VoiceClient({ token: 'x' });
const code: VoiceApiErrorCode = 'wasm_unavailable';
const ready: Promise<void> = init();
void client, code, ready, inline.init;

// exactOptionalPropertyTypes: an option that may be undefined is accepted as it is.
declare const maybe: string | undefined;
new VoiceClient({ token: maybe, baseUrl: maybe });
void client.pollSession('id', { templateId: maybe, intervalMs: undefined });
// Statuses the API may add later pass through, typed as strings.
const s = await client.getSession('id');
if (s.status !== 'completed' && s.status !== 'failed' && s.status !== 'partial_complete' && s.status !== 'expired') {
  const later: string = s.status;
  void later;
}

// The server entry: the package's API plus verifyWebhook.
import { verifyWebhook, VoiceClient as ServerClient, type WebhookEvent } from 'eka-voice/server';
const hook: Promise<WebhookEvent> = verifyWebhook({ body: '{}', signature: 't=1,v1=00', signingKey: 'k', now: new Date() });
void hook, ServerClient;
import { handleWebhook } from 'eka-voice/server';
export const receive = (req: Request): Promise<Response> =>
  handleWebhook(req, { signingKey: 'k', client: new ServerClient({ token: 't' }), onSession: (s, e) => void [s.status, e.sessionId], dedupe: async () => true });
import { clientCredentials } from 'eka-voice/server';
export const backend = new ServerClient({ getToken: clientCredentials({ clientId: 'id', clientSecret: 'secret' }) });
export async function many(ids: string[]): Promise<number> {
  let n = 0;
  for await (const r of backend.pollMany(ids, { concurrency: 10, maxRequestsPerSecond: 5, intervalMs: 500 })) {
    if (r.error === undefined) n += r.session.http_status;
  }
  return n;
}

// A Node-only TypeScript project (lib es2023 + @types/node, no DOM; strict and
// exactOptionalPropertyTypes), using the package as the README shows: it must type-check
// with skipLibCheck off.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { VoiceClient, init, documents } from 'eka-voice';
import { clientCredentials, handleWebhook, VoiceClient as ServerClient } from 'eka-voice/server';

export async function node(wav: Uint8Array): Promise<number> {
  await init(readFileSync('eka_voice_bg.wasm'));
  const client = new VoiceClient({ baseUrl: 'http://127.0.0.1:8787', token: 'dev-token' });
  // The session object as createSession resolves it goes straight into uploadAudio.
  const session = await client.createSession({ templates: ['clinical_notes_template'] });
  await client.uploadAudio(session, wav);
  await client.endSession(session.session_id);
  const result = await client.pollSession(session.session_id);
  return documents(result).length;
}

// The README's node:http webhook receiver.
const options = {
  signingKey: process.env['EKA_WEBHOOK_KEY'] ?? 'unset',
  client: new ServerClient({
    getToken: clientCredentials({ clientId: process.env['EKA_CLIENT_ID'] ?? '', clientSecret: process.env['EKA_CLIENT_SECRET'] ?? '' }),
  }),
  onSession: (session: unknown, event: { sessionId: string }) => console.log(event.sessionId, session),
  onError: (error: unknown) => console.error('webhook', error),
  onRejected: ({ reason, status }: { reason: string; status: number }) => console.warn(`webhook refused (${status}): ${reason}`),
};
http.createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const request = new Request(`http://localhost${req.url}`, {
    method: 'POST',
    headers: { 'eka-webhook-signature': String(req.headers['eka-webhook-signature'] ?? '') },
    body: Buffer.concat(chunks),
  });
  res.writeHead((await handleWebhook(request, options)).status).end();
});

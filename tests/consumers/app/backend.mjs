// The server entry in a Fetch-API runtime (Node, Deno, Bun): client credentials against the
// simulator, a poll, a signed webhook through handleWebhook, and a typed 404.
import { createHmac } from 'node:crypto';
import { VoiceClient, VoiceApiError, clientCredentials, handleWebhook, documents } from 'eka-voice/server';

const sim = process.env.EKA_SIM_URL;
const getToken = clientCredentials({ clientId: 'backend', clientSecret: 'backend-secret', baseUrl: sim });
const client = new VoiceClient({ baseUrl: sim, getToken });
const id = `complete.backend-${Math.random().toString(36).slice(2)}`;
const done = await client.pollSession(id, { intervalMs: 100 });
const e = await client.getSession(`missing.${id}`).catch((x) => x);
const body = JSON.stringify({ event: 'v2rx.completed', data: { session_id: id, status: 'completed' }, timestamp: 'now' });
const t = Math.floor(Date.now() / 1000);
const signature = `t=${t},v1=${createHmac('sha256', 'hook-key').update(`${t}.${body}`).digest('hex')}`;
let handled;
const response = await handleWebhook(new Request('http://localhost/hook', { method: 'POST', headers: { 'eka-webhook-signature': signature }, body }), {
  signingKey: 'hook-key',
  client,
  onSession: (s) => (handled = s.status),
});
for (let i = 0; i < 50 && !handled; i++) await new Promise((r) => setTimeout(r, 20));
console.log(JSON.stringify({
  completed: done.status === 'completed' && documents(done).length === 2,
  notFound: e instanceof VoiceApiError && e.code === 'not_found',
  webhook: response.status === 204 && handled === 'completed',
}));

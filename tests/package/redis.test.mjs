// The README's recipe for several backend instances: handleWebhook's `dedupe` as Redis
// `SET key NX EX`, against a real redis-server (Debian's, started here on 127.0.0.1, killed
// at the end). Two receivers — two instances with their own VoiceClient and Redis
// connection — are BOTH subscribed: every delivery (the provider's retries and duplicates
// included) reaches both, concurrently; each session is fetched exactly once in all.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { createClient } from 'redis';
import { handleWebhook, VoiceClient } from 'eka-voice/server';
import { createSimulator } from 'eka-voice/simulator';
import { fetchListener } from './webdriver.mjs';

const port = 20000 + Math.floor(Math.random() * 20000);
const redisServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
after(() => redisServer.kill());

/** A connected Redis client, once the server answers (it starts in well under a second). */
async function connect() {
  for (let i = 0; ; i++) {
    const redis = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } });
    redis.on('error', () => {});
    try {
      await redis.connect();
      return redis;
    } catch (e) {
      if (i === 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** One backend instance: the README's options, its own client and Redis connection. */
async function instance(base, handled) {
  const redis = await connect();
  const key = (sessionId) => `eka:webhook:${sessionId}`;
  const options = {
    signingKey: 'whsec_two_instances',
    client: new VoiceClient({ baseUrl: base, token: 'server-token' }),
    // The first instance to set the key handles the session; the key expires after a day.
    dedupe: async (sessionId) => (await redis.set(key(sessionId), '1', { condition: 'NX', expiration: { type: 'EX', value: 86_400 } })) === 'OK',
    onSession: (session, event) => handled.push([event.sessionId, session.status]),
    // A Get Session that failed: forget the key, so that a later delivery is handled.
    onError: (error, event) => event && redis.del(key(event.sessionId)),
  };
  const server = http.createServer(fetchListener((request) => handleWebhook(request, options)));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { endpoint: `http://127.0.0.1:${server.address().port}/webhooks/eka`, close: async () => (server.close(), await redis.quit()) };
}

test('handleWebhook + Redis SET NX: two instances receive every delivery, one Get Session per session', async () => {
  const sim = createSimulator();
  const base = await sim.listen(0);
  const handled = [];
  const instances = [await instance(base, handled), await instance(base, handled)];
  try {
    for (const { endpoint } of instances) {
      const sub = await fetch(`${base}/notification/v1/connect/webhook/subscriptions`, {
        method: 'POST',
        headers: { authorization: 'Bearer server-token', 'content-type': 'application/json' },
        body: JSON.stringify({ event_names: ['v2rx.completed'], endpoint, signing_key: 'whsec_two_instances' }),
      });
      assert.equal(sub.status, 201);
    }
    const client = new VoiceClient({ baseUrl: base, token: 'server-token' });
    const ids = [];
    for (let i = 0; i < 6; i++) {
      const created = await client.createSession({ additionalData: { simulate: { process_ms: 50 } } });
      await client.uploadAudio(created, new Uint8Array([82, 73, 70, 70, 0, 0, 0, 0, 87, 65, 86, 69]));
      await client.endSession(created.session_id);
      ids.push(created.session_id);
    }
    for (let i = 0; i < 100 && handled.length < ids.length; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500)); // late duplicates land too
    assert.deepEqual(handled.map(([id]) => id).sort(), [...ids].sort(), 'each session handled once, by one instance');
    assert.ok(handled.every(([, status]) => status === 'completed'));
    const { deliveries } = await (await fetch(`${base}/__sim/webhooks`)).json();
    for (const id of ids) {
      const to = new Set(deliveries.filter((d) => d.session_id === id && d.status === 204).map((d) => d.subscription));
      assert.equal(to.size, 2, `${id} was delivered to both instances`);
      const { requests } = await (await fetch(`${base}/__sim/requests/${id}`)).json();
      assert.equal(requests.filter((r) => r.method === 'GET').length, 1, `one Get Session for ${id}`);
    }
  } finally {
    for (const i of instances) await i.close();
    await sim.close();
  }
});

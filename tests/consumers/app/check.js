// What every consumer app checks, whatever built it: a session polled to `completed` (its
// two documents read with documents()) and a typed 404, against the simulator. (The runner
// derives check.cjs from this file.)
export async function check({ VoiceClient, VoiceApiError, documents }, sim) {
  const uid = (s) => `${s}.${Math.random().toString(36).slice(2)}`;
  try {
    const client = new VoiceClient({ baseUrl: sim, token: 'consumer-token' });
    const done = await client.pollSession(uid('complete'), { intervalMs: 100 });
    const e = await client.getSession(uid('missing')).catch((x) => x);
    return {
      completed: done.status === 'completed' && done.http_status === 200 && documents(done).length === 2,
      notFound: e instanceof VoiceApiError && e.code === 'not_found' && e.status === 404,
    };
  } catch (e) {
    return { error: e instanceof VoiceApiError ? e.code : String(e?.stack ?? e) };
  }
}

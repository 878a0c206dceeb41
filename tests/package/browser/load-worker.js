// Loaded by page.test.js as a module worker; the page posts { sim, module } right after
// `new Worker()`. The handler is set when this module evaluates: the package has no
// top-level await, so the message cannot arrive before it.
import { init, VoiceClient, VoiceApiError } from '/node_modules/eka-voice/browser.js';

self.onmessage = async ({ data: { sim, module } }) => {
  const results = [];
  const t = async (name, fn) => {
    try {
      await fn();
      results.push({ name, ok: true });
    } catch (e) {
      results.push({ name, ok: false, error: String(e?.stack ?? e) });
    }
  };
  const check = (cond, what) => {
    if (!cond) throw new Error(what);
  };
  await t('a wasm that cannot load rejects with wasm_unavailable, the next load works', async () => {
    const client = new VoiceClient({ baseUrl: sim, token: 'worker-token' });
    const e = await init('/no-such-file.wasm').catch((x) => x);
    check(e instanceof VoiceApiError && e.code === 'wasm_unavailable', `init: ${e}`);
    check(e.cause !== undefined, 'the load failure is the cause');
    check(!/token/.test(JSON.stringify(e)), 'no option in the error');
    await init(module);
    const r = await client.pollSession(`complete.${Math.random().toString(36).slice(2)}`, { intervalMs: 100 });
    check(r.status === 'completed', r.status);
  });
  self.postMessage(results);
};

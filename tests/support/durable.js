// The durable transcription through the JS API (tests/wasm_durable.rs): `client.transcribe`
// with a `durable` store (here in memory, as an app's own store would be), against the
// simulator. Each case gets `env` ({ client(opts?), sim }) and throws when the client
// misbehaves.

const ogg = (b = 0) => new Uint8Array([0x4f, 0x67, 0x67, 0x53, b, 1, 2, 3]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function check(ok, what) {
  if (!ok) throw new Error(what);
}
async function code(promise) {
  const e = await promise.then(() => undefined, (e) => e);
  return e === undefined ? 'resolved' : typeof e?.code === 'string' ? e.code : e?.name;
}

/** A store in memory: what it holds and what it was asked, for the checks. */
function memoryStore({ full = new Set() } = {}) {
  const s = {
    chunks: new Map(),
    state: undefined,
    calls: { putChunk: 0, dropChunk: 0, save: 0, forget: 0 },
    async putChunk(i, bytes, state) {
      s.calls.putChunk++;
      if (full.has(i)) throw new DOMException('the quota is exceeded', 'QuotaExceededError');
      s.chunks.set(i, new Uint8Array(bytes));
      s.state = state;
    },
    getChunk: async (i) => s.chunks.get(i),
    async dropChunk(i) {
      s.calls.dropChunk++;
      s.chunks.delete(i);
    },
    async save(state) {
      s.calls.save++;
      s.state = state;
    },
    async forget() {
      s.calls.forget++;
      s.chunks.clear();
      s.state = undefined;
    },
  };
  return s;
}

const simulate = (sim) => ({ templates: ['clinical_notes_template'], additionalData: { simulate: { process_ms: 100, ...sim } } });

async function files(env, id) {
  const s = await (await fetch(`${env.sim}/__sim/sessions/${id}`)).json();
  return s.files.map((f) => f.name).join();
}

const CASES = {
  async failures_are_retried_and_nothing_is_kept(env) {
    const store = memoryStore();
    const retried = [];
    const progress = [];
    const result = await env.client().transcribe([ogg(0), ogg(1), ogg(2)], {
      ...simulate({ fail_chunks: { 1: 2 } }),
      maxRetries: 0,
      durable: store,
      onRetry: (e) => retried.push(e.index),
      onProgress: (e) => progress.push(e),
    });
    check(result.status === 'completed', `status ${result.status}`);
    check(/^evs_[0-9a-f]{24}$/.test(result.session_id), `a client-chosen session id: ${result.session_id}`);
    check((await files(env, result.session_id)) === '0.ogg,1.ogg,2.ogg', 'every chunk');
    check(retried.join() === '1,1', `onRetry for chunk 1, twice: ${retried}`);
    check(progress.some((e) => e.offline === true && e.chunksWaiting >= 1), 'offline reported with what waits');
    check(store.calls.putChunk === 3 && store.calls.dropChunk === 3 && store.calls.forget === 1, JSON.stringify(store.calls));
    check(store.chunks.size === 0 && store.state === undefined, 'nothing kept once done');
  },

  async a_stored_transcription_is_resumed(env) {
    const store = memoryStore();
    const ac = new AbortController();
    // Three chunks, then a recorder that never ends; answers held so that none is known done.
    async function* live() {
      for (let i = 0; i < 3; i++) yield ogg(i);
      await new Promise(() => {});
    }
    const client = env.client();
    const first = client.transcribe(live(), { ...simulate({ hold_upload_ms: 2000 }), durable: store, signal: ac.signal });
    await sleep(500);
    ac.abort();
    check((await code(first)) === 'AbortError', 'the first page went away');
    check(store.chunks.size === 3 && typeof store.state === 'string', `stored: ${store.chunks.size} chunks`);
    const state = store.state;
    // Resumed on the SAME client (and it would be the same on a new one, a reopened page):
    // the stored chunks, End with all three.
    const result = await client.transcribe([], { ...simulate({}), durable: store, resume: state });
    check(result.status === 'completed', `status ${result.status}`);
    const s = await (await fetch(`${env.sim}/__sim/sessions/${result.session_id}`)).json();
    check(s.files.length === 3 && s.end_body.audio_files_sent === 3, `${s.files.length} files, End ${JSON.stringify(s.end_body)}`);
    check(store.chunks.size === 0 && store.calls.forget === 1, 'forgotten once done');
    // A corrupt state, a store without its hooks: typed, nothing sent.
    check((await code(env.client().transcribe([], { durable: memoryStore(), resume: '[-1,4294967295]' }))) === 'invalid_argument', 'corrupt state');
    check((await code(env.client().transcribe([], { durable: { save() {} } }))) === 'invalid_argument', 'hooks missing');
  },

  async a_full_store_is_not_a_loss(env) {
    const store = memoryStore({ full: new Set([1]) });
    const result = await env.client().transcribe([ogg(0), ogg(1), ogg(2)], { ...simulate({}), durable: store });
    check(result.status === 'completed', `status ${result.status}`);
    check((await files(env, result.session_id)) === '0.ogg,1.ogg,2.ogg', 'uploaded from memory');
    check(JSON.stringify(result.unstored_chunks) === '[1]', `unstored ${result.unstored_chunks}`);
  },
};

/** Runs one case; `raw`: { make(opts) → VoiceClient, sim }. */
export async function runCase(name, raw) {
  const f = CASES[name];
  if (!f) throw new Error(`no case ${name}`);
  await f({ sim: raw.sim, client: (opts) => raw.make({ baseUrl: raw.sim, token: 'test-token', ...opts }) });
}

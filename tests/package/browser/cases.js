// Cases run against the installed package in a browser page and in a module worker.
export async function runCases({ VoiceClient, pollSession, getSession, VoiceApiError }, sim) {
  const results = [];
  const uid = (s) => `${s}.${Math.random().toString(36).slice(2)}`;
  const check = (cond, what) => {
    if (!cond) throw new Error(what);
  };
  async function t(name, fn) {
    try {
      await fn();
      results.push({ name, ok: true });
    } catch (e) {
      results.push({ name, ok: false, error: String((e && e.stack) || e) });
    }
  }
  const client = new VoiceClient({ baseUrl: sim, getToken: async () => 'browser-token' });
  await t('pollSession resolves with progress', async () => {
    const seen = [];
    const r = await client.pollSession(uid('complete'), { intervalMs: 100, onProgress: (s) => seen.push(s.status) });
    check(r.status === 'completed' && r.http_status === 200, `status ${r.status}`);
    check(typeof r.templates[1].clinical_notes_template.data === 'string', 'markdown data');
    check(seen.join() === 'initialized,processing', `progress ${seen}`);
  });
  await t('one-shot functions', async () => {
    const r = await pollSession(uid('expired'), { baseUrl: sim, token: 't' });
    check(r.status === 'expired' && r.http_status === 410, r.status);
    const g = await getSession(uid('complete'), { baseUrl: sim, token: 't' });
    check(g.status === 'initialized', g.status);
  });
  await t('VoiceApiError', async () => {
    const e = await client.pollSession(uid('missing')).catch((e) => e);
    check(e instanceof VoiceApiError && e instanceof Error, 'instanceof');
    check(e.name === 'VoiceApiError' && e.code === 'not_found' && e.status === 404, e.message);
    check(e.apiCode === 'session_not_found', e.apiCode);
  });
  await t('Retry-After is readable cross-origin', async () => {
    const t0 = Date.now();
    const r = await client.pollSession(uid('rate-limited'));
    check(r.status === 'completed', r.status);
    check(Date.now() - t0 >= 990, `took ${Date.now() - t0} ms: Retry-After not honoured`);
  });
  await t('abort', async () => {
    const c = new AbortController();
    setTimeout(() => c.abort(), 200);
    const e = await client.pollSession(uid('never-ends'), { signal: c.signal }).catch((e) => e);
    check(e.name === 'AbortError', e.name);
  });
  return results;
}

/** The lifecycle from a browser: Blobs (with a MIME type the service would reject) to transcribe. */
export async function runLifecycleCases({ VoiceClient, VoiceApiError }, sim, wav) {
  const results = [];
  const client = new VoiceClient({ baseUrl: sim, token: 'browser-token' });
  try {
    const half = Math.floor(wav.byteLength / 2);
    const chunks = [new Blob([wav], { type: 'audio/x-wav' }), new Blob([wav.slice(0, half)], { type: 'audio/wav' })];
    const phases = [];
    const r = await client.transcribe(chunks, {
      templates: ['clinical_notes_template'],
      presignedUpload: true,
      additionalData: { simulate: { process_ms: 200 } },
      onProgress: (e) => phases.push(e.phase),
    });
    if (r.status !== 'completed' || r.templates.length !== 1) throw new Error(`status ${r.status}`);
    if (phases[0] !== 'creating' || !phases.includes('ending')) throw new Error(`phases ${phases}`);
    const s = await (await fetch(`${sim}/__sim/sessions/${r.session_id}`)).json();
    if (s.files.map((f) => f.bytes).join() !== `${wav.byteLength},${half}`) throw new Error(JSON.stringify(s.files));
    results.push({ name: 'transcribe Blobs (presigned form)', ok: true });
  } catch (e) {
    results.push({ name: 'transcribe Blobs (presigned form)', ok: false, error: String((e && e.stack) || e) });
  }
  try {
    const s = await client.createSession();
    await client.uploadAudio(s, new Blob([wav]));
    await client.endSession(s.session_id);
    const e = await client.uploadAudio(s, new Blob([wav])).catch((e) => e);
    if (!(e instanceof VoiceApiError) || e.status !== 400 || e.apiCode !== 'session_ended') throw new Error(`${e && e.message}`);
    results.push({ name: 'upload after End: session_ended', ok: true });
  } catch (e) {
    results.push({ name: 'upload after End: session_ended', ok: false, error: String((e && e.stack) || e) });
  }
  return results;
}

// Loading, run FIRST (before anything loaded the wasm): nothing is fetched at import, a
// client made before the load keeps its options until its first call, concurrent first
// uses share one load, and once loaded the constructor checks its options at once.
export async function runLoadCases({ VoiceClient, VoiceApiError, init }, sim) {
  const results = [];
  const check = (cond, what) => {
    if (!cond) throw new Error(what);
  };
  const wasmFetches = () => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).length;
  try {
    check(wasmFetches() === 0, 'the wasm was fetched at import');
    const early = new VoiceClient({ baseUrl: sim, token: 'browser-token' });
    const bad = new VoiceClient({ baseUrl: 'ftp://example.invalid' });
    const [r, e] = await Promise.all([
      early.getSession(`complete.${Math.random().toString(36).slice(2)}`),
      bad.getSession('abcdefgh').catch((x) => x),
      init(),
      init(),
    ]);
    check(r.status === 'initialized', `early client: ${r.status}`);
    check(e instanceof VoiceApiError && e.code === 'invalid_argument', `bad options after the load: ${e}`);
    check(wasmFetches() === 1, `${wasmFetches()} fetches of the wasm`);
    let thrown;
    try {
      new VoiceClient({ baseUrl: 'ftp://example.invalid' });
    } catch (x) {
      thrown = x;
    }
    check(thrown instanceof VoiceApiError && thrown.code === 'invalid_argument', 'the loaded constructor checks at once');
    results.push({ name: 'lazy load: one fetch, early clients wait, options checked', ok: true });
  } catch (x) {
    results.push({ name: 'lazy load: one fetch, early clients wait, options checked', ok: false, error: String(x?.stack ?? x) });
  }
  return results;
}

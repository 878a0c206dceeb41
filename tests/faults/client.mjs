// One call of the fault suite, in its own Node process (so that the suite can tell when the
// process ends by itself: a timer or a socket left behind keeps it alive). Argument: JSON
//   { pkg, base, call: 'get' | 'poll' | 'upload' | 'transcribe', id?, opts?, abortAfterMs? }
// Prints `RESULT {ok, status?, code?, message?, ms}` when the call settled, then returns.
// If anything (a timer, a socket) still holds the process 300 ms later, it prints
// `LEFT [...]` with what it is, and the suite fails; else the process simply ends.
const spec = JSON.parse(process.argv[2]);
const { VoiceClient } = await import(spec.pkg);
const client = new VoiceClient({ baseUrl: spec.base, token: 'fault-suite-token' });
const opts = { ...spec.opts };
if (spec.abortAfterMs) {
  const ac = new AbortController();
  setTimeout(() => ac.abort(new Error('aborted by the test')), spec.abortAfterMs).unref();
  opts.signal = ac.signal;
}
const ogg = (b) => new Uint8Array([0x4f, 0x67, 0x67, 0x53, b, 1, 2, 3]);
const calls = {
  get: () => client.getSession(spec.id, opts),
  poll: () => client.pollSession(spec.id, opts),
  upload: async () => client.uploadAudio(await client.createSession(), ogg(1), opts),
  transcribe: () => client.transcribe([ogg(1), ogg(2)], { ...opts, additionalData: { simulate: { process_ms: 100 } }, intervalMs: 100 }),
};
const t0 = Date.now();
let out;
try {
  const v = await calls[spec.call]();
  out = { ok: true, status: v.status ?? null, http_status: v.http_status };
} catch (e) {
  out = { ok: false, code: e?.code ?? null, message: String(e?.message ?? e) };
}
out.ms = Date.now() - t0;
console.log('RESULT ' + JSON.stringify(out));
setTimeout(() => console.log('LEFT ' + JSON.stringify(process.getActiveResourcesInfo())), 300).unref();

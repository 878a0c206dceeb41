// The shipped size of pkg/, judged PER ENTRY, as a page (or a Node script) loads it: an
// entry file plus what it imports — the wasm-bindgen glue, the snippet, the wasm.
//   node scripts/size.mjs [--quiet] [--json FILE] [--check]
// --check fails (exit 1) when an entry's gzip -9 size exceeds its budget (ENTRIES).
//
// Budget history of the main browser entry: 45 KB (performance issue), 46 KB (the
// developers' guide), 48 KB since the "unbreakable" issue: catching every read of a caller's
// object, chunks taken through the platform's own getters, bounded and streamed bodies,
// redaction of the token, abandoned-refresh handling, the moving transcribe deadline and
// the bounded session table cost ~4 KB gzip, of which ~2 KB were won back (no panicking
// paths in the new code); correctness is not traded for bytes. 49 KB since options are
// declared once per call (each call reads exactly the options its TypeScript type names
// and refuses any other: +0.3 KB, after making the shared parts non-generic). 51 KB since
// the lifecycle is a sans-IO machine in the core (proto::Transcriber, with the upload plan
// and the rules that lived in the wasm layer): +1.7 KB. 52 KB since the Rust API's
// transcribe (chunks as a Stream) shares the driver with the JS call (a chunk source and a
// progress sink instead of the JS iterator and onProgress built in): +0.5 KB. A debt to pay
// back: the machine's and the driver's bytes have not been studied yet. 53 KB since the
// timers are gloo-timers' (the design card's), which link std again: +1.2 KB, the rise the
// architecture issue allowed for it. The ecosystem issue kept 53 KB: its lazy loader,
// onRetry and documents() (+0.7 KB) were paid by wasm-opt's --flatten --rereloop and GUFA
// passes, remapped source paths in panic locations and the glue's dead branches (-0.7 KB).
// The node entry (CommonJS bundle + its ESM face) has 54 KB; eka-voice/inline, the wasm
// embedded as base64 in one file, 68 KB. 55 KB (node 55.5, inline 70, server 88) since the
// conformance issue with the provider's own server (+1.4 KB): presigned objects named
// `<n>.<ext>`, FastAPI's `detail` envelopes and a 403 invalid_token refreshed like a 401
// (+0.45 KB); chunk numbers reserved when the upload is asked for, and a failed number
// sendable again (+0.55 KB); `trustedUploadOrigins` for a client behind a gateway
// (+0.4 KB). 64 KB (node 64.5, inline 81, server 98.5) since the one lifecycle machine
// (issue 20): a durable transcription — the recorder's — runs on the same Transcriber and
// the same driver as client.transcribe, in this module: the stored state and its checked
// reader, the outage policy (retries of every step while recording, the online event), the
// store's actions, resume (+8.7 KB). The recorder entry lost its own journal (-1.9 KB), so
// a page that records loads +6.8 KB in all. A debt: the whole-API issue owes 50 KB.
// Hardening round 2 (issue 21): the loader refuses a module that is not the entry's before
// instantiating it and bounds every wait by the call's signal and deadline (+0.6 KB);
// inline 82 KB. The server entry 100 KB: the webhook receiver's bounded pass and hooks,
// refused tokens, capped auth answers, pollMany's bounded pulling (+1.3 KB). 64.5 KB (node
// 65, inline 82.5): token sources' own error code, a `token_unavailable` retried like a
// network failure (the core's classification of what getToken threw, the Poller's step),
// `invalid_audio`, and a plain transcribe that checks its first chunk before Create
// (+0.6 KB). The server entry 107 KB: voiceProxy, the page's safe token pattern — the
// core's routing, upload_url and redaction rules in the module (+3.9 KB as embedded base64)
// and its performer, voice-proxy.js (+1.9 KB). 65.5 KB (node 66, inline 83.5, server 108): the
// operation table of the whole-API issue (22) — 19 rows of data that every URL and the
// proxy's routing are built from, held against the provider's OpenAPI document (+0.9 KB:
// its strings and row records; the 14 operations it adds read the same rows). 68.5 KB (node
// 69, inline 87, server 111.5): the 14 operations beyond the lifecycle, one JS method per
// row (ops.js, generated: +0.2 KB) and ONE driver in the module (`call`: the operation's
// options, path parameters and JSON body read and checked, the table's retry policy, the
// wait for the document Process Template and Upload Transcript name: +2.6 KB). That issue
// owes 50 KB: the next step is structural (see its notes), not a trim. 68 KB (node 68.5,
// inline 86.5, server 111): the transcribe driver performs each action as its own boxed
// future and `execute` is one boxed state machine its callers point to (-0.5 KB). 70 KB
// (node 70.5, inline 88.5, server 113): Discovery kept by its Cache-Control — its header
// read only for that row, the answer copied (structuredClone), its models and languages
// read, the core's max-age rule (+1.3 KB) — and every create checked against it, the
// core's model/language rule and its messages (+0.6 KB). Inline 89, server 113.5: the rules
// item 3 moved out of snippet.js into the core — error bodies redacted by proto::redact
// (+0.1 KB) and upload_url judged by Target::from_read, read by key through Reflect
// (+0.3 KB): JS was denser, the rule is now one. 71 KB (node 71.5, inline 90, server 115):
// the single-flight token refresh as the core's TokenState (generations, waiters, the
// IO layer's promise held in it: +0.5 KB), and one more header per call for the auth API's
// refresh (Client-Id), which the client-credentials login and refresh now need as rows of
// the table performed by the client's driver with its retries (+0.1 KB; server +0.8 KB).
// A first visit's empty history (getSessions: the 404 the document calls "No sessions
// found" resolves with the row's empty answer, `OpRow::none`, parsed by JSON.parse): +0.3 KB
// (browser 70.8, inline 89.7, server 114.5); the two async loops keeping only their awaits
// (the reports and ends as plain functions) won back 0.2 KB (browser 70.6).
// What each part of the browser entry costs today is measured, not estimated, by
// `npm run size:ledger` (scripts/size-ledger.sh: the module rebuilt without each part's
// exports): transcribe 15.0 KB, the 14 table operations 3.3 KB, create/upload/end 2.2 KB,
// all four 31.1 KB (pollSession, getSession and the client alone: 39.5 KB). The whole-API
// issue's 50 KB would take 20.6 of those 31.1 KB: not a trim (README, Performance).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, relative } from 'node:path';

/** Each entry: the files it loads and its budget. */
export const ENTRIES = {
  browser: { files: ['browser.js', 'eka_voice_bg.wasm'], budget: 71 * 1024 },
  node: { files: ['node.mjs', 'node.cjs', 'eka_voice_bg.wasm'], budget: 71.5 * 1024 },
  inline: { files: ['inline.js'], budget: 90 * 1024 },
  // The backend's (not a page's): the package's module plus verifyWebhook (RustCrypto's
  // HMAC-SHA256, +8 KB), handleWebhook's core parts and the client-credentials driver
  // (+5 KB), pollMany and the client's request budget (+1.7 KB), embedded.
  server: { files: ['server.js'], budget: 115 * 1024 },
  // eka-voice/recorder (vs the ~4.5 MB the provider's recorder fetches): the page's
  // recorder.js, the AudioWorklet's file and the module. Capture and DSP took 57.7 KB —
  // earshot's network is ~37 KB of it (quantized weights, mel filters); the module is built
  // without std (a panic traps: -2.7 KB) — within the goal of 60 KB. The
  // reload-safe journal (the core's Journal in the module, +2.3 KB; its IndexedDB driver in
  // recorder.js, +1.5 KB; each file keeps only the glue class it uses, -0.4 KB) takes it to
  // 61.2 KB; the file splitter (splitRecording: the core's WAV reader and WavSplitter in
  // the module, +2.9 KB; its JS, +0.9 KB) to 65.0 KB, 65.2 KB since (the page's lazier
  // loader, the all-channel downmix of WAV files): 66 KB, correctness over bytes (a
  // page that only records would save 3.8 KB with the splitter in an entry and a module of
  // its own: not done). recorder.js also imports browser.js for
  // VoiceApiError (one class for both entries), which a page that transcribes loads
  // anyway; the main wasm it does not. Issue 20 moved the reload-safe lifecycle to the
  // client's one machine (client.transcribe with a durable store): the journal left the
  // module and recorder.js (63.3 KB).
  recorder: { files: ['recorder.js', 'recorder-worklet.js', 'recorder_bg.wasm'], budget: 66 * 1024 },
};
/** The main browser entry's budget (the figure the README and the bench report). */
export const BUDGET_BYTES = ENTRIES.browser.budget;

/** [{file, raw, gzip}] of the shipped code in `dir`, the totals, and each entry's size. */
export function measure(dir = 'pkg') {
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(wasm|js|mjs|cjs)$/.test(name)) {
        const bytes = readFileSync(p);
        files.push({ file: relative(dir, p), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
      }
    }
  };
  walk(dir);
  files.sort((a, b) => b.gzip - a.gzip);
  const sum = (k, f = () => true) => files.filter(f).reduce((s, x) => s + x[k], 0);
  const entries = Object.fromEntries(
    Object.entries(ENTRIES).map(([name, e]) => {
      const mine = (x) => e.files.includes(x.file);
      return [name, { files: e.files, budget: e.budget, raw: sum('raw', mine), gzip: sum('gzip', mine) }];
    }),
  );
  return {
    files,
    entries,
    total: { raw: sum('raw'), gzip: sum('gzip') },
    wasm: { raw: sum('raw', (x) => x.file.endsWith('.wasm')), gzip: sum('gzip', (x) => x.file.endsWith('.wasm')) },
  };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const m = measure();
  if (!args.includes('--quiet')) {
    for (const f of m.files) console.log(`  ${f.file.padEnd(48)} ${String(f.raw).padStart(7)} raw ${String(f.gzip).padStart(6)} gzip`);
  }
  for (const [name, e] of Object.entries(m.entries)) {
    console.log(`${name} entry (${e.files.join(' + ')}): ${kb(e.raw)} raw, ${kb(e.gzip)} gzip -9; budget ${kb(e.budget)}`);
  }
  console.log(`pkg/ in all: ${kb(m.total.raw)} raw, ${kb(m.total.gzip)} gzip -9 (wasm alone ${kb(m.wasm.gzip)})`);
  const j = args.indexOf('--json');
  if (j >= 0) writeFileSync(args[j + 1], JSON.stringify(m, null, 2));
  const over = Object.entries(m.entries).filter(([, e]) => e.gzip > e.budget);
  if (args.includes('--check') && over.length) {
    for (const [name, e] of over) console.error(`size check FAILED: the ${name} entry is ${e.gzip} bytes gzip > its budget ${e.budget}`);
    process.exit(1);
  }
}

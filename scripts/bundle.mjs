// Bundles the package's entries with esbuild, each one self-contained (the wasm-bindgen
// glue, its snippet and pkg-template/js/index.js in one minified file):
//
//   node scripts/bundle.mjs <build dir with the glue and the optimized wasm> <pkg dir> [--server]
//
//   browser.js   ESM, fetches eka_voice_bg.wasm beside it      (js/wasm-url.js)
//   node.cjs     CommonJS, reads the wasm file beside it        (js/wasm-file.js)
//   inline.js    ESM, the wasm embedded as base64               (js/wasm-inline.js)
//   inline.cjs   the same as CommonJS
//   simulator/index.cjs   the simulator (sim/) for CommonJS
// (node.mjs, the ESM face of node.cjs, is copied from pkg-template/ and minified.)
// With --recorder, from the recorder module's build dir (feature `recorder`), only:
//   recorder.js  ESM, createRecorder (pkg-template/js/recorder.js), beside recorder_bg.wasm
//   recorder-worklet.js  the AudioWorklet processor with the module's glue
// With --server, from the server module's build dir (feature `server`), only:
//   server.js    ESM, js/server.js (the package's API and the backend's), the wasm embedded
//   server.cjs   the same as CommonJS
import { build } from 'esbuild';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [dir, pkg] = process.argv.slice(2, 4).map((p) => resolve(p));
const server = process.argv.includes('--server');
const recorder = process.argv.includes('--recorder');
cpSync('pkg-template/js', join(dir, 'js'), { recursive: true });

// The glue's own default wasm URL (`import.meta.url`) is never used (index.js always passes
// one) and would warn in the CommonJS builds: it goes.
const gluePath = join(dir, 'eka_voice.js');
const glue = readFileSync(gluePath, 'utf8');
// Nor are its warnings about the old positional arguments (index.js passes objects).
// (Each patch must apply, or the build fails: a new glue is checked, not silently kept.)
const PATCHES = [
  ["module_or_path = new URL('eka_voice_bg.wasm', import.meta.url);", "throw new Error('no wasm source');"],
  ["console.warn('using deprecated parameters for `initSync()`; pass a single object instead')", ''],
  ["console.warn('using deprecated parameters for the initialization function; pass a single object instead')", ''],
  // The glue's class is internal (index.js's VoiceClient is the one users hold, with its own).
  ['if (Symbol.dispose) VoiceClient.prototype[Symbol.dispose] = VoiceClient.prototype.free;', ''],
  // The same advice, shorter (the fallback itself stays: some servers send another type).
  [
    'console.warn("`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\\n", e);',
    'console.warn("eka-voice: serve the wasm as application/wasm to compile it while it downloads:", e);',
  ],
];
// The recorder's glue (feature `recorder`) has no VoiceClient and its MIME fallback is
// never taken (recorder.js passes bytes).
const RECORDER_PATCHES = [
  ...PATCHES.slice(0, 3),
  // Its classes are internal (no Symbol.dispose), and each file keeps only the classes it
  // uses (the worklet RecorderDsp; the page the others): their registries are pure.
  ['if (Symbol.dispose) RecorderDsp.prototype[Symbol.dispose] = RecorderDsp.prototype.free;', ''],
  ['if (Symbol.dispose) WavSplitter.prototype[Symbol.dispose] = WavSplitter.prototype.free;', ''],
  [': new FinalizationRegistry(ptr => wasm.__wbg_wavsplitter_free(', ': /* @__PURE__ */ new FinalizationRegistry(ptr => wasm.__wbg_wavsplitter_free('],
  [': new FinalizationRegistry(ptr => wasm.__wbg_recorderdsp_free(', ': /* @__PURE__ */ new FinalizationRegistry(ptr => wasm.__wbg_recorderdsp_free('],
];
let patched = glue;
for (const [from, to] of recorder ? RECORDER_PATCHES : PATCHES) {
  if (!patched.includes(from)) throw new Error(`the glue no longer has ${from}: check scripts/bundle.mjs`);
  patched = patched.replace(from, to);
}
writeFileSync(gluePath, patched);

// One stable name for the snippet wasm-bindgen placed under snippets/<crate>-<hash>/.
// (The recorder's module has no snippet.)
if (!recorder) {
  const snippet = readdirSync(join(dir, 'snippets'), { recursive: true }).find((f) => String(f).endsWith('snippet.js'));
  writeFileSync(join(dir, 'snippet.js'), `export * from './snippets/${snippet}';\n`);
}

if (recorder) {
  // The recorder's entry (browser): recorder.js on the page, recorder-worklet.js in the
  // AudioWorklet, recorder_bg.wasm beside them. recorder.js takes VoiceApiError from the
  // package's browser entry (one class for both: instanceof holds).
  const main = {
    name: 'main-entry',
    setup(b) {
      b.onResolve({ filter: /^eka-voice-main$/ }, () => ({ path: './browser.js', external: true }));
    },
  };
  // The worklet's scope has no TextDecoder, which the glue makes at import (it only
  // decodes the module's rare error strings): a Latin-1 stand-in.
  const TEXT = 'globalThis.TextDecoder??=class{decode(b){return b?String.fromCharCode(...b):""}};';
  const base = { bundle: true, minify: true, legalComments: 'none', target: 'es2022', logLevel: 'warning', format: 'esm', platform: 'browser' };
  await build({ ...base, entryPoints: [join(dir, 'js', 'recorder.js')], outfile: join(pkg, 'recorder.js'), plugins: [main] });
  await build({ ...base, entryPoints: [join(dir, 'js', 'recorder-worklet.js')], outfile: join(pkg, 'recorder-worklet.js'), banner: { js: TEXT } });
  // Nor a TextEncoder: a string passed INTO the module makes the glue build one at import,
  // and the worklet would fail to register (no export of the recorder's module takes one).
  if (/\bnew TextEncoder\b/.test(readFileSync(join(pkg, 'recorder-worklet.js'), 'utf8'))) {
    throw new Error("recorder-worklet.js makes a TextEncoder at import: an export of the recorder's module takes a string (pass bytes)");
  }
  cpSync(join(dir, 'eka_voice_bg.wasm'), join(pkg, 'recorder_bg.wasm'));
  process.exit(0);
}

const source = (file) => ({
  name: 'wasm-source',
  setup(b) {
    b.onResolve({ filter: /^\.\/wasm-source\.js$/ }, () => ({ path: join(dir, 'js', file) }));
  },
});
const common = {
  entryPoints: [join(dir, 'js', server ? 'server.js' : 'index.js')],
  bundle: true,
  minify: true,
  legalComments: 'none',
  target: 'es2022',
  logLevel: 'warning',
  // wasm-bindgen names the snippet once per function the wasm imports from it, as
  // duplicate keys of the import object with the same value: harmless.
  logOverride: { 'duplicate-object-key': 'silent' },
  loader: { '.wasm': 'base64' },
};
// node.cjs takes TextDecoder/TextEncoder from node:util, not from the global scope: a test
// environment such as Jest's jsdom has none, and the glue makes them at import.
const NODE_TEXT = 'const{TextDecoder,TextEncoder}=require("node:util");';
// `sync`: whether the entry's wasm can be instantiated synchronously (SYNC_WASM in load.js).
const entries = server
  ? [
      { out: 'server.js', format: 'esm', platform: 'neutral', file: 'wasm-inline.js', sync: true },
      { out: 'server.cjs', format: 'cjs', platform: 'node', file: 'wasm-inline.js', sync: true },
    ]
  : [
  { out: 'browser.js', format: 'esm', platform: 'browser', file: 'wasm-url.js', sync: false },
  { out: 'node.cjs', format: 'cjs', platform: 'node', file: 'wasm-file.js', sync: true, banner: { js: NODE_TEXT } },
  { out: 'inline.js', format: 'esm', platform: 'neutral', file: 'wasm-inline.js', sync: true },
  { out: 'inline.cjs', format: 'cjs', platform: 'node', file: 'wasm-inline.js', sync: true },
];
await Promise.all(
  entries.map((e) =>
    build({
      ...common,
      format: e.format,
      platform: e.platform,
      banner: e.banner,
      define: { SYNC_WASM: String(e.sync), SERVER: String(server) },
      outfile: join(pkg, e.out),
      plugins: [source(e.file)],
    }),
  ),
);
if (!server) {
  // The simulator for CommonJS tests (`require('eka-voice/simulator')`): its main() check
  // (`import.meta.url`) never matches there.
  await build({
    entryPoints: ['sim/server.mjs'],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    define: { 'import.meta.url': '"about:cjs"' },
    outfile: join(pkg, 'simulator', 'index.cjs'),
  });
  await build({
    entryPoints: ['pkg-template/node.mjs'],
    minify: true,
    format: 'esm',
    logLevel: 'warning',
    outfile: join(pkg, 'node.mjs'),
  });
}

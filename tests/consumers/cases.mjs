// The consumer matrix's cases (run by run.mjs). Each `run(ctx)` builds or runs app/ with one
// tool and returns either the result to compare with `want`, or `{ page, root | url }`: a
// page that run.mjs opens in headless Chromium, whose `window.__result` must equal `want`.
// Zero configuration everywhere: the only settings below are where the output goes.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OK = { completed: true, notFound: true };
const WITH_WORKER = { ...OK, worker: OK };
const UNAVAILABLE = { error: 'wasm_unavailable' };

/** An index.html loading `script` (a module unless `classic`). */
function html(dir, script, classic = false) {
  writeFileSync(join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><script ${classic ? '' : 'type="module" '}src="./${script}"></script>`);
}
const node = (file) => ({ appDir, sh }, name) => JSON.parse(sh(process.execPath, [file], { cwd: appDir(name) }));
const runtime = (tool, args, file) => ({ appDir, bin, sh }, name) => JSON.parse(sh(bin(tool), [...args, file], { cwd: appDir(name) }));
const BACKEND = { completed: true, notFound: true, webhook: true };
const RECORDER = { split: true, recorded: true };

/** `entry` built by webpack 5 in production mode, zero configuration. */
async function webpackPage({ appDir }, name, entry) {
  const { default: webpack } = await import('webpack');
  const dir = appDir(name);
  const out = join(dir, 'out');
  const stats = await new Promise((resolve, reject) =>
    webpack({ mode: 'production', context: dir, entry, output: { path: out } }, (e, s) => (e ? reject(e) : resolve(s))),
  );
  if (stats.hasErrors()) throw new Error(stats.toString('errors-only'));
  html(out, 'main.js', true);
  return { page: 'index.html', root: out };
}

/** recorder-page.js built by Vite 8 (its worklet and wasm as assets). */
async function viteRecorder({ appDir }, name) {
  const { build } = await import('vite');
  const dir = appDir(name);
  html(dir, 'recorder-page.js');
  await build({ root: dir, cacheDir: join(dir, '.vite'), configFile: false, logLevel: 'error', build: { outDir: join(dir, 'out') } });
  return { page: 'index.html', root: join(dir, 'out') };
}

async function esbuildPage({ appDir }, name, entry) {
  const { build } = await import('esbuild');
  const dir = appDir(name);
  await build({ entryPoints: [join(dir, entry)], bundle: true, format: 'esm', outdir: join(dir, 'out'), logLevel: 'error' });
  html(join(dir, 'out'), entry);
  return { page: 'index.html', root: join(dir, 'out') };
}

async function viteBuild({ appDir }, name, pkg) {
  const { build } = await import(pkg);
  const dir = appDir(name);
  await build({ root: dir, cacheDir: join(dir, '.vite'), configFile: false, logLevel: 'error', build: { outDir: join(dir, 'out') } });
  return { page: 'index.html', root: join(dir, 'out') };
}

// The dev servers of Vite 5 and 6 pre-bundle dependencies into .vite/deps without the
// wasm file beside them: `optimizeDeps.exclude` serves the package as it is (the README
// says so). Vite 8's pre-bundling carries the file along.
const EXCLUDE = { exclude: ['eka-voice'] };
async function viteDev({ appDir }, name, pkg, optimizeDeps = {}) {
  const { createServer } = await import(pkg);
  const root = appDir(name);
  const server = await createServer({
    root,
    cacheDir: join(root, '.vite'),
    configFile: false,
    logLevel: 'error',
    optimizeDeps,
    server: { host: '127.0.0.1', port: 0 },
  });
  await server.listen();
  const { port } = server.httpServer.address();
  return { page: 'index.html', url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** The README's React hook, as the installed package's README has it (the simulator as
 * its baseUrl), under <StrictMode> in the Vite 8 dev server (React's development build). */
async function reactStrict(ctx, name) {
  const dir = ctx.appDir(name);
  const readme = readFileSync(join(ctx.installed, 'README.md'), 'utf8');
  const from = readme.indexOf('```jsx', readme.indexOf('A React hook'));
  const hook = readme.slice(readme.indexOf('\n', from) + 1, readme.indexOf('```', from + 6));
  const withSim = hook.replace('new VoiceClient({ getToken })', 'new VoiceClient({ getToken, baseUrl: globalThis.SIM })');
  if (withSim === hook) throw new Error("the README's React hook no longer makes `new VoiceClient({ getToken })`");
  writeFileSync(join(dir, 'use-session.js'), withSim);
  html(dir, 'react-page.js');
  return viteDev({ appDir: () => dir }, name, 'vite'); // this dir, not a fresh copy
}

/** The app's service worker and its page, served with the installed package as files (a
 * service worker cannot use an import map: it imports the package by path). */
function serviceWorker({ appDir, installed }, name, headers) {
  const dir = appDir(name);
  cpSync(installed, join(dir, 'eka-voice'), { recursive: true });
  writeFileSync(join(dir, 'sw.js'), readFileSync(join(dir, 'sw.js'), 'utf8').replace("'eka-voice'", "'./eka-voice/browser.js'"));
  html(dir, 'sw-page.js');
  return { page: 'index.html', root: dir, headers };
}

/** The Vite 8 build of the app, served with a Content-Security-Policy. */
async function withCsp(ctx, name, policy) {
  const built = await viteBuild(ctx, name, 'vite');
  return { ...built, headers: { 'content-security-policy': policy } };
}

function named(list) {
  return list.map(([name, want, run]) => ({ name, want, run: (ctx) => run(ctx, name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()) }));
}

export const CASES = named([
  ['Node ESM: import', OK, node('node.mjs')],
  ['Node CJS: require', OK, node('node.cjs')],
  ['Node ESM: eka-voice/inline', OK, node('node-inline.mjs')],
  // The server entry where the Fetch API lives: client credentials, a poll, a signed
  // webhook through handleWebhook, a typed 404.
  ['Node: eka-voice/server (credentials, poll, webhook)', BACKEND, node('backend.mjs')],
  ['Deno 2: eka-voice/server (credentials, poll, webhook)', BACKEND, runtime('deno', ['run', '-A'], 'backend.mjs')],
  ['Bun 1: eka-voice/server (credentials, poll, webhook)', BACKEND, runtime('bun', [], 'backend.mjs')],
  ['Deno 2: eka-voice', OK, runtime('deno', ['run', '-A'], 'node.mjs')],
  ['Bun 1: eka-voice', OK, runtime('bun', [], 'node.mjs')],
  [
    'TypeScript 5.9 (nodenext, strict, exactOptionalPropertyTypes): a .cts and a .mts consumer',
    'ok',
    ({ appDir, bin, sh }, name) => (sh(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: appDir(name) }), 'ok'),
  ],
  ['publint --strict', 'ok', ({ bin, sh, installed }) => (sh(bin('publint'), ['run', installed, '--strict']), 'ok')],
  // The wasm files and the recorder's worklet are assets (for `init(url)`, `wasmUrl` and
  // self-hosting), not modules. eka-voice/recorder is a browser entry, ESM only (it finds
  // its files with import.meta.url): checked apart, a `require` of it is the one thing
  // allowed to need import().
  [
    'attw --pack (node10, node16 CJS and ESM, bundler)',
    'ok',
    ({ bin, sh, installed }) => {
      const assets = ['./eka_voice_bg.wasm', './recorder_bg.wasm', './recorder-worklet.js'];
      sh(bin('attw'), ['--pack', installed, '--exclude-entrypoints', ...assets, './recorder']);
      sh(bin('attw'), ['--pack', installed, '--entrypoints', './recorder', '--ignore-rules', 'cjs-resolves-to-esm']);
      return 'ok';
    },
  ],
  ['esbuild, browser: eka-voice/inline', OK, (ctx, name) => esbuildPage(ctx, name, 'page-inline.js')],
  [
    'esbuild, browser: eka-voice (no wasm emitted) rejects typed, the page lives',
    UNAVAILABLE,
    (ctx, name) => esbuildPage(ctx, name, 'page.js'),
  ],
  [
    'esbuild, Node bundle: eka-voice/inline',
    OK,
    async ({ appDir, sh }, name) => {
      const { build } = await import('esbuild');
      const dir = appDir(name);
      await build({ entryPoints: [join(dir, 'node-inline.mjs')], bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'out', 'app.mjs'), logLevel: 'error' });
      return JSON.parse(sh(process.execPath, [join(dir, 'out', 'app.mjs')]));
    },
  ],
  [
    'Rollup + node-resolve: eka-voice/inline',
    OK,
    async ({ appDir }, name) => {
      const { rollup } = await import('rollup');
      const { nodeResolve } = await import('@rollup/plugin-node-resolve');
      const dir = appDir(name);
      const bundle = await rollup({ input: join(dir, 'page-inline.js'), plugins: [nodeResolve({ browser: true })], logLevel: 'silent' });
      await bundle.write({ dir: join(dir, 'out'), format: 'es' });
      html(join(dir, 'out'), 'page-inline.js');
      return { page: 'index.html', root: join(dir, 'out') };
    },
  ],
  ['webpack 5: page + module worker', WITH_WORKER, (ctx, name) => webpackPage(ctx, name, './page-worker.js')],
  // The recorder: its AudioWorklet and wasm found beside recorder.js once bundled.
  ["Vite 8 dev server: React 19 under <StrictMode>, the README's useSession hook", { completed: true }, reactStrict],
  ['Vite 8 build: eka-voice/recorder (record with a fake microphone, split a file)', RECORDER, viteRecorder],
  [
    "eka-voice/recorder under a strict CSP: default-src 'self'; script-src 'self' 'wasm-unsafe-eval' (Vite 8 build)",
    RECORDER,
    async (ctx, name) => ({ ...(await viteRecorder(ctx, name)), headers: { 'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" } }),
  ],
  ['webpack 5: eka-voice/recorder (record with a fake microphone, split a file)', RECORDER, (ctx, name) => webpackPage(ctx, name, './recorder-page.js')],
  ['Vite 5 build: page + module worker', WITH_WORKER, (ctx, name) => viteBuild(ctx, name, 'vite5')],
  ['Vite 6 build: page + module worker', WITH_WORKER, (ctx, name) => viteBuild(ctx, name, 'vite6')],
  ['Vite 8 build: page + module worker', WITH_WORKER, (ctx, name) => viteBuild(ctx, name, 'vite')],
  ['Vite 8 dev server: page + module worker', WITH_WORKER, (ctx, name) => viteDev(ctx, name, 'vite')],
  ['Vite 5 dev server (optimizeDeps.exclude): page + module worker', WITH_WORKER, (ctx, name) => viteDev(ctx, name, 'vite5', EXCLUDE)],
  ['Vite 6 dev server (optimizeDeps.exclude): page + module worker', WITH_WORKER, (ctx, name) => viteDev(ctx, name, 'vite6', EXCLUDE)],
  [
    // Without the setting (pre-bundled at start rather than on the first visit and a
    // reload, to be deterministic): the calls reject typed, nothing else breaks.
    'Vite 5 dev server, no setting: typed wasm_unavailable, the page lives',
    { ...UNAVAILABLE, worker: UNAVAILABLE },
    (ctx, name) => viteDev(ctx, name, 'vite5', { include: ['eka-voice'] }),
  ],
  [
    'Parcel 2: page + module worker',
    WITH_WORKER,
    ({ appDir, bin, sh }, name) => {
      const dir = appDir(name);
      sh(bin('parcel'), ['build', 'index.html', '--dist-dir', 'out', '--cache-dir', '.parcel-cache', '--no-source-maps', '--public-url', './'], { cwd: dir });
      return { page: 'index.html', root: join(dir, 'out') };
    },
  ],
  ['Vitest 4 (node)', 'ok', ({ appDir, bin, sh }, name) => (sh(bin('vitest'), ['run', 'app.test.js'], { cwd: appDir(name) }), 'ok')],
  ...[
    ['node', OK],
    // jsdom has no fetch (nor TextDecoder): importing works, calls reject typed.
    ['jsdom', { error: 'network' }],
    // jest-fixed-jsdom puts Node's fetch, streams and TextDecoder back into jsdom.
    ['jest-fixed-jsdom', OK],
  ].map(([env, want]) => [
    `Jest 30 (default CommonJS mode, --env ${env})`,
    'ok',
    ({ appDir, bin, sh }, name) => {
      sh(bin('jest'), ['--env', env, '--rootDir', '.', 'app.test.cjs'], { cwd: appDir(name), env: { EKA_WANT: JSON.stringify(want) } });
      return 'ok';
    },
  ]),
  ['a module service worker (no bundler)', OK, (ctx, name) => serviceWorker(ctx, name)],
  [
    "strict CSP: script-src 'self' 'wasm-unsafe-eval' (Vite 8 build, page + worker)",
    WITH_WORKER,
    (ctx, name) => withCsp(ctx, name, "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src *"),
  ],
  [
    "CSP without 'wasm-unsafe-eval': typed wasm_unavailable, the page lives",
    { ...UNAVAILABLE, worker: UNAVAILABLE },
    (ctx, name) => withCsp(ctx, name, "default-src 'self'; script-src 'self'; connect-src *"),
  ],
]);

// The consumer matrix: the packed tarball installed as a user installs it, then, for each
// tool, a tiny app (app/) built or run by that tool with zero configuration, checked in
// Node or in headless Chromium against the simulator: a completed session and a typed 404.
//
//   node tests/consumers/run.mjs <eka-voice-x.y.z.tgz> [name filter]
//   (EKA_SIM_URL and CHROMEDRIVER set; the tools installed by scripts/setup.sh --consumers)
//
// Prints TAP (`ok N - tool: what`, `# pass N`). Cases are in cases.mjs.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { tmpdir } from 'node:os';
import { serveStatic, withChromium, awaitGlobal } from '../../scripts/webdriver.mjs';
import { fakeMicWav } from '../package/recorder/fake-mic.mjs';
import { CASES } from './cases.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const [tarball, filter = ''] = process.argv.slice(2);
const sim = process.env.EKA_SIM_URL;
if (!tarball || !sim) throw new Error('usage: EKA_SIM_URL=… node tests/consumers/run.mjs <tarball> [filter]');

// The package as npm installs a tarball with no dependencies: its `package/` folder.
const installed = join(here, 'node_modules', 'eka-voice');
rmSync(installed, { recursive: true, force: true });
mkdirSync(installed, { recursive: true });
execFileSync('tar', ['-xzf', resolve(tarball), '-C', installed, '--strip-components=1']);

const work = join(here, 'work');
rmSync(work, { recursive: true, force: true });
/** A fresh copy of app/ for one case (with check.cjs, the CommonJS form of check.js). */
function appDir(name) {
  const dir = join(work, name);
  cpSync(join(here, 'app'), dir, { recursive: true });
  const check = readFileSync(join(dir, 'check.js'), 'utf8');
  writeFileSync(join(dir, 'check.cjs'), check.replace('export async function check', 'module.exports.check = async function check'));
  return dir;
}
const bin = (name) => join(here, 'node_modules', '.bin', name);
/** Runs a tool; resolves with its stdout, or throws with the end of its output. */
function sh(cmd, args, { cwd, env = {} } = {}) {
  try {
    return execFileSync(cmd, args, { cwd, env: { ...process.env, EKA_SIM_URL: sim, ...env }, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')}: ${`${e.stdout ?? ''}${e.stderr ?? ''}`.slice(-2000) || e.message}`);
  }
}
const served = (root, headers) =>
  serveStatic((path) => join(root, normalize(path).replace(/^(\.\.[/\\])+/, '') || 'index.html'), headers);

const ctx = { appDir, bin, sh, sim, here, installed };
const results = [];
const record = (name, ok, detail) => {
  results.push({ name, ok });
  console.log(`${ok ? 'ok' : 'not ok'} ${results.length} - ${name}${ok ? '' : `\n  ${String(detail).split('\n').join('\n  ')}`}`);
};
const expect = (name, got, want) => record(name, isDeepStrictEqual(got, want), `got ${JSON.stringify(got)}\n  want ${JSON.stringify(want)}`);

const cases = CASES.filter((c) => c.name.includes(filter));
// Node-side cases first (builds included), then every page in one Chromium session.
const pages = [];
for (const c of cases) {
  try {
    const out = await c.run(ctx);
    if (out?.page) pages.push({ ...c, ...out });
    else expect(c.name, out, c.want);
  } catch (e) {
    record(c.name, false, e?.stack ?? e);
  }
}
// One Chromium for every page, with a fake microphone for the recorder's pages.
const mic = join(tmpdir(), `eka-voice-consumers-mic-${process.pid}.wav`);
fakeMicWav(join(here, '..', 'fixtures', 'audio', 'consultation.wav'), mic, { seconds: 20, pauseMs: 800 });
const micArgs = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${mic}`, '--autoplay-policy=no-user-gesture-required'];
if (pages.length) {
  await withChromium(async (browser) => {
    for (const p of pages) {
      let server;
      try {
        server = p.url ? null : await served(p.root, p.headers);
        const base = p.url ?? server.url;
        const got = await browser.run(`${base}/${p.page}?sim=${encodeURIComponent(sim)}`, awaitGlobal('__result', 30_000));
        expect(p.name, got, p.want);
      } catch (e) {
        record(p.name, false, e?.stack ?? e);
      } finally {
        server?.close();
        await p.close?.();
      }
    }
  }, { args: micArgs });
}
const failed = results.filter((r) => !r.ok).length;
console.log(`# pass ${results.length - failed}\n# fail ${failed}`);
process.exit(failed || results.length < cases.length ? 1 : 0);

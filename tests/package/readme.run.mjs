// Runs the quick starts of the README the package SHIPS (node_modules/eka-voice/README.md)
// as a user would copy them: each block marked `<!-- readme-test: node FILE -->` is saved as
// FILE and run with Node, each `<!-- readme-test: browser FILE -->` is served beside
// node_modules/ and opened in headless Chromium. The only change: the simulator's URL
// (http://127.0.0.1:8787 in the README) becomes this run's. Prints TAP.
// Run from the consumer project, with EKA_SIM_URL and EKA_FIXTURES set.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { serveStatic, withChromium } from './webdriver.mjs';

const sim = process.env.EKA_SIM_URL;
const readme = readFileSync('node_modules/eka-voice/README.md', 'utf8');
const blocks = [...readme.matchAll(/<!-- readme-test: (node|browser) (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)].map(
  ([, kind, file, code]) => ({ kind, file, code: code.replaceAll('http://127.0.0.1:8787', sim) }),
);
const dir = join(process.cwd(), 'readme');
mkdirSync(dir, { recursive: true });
copyFileSync(join(process.env.EKA_FIXTURES, 'consultation-part0.wav'), join(dir, 'consultation.wav'));

let n = 0;
let failed = 0;
const report = (ok, name, detail) => {
  failed += ok ? 0 : 1;
  console.log(`${ok ? 'ok' : 'not ok'} ${++n} - README ${name}${ok ? '' : `\n  ${String(detail).slice(-1500)}`}`);
};
for (const b of blocks.filter((b) => b.kind === 'node')) {
  writeFileSync(join(dir, b.file), b.code);
  try {
    const out = execFileSync(process.execPath, [b.file], { cwd: dir, encoding: 'utf8', stdio: 'pipe', timeout: 60_000 });
    report(/completed/.test(out), `node ${b.file}`, out);
  } catch (e) {
    report(false, `node ${b.file}`, `${e.stdout}${e.stderr}`);
  }
}
const pages = blocks.filter((b) => b.kind === 'browser');
if (pages.length) {
  // The page is served from the consumer project's root, where node_modules/ is.
  const root = process.cwd();
  const server = await serveStatic((path) => join(root, normalize(path).replace(/^(\.\.[/\\])+/, '')));
  try {
    await withChromium(async (browser) => {
      for (const b of pages) {
        writeFileSync(join(root, b.file), b.code);
        const wait = `const done = arguments[0]; const t0 = Date.now();
          (function poll() {
            const text = document.getElementById('out')?.textContent ?? '';
            if (/completed/.test(text) || Date.now() - t0 > 20000) done(text); else setTimeout(poll, 50);
          })();`;
        const text = await browser.run(`${server.url}/${b.file}`, wait);
        report(/^completed\n## /.test(text), `browser ${b.file}`, text);
      }
    });
  } finally {
    server.close();
  }
}
console.log(`# pass ${n - failed}\n# fail ${failed}`);
process.exit(failed || n < 3 ? 1 : 0);

// Runs the browser cases (browser/) against the INSTALLED package in headless Chromium,
// driven through chromedriver. Prints TAP. Run from the consumer project that installed
// the tarball, with EKA_SIM_URL and EKA_FIXTURES set: node browser.run.mjs
import { join, normalize } from 'node:path';
import { voiceProxy } from 'eka-voice/server';
import { serveStatic, withChromium, awaitGlobal, fetchListener } from './webdriver.mjs';

const root = process.cwd();
// The EMR's backend beside the page (same origin): voiceProxy at /api/eka forwards the page's
// voice-session calls to the simulator with the backend's token, for a signed-in user only.
const proxy = voiceProxy({
  baseUrl: process.env.EKA_SIM_URL,
  basePath: '/api/eka',
  token: 'backend-token',
  authorize: (request) => (request.headers.get('cookie') ?? '').includes('emr=dr-rao'),
});
const server = await serveStatic(
  (path) => {
    const clean = normalize(path).replace(/^(\.\.[/\\])+/, '');
    if (clean.startsWith('/fixtures/')) return join(process.env.EKA_FIXTURES, clean.slice('/fixtures/'.length));
    return join(root, clean === '/' ? 'browser/index.html' : clean);
  },
  {},
  { '/api/eka/': fetchListener(proxy) },
);
let failures = 1;
try {
  const results = await withChromium((browser) =>
    browser.run(`${server.url}/?sim=${encodeURIComponent(process.env.EKA_SIM_URL)}`, awaitGlobal('__results')),
  );
  const list = Array.isArray(results) ? results : [{ name: 'page', ok: false, error: results.error }];
  list.forEach((r, i) => console.log(`${r.ok ? 'ok' : 'not ok'} ${i + 1} - browser ${r.name}${r.ok ? '' : `\n  ${r.error}`}`));
  failures = list.filter((r) => !r.ok).length;
  console.log(`# pass ${list.length - failures}\n# fail ${failures}`);
  if (list.length < 19) failures = failures || 1;
} finally {
  server.close();
}
process.exit(failures ? 1 : 0);

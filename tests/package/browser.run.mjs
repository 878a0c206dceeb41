// Runs the browser cases (browser/) against the INSTALLED package in headless Chromium,
// driven through chromedriver's WebDriver API. Prints TAP. Usage (from the consumer
// project that installed the tarball): node browser.run.mjs   (EKA_SIM_URL set)
import http from 'node:http';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const SIM = process.env.EKA_SIM_URL;
const root = process.cwd();
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

const server = http.createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = path.startsWith('/fixtures/')
    ? join(process.env.EKA_FIXTURES, path.slice('/fixtures/'.length))
    : join(root, path === '/' ? 'browser/index.html' : path);
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const pageUrl = `http://127.0.0.1:${server.address().port}/?sim=${encodeURIComponent(SIM)}`;

const driverPort = 9600 + Math.floor(Math.random() * 300);
const driver = spawn(process.env.CHROMEDRIVER || 'chromedriver', [`--port=${driverPort}`], { stdio: 'ignore' });
const wd = async (method, path, body) => {
  const r = await fetch(`http://127.0.0.1:${driverPort}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  const j = await r.json();
  if (!r.ok) throw new Error(`webdriver ${method} ${path}: ${JSON.stringify(j.value)}`);
  return j.value;
};
let failures = 1;
try {
  for (let i = 0; ; i++) {
    try {
      if ((await wd('GET', '/status')).ready) break;
    } catch (e) {
      if (i > 100) throw e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const args = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  const { sessionId } = await wd('POST', '/session', {
    capabilities: { alwaysMatch: { browserName: 'chrome', 'goog:chromeOptions': { binary: process.env.CHROMIUM || '/usr/bin/chromium', args } } },
  });
  try {
    await wd('POST', `/session/${sessionId}/timeouts`, { script: 60_000 });
    await wd('POST', `/session/${sessionId}/url`, { url: pageUrl });
    const results = await wd('POST', `/session/${sessionId}/execute/async`, {
      script: `const done = arguments[0]; const t0 = Date.now();
        (function wait() { if (window.__results) window.__results.then(done, (e) => done([{ name: 'page', ok: false, error: String(e) }]));
          else if (Date.now() - t0 > 10000) done([{ name: 'page load (did the package import?)', ok: false, error: 'no results' }]);
          else setTimeout(wait, 50); })();`,
      args: [],
    });
    results.forEach((r, i) => console.log(`${r.ok ? 'ok' : 'not ok'} ${i + 1} - browser ${r.name}${r.ok ? '' : `\n  ${r.error}`}`));
    failures = results.filter((r) => !r.ok).length;
    console.log(`# pass ${results.length - failures}\n# fail ${failures}`);
    if (results.length < 14) failures = failures || 1;
  } finally {
    await wd('DELETE', `/session/${sessionId}`).catch(() => {});
  }
} finally {
  driver.kill();
  server.close();
}
process.exit(failures ? 1 : 0);

// Headless Chromium through chromedriver's WebDriver API, and a static file server, for
// the browser package test and the browser benchmark. Loopback only.
import http from 'node:http';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.cjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };

/** Serves files: `resolve(pathname)` returns a file path or null; `headers` go with every
 * file (e.g. a Content-Security-Policy); `routes`: path prefix → a node:http listener (e.g.
 * a proxy beside the page, same origin). Resolves with {url, close}. */
export async function serveStatic(resolve, headers = {}, routes = {}) {
  const server = http.createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const route = Object.keys(routes).find((prefix) => path.startsWith(prefix));
    if (route) return routes[route](req, res);
    const file = resolve(path);
    try {
      if (!file) throw new Error('not found');
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** A node:http listener that runs a Fetch-API `handler` (Request in, Response out): the
 * README's adapter for `voiceProxy` and `handleWebhook`. */
export function fetchListener(handler) {
  return async (req, res) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers,
      body: hasBody ? Readable.toWeb(req) : null,
      duplex: 'half',
    });
    const answer = await handler(request);
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  };
}

/** Runs `fn(browser)` with a fresh headless Chromium (`args`: more command-line flags, e.g.
 * a fake microphone); `browser.run(url, script)` navigates and returns what the async
 * `script` passes to its callback (`arguments[0]`); `browser.exec(script)` runs a
 * synchronous script in the current page (for polling what a long page does: one WebDriver
 * call must answer within Node fetch's 5 minutes). */
export async function withChromium(fn, { scriptTimeoutMs = 120_000, args: extra = [] } = {}) {
  const port = 9600 + Math.floor(Math.random() * 300);
  const driver = spawn(process.env.CHROMEDRIVER || 'chromedriver', [`--port=${port}`], { stdio: 'ignore' });
  const wd = async (method, path, body) => {
    const r = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    const j = await r.json();
    if (!r.ok) throw new Error(`webdriver ${method} ${path}: ${JSON.stringify(j.value).slice(0, 300)}`);
    return j.value;
  };
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
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extra];
    const { sessionId } = await wd('POST', '/session', {
      capabilities: { alwaysMatch: { browserName: 'chrome', 'goog:chromeOptions': { binary: process.env.CHROMIUM || '/usr/bin/chromium', args } } },
    });
    try {
      await wd('POST', `/session/${sessionId}/timeouts`, { script: scriptTimeoutMs });
      return await fn({
        run: async (url, script) => {
          await wd('POST', `/session/${sessionId}/url`, { url });
          return wd('POST', `/session/${sessionId}/execute/async`, { script, args: [] });
        },
        // A synchronous script in the current page (no navigation): its return value.
        exec: (script) => wd('POST', `/session/${sessionId}/execute/sync`, { script, args: [] }),
        // A DevTools protocol command (e.g. Storage.overrideQuotaForOrigin).
        cdp: (cmd, params) => wd('POST', `/session/${sessionId}/goog/cdp/execute`, { cmd, params }),
      });
    } finally {
      await wd('DELETE', `/session/${sessionId}`).catch(() => {});
    }
  } finally {
    driver.kill();
  }
}

/** An async WebDriver script that waits for `window[name]` (a Promise) and returns its value. */
export const awaitGlobal = (name, loadTimeoutMs = 10_000) => `const done = arguments[0]; const t0 = Date.now();
  (function wait() {
    if (window.${name}) window.${name}.then(done, (e) => done({ error: String(e && e.stack || e) }));
    else if (Date.now() - t0 > ${loadTimeoutMs}) done({ error: 'the page did not start (did the package import?)' });
    else setTimeout(wait, 50);
  })();`;

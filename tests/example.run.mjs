// Smoke test of the browser example (examples/browser.html) in headless Chromium: click
// "Transcribe" with synthesised audio and wait for the completed session. Prints TAP.
//   EKA_SIM_URL=… node tests/example.run.mjs
import { fileURLToPath } from 'node:url';
import { dirname, join, normalize } from 'node:path';
import { serveStatic, withChromium } from '../scripts/webdriver.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const server = await serveStatic((path) => join(root, normalize(path).replace(/^(\.\.[/\\])+/, '')));
let ok = false;
try {
  const url = `${server.url}/examples/browser.html?sim=${encodeURIComponent(process.env.EKA_SIM_URL)}`;
  const out = await withChromium((browser) =>
    browser.run(url, `const done = arguments[0]; const t0 = Date.now();
      (function ready() {
        if (!document.getElementById('baseUrl').value) return Date.now() - t0 > 10000 ? done({ status: 'never loaded' }) : setTimeout(ready, 50);
        document.getElementById('go').click();
        (function wait() {
          const s = document.getElementById('status').textContent;
          if (s === 'done' || /^(stopped|[a-z_]+( \\(HTTP \\d+\\))?:)/.test(s) && !s.startsWith('uploading') || Date.now() - t0 > 30000)
            done({ status: s, out: document.getElementById('out').innerText });
          else setTimeout(wait, 50);
        })();
      })();`),
  );
  ok = out.status === 'done' && out.out.startsWith('completed (HTTP 200)') && out.out.includes('clinical_notes_template');
  console.log(`${ok ? 'ok' : 'not ok'} 1 - browser example transcribes synthesised audio${ok ? '' : `\n  ${JSON.stringify(out)}`}`);
  console.log(`# pass ${ok ? 1 : 0}\n# fail ${ok ? 0 : 1}`);
} finally {
  server.close();
}
process.exit(ok ? 0 : 1);

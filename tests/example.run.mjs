// Smoke test of the browser example (examples/browser.html) in headless Chromium: click
// "Transcribe" with synthesised audio and wait for the completed session; then "Record"
// with a fake microphone, "Stop" after a while, and wait for the documents. Prints TAP.
//   EKA_SIM_URL=… node tests/example.run.mjs
import { fileURLToPath } from 'node:url';
import { dirname, join, normalize } from 'node:path';
import { tmpdir } from 'node:os';
import { serveStatic, withChromium } from '../scripts/webdriver.mjs';
import { fakeMicWav } from './package/recorder/fake-mic.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const server = await serveStatic((path) => join(root, normalize(path).replace(/^(\.\.[/\\])+/, '')));
const mic = join(tmpdir(), `eka-voice-example-mic-${process.pid}.wav`);
fakeMicWav(join(root, 'tests/fixtures/audio/consultation.wav'), mic, { seconds: 40, pauseMs: 800 });
const args = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${mic}`, '--autoplay-policy=no-user-gesture-required'];
// Record for 14 s (chunks are cut from 10 s on), Stop, wait for the documents.
const RECORD = `const done = arguments[0]; const t0 = Date.now(); const $ = (id) => document.getElementById(id);
  $('record').click();
  setTimeout(() => $('stop').click(), 14000);
  (function wait() {
    const s = $('status').textContent;
    if (s === 'done' || /^(stopped|[a-z_]+:)/.test(s) || Date.now() - t0 > 60000)
      done({ status: s, out: $('out').innerText, chunks: [...$('chunks').children].map((li) => li.className) });
    else setTimeout(wait, 100);
  })();`;
let ok = false;
let recorded = false;
try {
  const url = `${server.url}/examples/browser.html?sim=${encodeURIComponent(process.env.EKA_SIM_URL)}`;
  const [out, rec] = await withChromium(async (browser) => [await browser.run(url, `const done = arguments[0]; const t0 = Date.now();
      (function ready() {
        if (!document.getElementById('baseUrl').value) return Date.now() - t0 > 10000 ? done({ status: 'never loaded' }) : setTimeout(ready, 50);
        document.getElementById('go').click();
        (function wait() {
          const s = document.getElementById('status').textContent;
          if (s === 'done' || /^(stopped|[a-z_]+( \\(HTTP \\d+\\))?:)/.test(s) && !s.startsWith('uploading') || Date.now() - t0 > 30000)
            done({ status: s, out: document.getElementById('out').innerText });
          else setTimeout(wait, 50);
        })();
      })();`), await browser.run(url, RECORD)], { args });
  ok = out.status === 'done' && out.out.startsWith('completed (HTTP 200)') && out.out.includes('clinical_notes_template');
  console.log(`${ok ? 'ok' : 'not ok'} 1 - browser example transcribes synthesised audio${ok ? '' : `\n  ${JSON.stringify(out)}`}`);
  recorded = rec.status === 'done' && rec.out.startsWith('completed (HTTP 200)') && rec.chunks.length >= 2 && rec.chunks.every((c) => c === 'uploaded');
  console.log(`${recorded ? 'ok' : 'not ok'} 2 - browser example records, uploads every chunk, Stop -> documents${recorded ? '' : `\n  ${JSON.stringify(rec)}`}`);
  const pass = Number(ok) + Number(recorded);
  console.log(`# pass ${pass}\n# fail ${2 - pass}`);
} finally {
  server.close();
}
process.exit(ok && recorded ? 0 : 1);

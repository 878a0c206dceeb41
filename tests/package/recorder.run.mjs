// Runs the recorder cases (recorder/page.js) against the INSTALLED package in headless
// Chromium with a fake microphone (Chromium's --use-file-for-fake-audio-capture playing
// recorder/fake-mic.mjs's input), then with the microphone denied, then on an insecure
// origin. Prints TAP. From the consumer project, with EKA_SIM_URL and EKA_FIXTURES set:
//   node recorder.run.mjs
import { join, normalize } from 'node:path';
import { tmpdir } from 'node:os';
import { serveStatic, withChromium, awaitGlobal } from './webdriver.mjs';
import { fakeMicWav } from './recorder/fake-mic.mjs';

const root = process.cwd();
const mic = join(tmpdir(), `eka-voice-fake-mic-${process.pid}.wav`);
fakeMicWav(join(process.env.EKA_FIXTURES, 'consultation.wav'), mic, { seconds: 40, pauseMs: 800 });
// A long pre-recorded file for splitRecording (70 s, over the 20 s chunk limit).
const long = join(tmpdir(), `eka-voice-long-${process.pid}.wav`);
fakeMicWav(join(process.env.EKA_FIXTURES, 'consultation.wav'), long, { seconds: 70, pauseMs: 800 });
const server = await serveStatic((path) => {
  const clean = normalize(path).replace(/^(\.\.[/\\])+/, '');
  if (clean === '/split.wav') return long;
  if (clean.startsWith('/fixtures/')) return join(process.env.EKA_FIXTURES, clean.slice('/fixtures/'.length));
  return join(root, clean === '/' ? 'recorder/index.html' : clean);
});
const page = (mode, host = '127.0.0.1') =>
  `${server.url.replace('127.0.0.1', host)}/?mode=${mode}&sim=${encodeURIComponent(process.env.EKA_SIM_URL)}`;
const runs = [
  // The fake device, granted; audio plays without a gesture (the AudioContext starts).
  { mode: 'record', args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${mic}`, '--autoplay-policy=no-user-gesture-required'] },
  { mode: 'split', args: [] },
  { mode: 'denied', args: ['--use-fake-device-for-media-stream', '--deny-permission-prompts'] },
  // Granted, but no device: this machine has no microphone (and no fake one).
  { mode: 'nomic', args: ['--use-fake-ui-for-media-stream'] },
  // A host name that maps to the loopback server but is not "potentially trustworthy".
  { mode: 'insecure', host: 'recorder.test', args: ['--host-resolver-rules=MAP recorder.test 127.0.0.1'] },
];
let failures = 0;
let n = 0;
const fakeMic = runs[0].args;
try {
  // A reload in the middle, in one browser profile (IndexedDB survives the navigation).
  const reload = await withChromium(async (b) => {
    const first = await b.run(page('reload1'), awaitGlobal('__results'));
    if (first.error) return [{ name: 'reload: the first page', ok: false, error: first.error }];
    return b.run(`${page('reload2')}&first=${encodeURIComponent(JSON.stringify(first))}`, awaitGlobal('__results'));
  }, { args: fakeMic });
  for (const r of Array.isArray(reload) ? reload : [{ name: 'reload: page', ok: false, error: reload.error }]) {
    n++;
    if (!r.ok) failures++;
    console.log(`${r.ok ? 'ok' : 'not ok'} ${n} - recorder ${r.name}${r.ok ? '' : `\n  ${r.error}`}`);
  }
  for (const run of runs) {
    const results = await withChromium((b) => b.run(page(run.mode, run.host), awaitGlobal('__results')), { args: run.args });
    const list = Array.isArray(results) ? results : [{ name: `${run.mode}: page`, ok: false, error: results.error }];
    for (const r of list) {
      n++;
      if (!r.ok) failures++;
      console.log(`${r.ok ? 'ok' : 'not ok'} ${n} - recorder ${r.name}${r.ok ? '' : `\n  ${r.error}`}`);
    }
  }
  console.log(`# pass ${n - failures}\n# fail ${failures}`);
  if (n < 12) failures ||= 1;
} finally {
  server.close();
}
process.exit(failures ? 1 : 0);

// The outage suite: the recorder (fake microphone playing a real recording) transcribing
// live in headless Chromium through a TCP switch (outage/switch.mjs) between the browser and
// the simulator: outages in the middle (refused, hung, slow), at Record, around Stop, one of
// 3 minutes, a page killed during an outage then reopened, a storage quota of 100 KB, a
// malformed store, two tabs on one recording, stop() during the permission prompt. Prints
// TAP. From the consumer project, with EKA_SIM_URL and EKA_FIXTURES set:
//   node outage.run.mjs [case …]
import { join, normalize } from 'node:path';
import { tmpdir } from 'node:os';
import { serveStatic, withChromium, awaitGlobal } from './webdriver.mjs';
import { fakeMicWav } from './recorder/fake-mic.mjs';
import { startSwitch } from './outage/switch.mjs';

const root = process.cwd();
const mic = join(tmpdir(), `eka-voice-outage-mic-${process.pid}.wav`);
fakeMicWav(join(process.env.EKA_FIXTURES, 'consultation.wav'), mic, { seconds: 60, pauseMs: 800 });
const server = await serveStatic((path) => {
  const clean = normalize(path).replace(/^(\.\.[/\\])+/, '');
  return join(root, clean === '/' ? 'outage/index.html' : clean);
});
const net = await startSwitch(process.env.EKA_SIM_URL);
const fakeMic = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${mic}`, '--autoplay-policy=no-user-gesture-required'];
const page = (mode, extra = '') =>
  `${server.url}/?mode=${mode}&sim=${encodeURIComponent(process.env.EKA_SIM_URL)}&net=${encodeURIComponent(net.url)}&control=${encodeURIComponent(net.controlUrl)}${extra}`;
const long = { scriptTimeoutMs: 330_000 };

/** Each case: its name and how it runs (a list of results, or an error). */
const CASES = {
  middle: (b) => b.run(page('middle'), awaitGlobal('__results')),
  hang: (b) => b.run(page('hang'), awaitGlobal('__results')),
  slow: (b) => b.run(page('slow'), awaitGlobal('__results')),
  record: (b) => b.run(page('record'), awaitGlobal('__results')),
  stop: (b) => b.run(page('stop'), awaitGlobal('__results')),
  long: (b) => b.run(page('long'), awaitGlobal('__results')),
  kill: async (b) => {
    const first = await b.run(page('kill1'), awaitGlobal('__results'));
    if (first.error) return [{ name: 'kill: the first page', ok: false, error: first.error }];
    return b.run(page('kill2', `&first=${encodeURIComponent(JSON.stringify(first))}`), awaitGlobal('__results'));
  },
  quota: async (b) => {
    await b.cdp('Storage.overrideQuotaForOrigin', { origin: server.url, quotaSize: 100 * 1024 });
    return b.run(page('quota'), awaitGlobal('__results'));
  },
  store: (b) => b.run(page('store'), awaitGlobal('__results')),
  tabs: (b) => b.run(page('tabs'), awaitGlobal('__results')),
};
const only = process.argv.slice(2);
let n = 0;
let failures = 0;
try {
  for (const [name, run] of Object.entries(CASES)) {
    if (only.length && !only.includes(name)) continue;
    await net.set('up');
    const results = await withChromium(run, { args: fakeMic, ...long }).catch((e) => ({ error: String(e?.stack ?? e) }));
    const list = Array.isArray(results) ? results : [{ name: `${name}: page`, ok: false, error: results.error }];
    for (const r of list) {
      n++;
      if (!r.ok) failures++;
      const value = r.ok && r.value ? ` # ${JSON.stringify(r.value)}` : '';
      console.log(`${r.ok ? 'ok' : 'not ok'} ${n} - outage ${r.name}${value}${r.ok ? '' : `\n  ${r.error}`}`);
    }
  }
  if (!only.length || only.includes('prompt')) {
    // The page keeps the permission prompt open (getUserMedia never answers).
    const results = await withChromium((b) => b.run(page('prompt'), awaitGlobal('__results')), { args: fakeMic })
      .catch((e) => ({ error: String(e?.stack ?? e) }));
    for (const r of Array.isArray(results) ? results : [{ name: 'prompt: page', ok: false, error: results.error }]) {
      n++;
      if (!r.ok) failures++;
      console.log(`${r.ok ? 'ok' : 'not ok'} ${n} - outage ${r.name}${r.ok ? '' : `\n  ${r.error}`}`);
    }
  }
  console.log(`# pass ${n - failures}\n# fail ${failures}`);
} finally {
  server.close();
  await net.close();
}
process.exit(failures || n === 0 ? 1 : 0);

// Decode cost in the browser: getSession of a ~1 MB completed session vs a bare
// fetch + response.json() of the same URL, interleaved rounds. Wall time per call (the
// page cannot read CPU time; on loopback the call is CPU-bound).
import { VoiceClient } from '/pkg/browser.js';
import { interleave } from '/bench/interleave.mjs';

const params = new URLSearchParams(location.search);
const sim = params.get('sim');
const rounds = Number(params.get('rounds') || 7);
const perRound = Number(params.get('n') || 10);
const client = new VoiceClient({ baseUrl: sim, token: 'bench' });
const url = `${sim}/voice/v1/sessions/big.browser`;

async function timed(fn) {
  const t0 = performance.now();
  for (let i = 0; i < perRound; i++) await fn();
  return (performance.now() - t0) / perRound;
}
const client1 = () => client.getSession('big.browser');
const bare = async () => (await fetch(url, { headers: { authorization: 'Bearer bench' } })).json();

window.__bench = (async () => {
  const { a, b } = await interleave(rounds, () => timed(client1), () => timed(bare));
  return { client: a, baseline: b };
})();

// One sample of the import cost and first-call time in Node, in a fresh process (node
// bench/load.mjs <simulator URL>): the import of an empty module first (the baseline, which
// also warms the loader), then the package's (nothing is compiled by importing), then a
// first getSession (the wasm read and compiled) against a warm one. Prints JSON.
const sim = process.argv[2];
const timed = async (fn) => {
  const s = performance.now();
  await fn();
  return performance.now() - s;
};
const emptyImportMs = await timed(() => import('./browser/empty.js'));
let api;
const importMs = await timed(async () => (api = await import('../pkg/node.mjs')));
const bare = (n) => async () =>
  (await fetch(`${sim}/voice/v1/sessions/instant.bare-${n}`, { headers: { authorization: 'Bearer bench' } })).json();
const bareFirst = await timed(bare(1));
const bareWarm = await timed(bare(2));
// Fetch is warm by now (Node's first fetch sets up its own HTTP parser): the first call
// below is the package's own first-use cost (the wasm read and compiled) plus a request.
let client;
const first = await timed(() => (client = new api.VoiceClient({ baseUrl: sim, token: 'bench' })).getSession('instant.load-1'));
const warm = await timed(() => client.getSession('instant.load-2'));
console.log(JSON.stringify({ importMs, emptyImportMs, first, warm, bareFirst, bareWarm }));

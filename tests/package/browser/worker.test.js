import * as api from '/node_modules/eka-voice/browser.js';
import { runCases, runLifecycleCases } from './cases.js';

// The simulator's URL comes in the worker's own URL: a message posted before this module
// (and the package's top-level await) finished evaluating could be missed.
const sim = new URL(import.meta.url).searchParams.get('sim');
const wav = await (await fetch('/fixtures/consultation-part0.wav')).arrayBuffer();
self.postMessage([...(await runCases(api, sim)), ...(await runLifecycleCases(api, sim, wav))]);

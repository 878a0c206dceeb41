import * as api from '/node_modules/eka-voice/browser.js';
import { runCases, runLifecycleCases, runLoadCases } from './cases.js';

const sim = new URL(import.meta.url).searchParams.get('sim');
const load = await runLoadCases(api, sim);
const wav = await (await fetch('/fixtures/consultation-part0.wav')).arrayBuffer();
self.postMessage([...load, ...(await runCases(api, sim)), ...(await runLifecycleCases(api, sim, wav))]);

// A module worker: its handler is set as the module evaluates, so the message the page
// posts right after `new Worker()` reaches it.
import * as api from 'eka-voice';
import { check } from './check.js';

self.onmessage = async ({ data: sim }) => self.postMessage(await check(api, sim));

import * as api from 'eka-voice';
import { check } from './check.js';

console.log(JSON.stringify(await check(api, process.env.EKA_SIM_URL)));

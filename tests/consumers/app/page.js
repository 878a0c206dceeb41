import * as api from 'eka-voice';
import { check } from './check.js';

window.__result = check(api, new URLSearchParams(location.search).get('sim'));

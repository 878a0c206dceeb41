// A module service worker: answers the page's message with the check, run here.
import * as api from 'eka-voice';
import { check } from './check.js';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('message', (e) => e.waitUntil(check(api, e.data).then((r) => e.ports[0].postMessage(r))));

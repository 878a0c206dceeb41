// `eka-voice/simulator` (Node only): the local fake of the Voice API, for an app's own
// tests and development. `npx eka-voice-sim` runs it from the command line.
export { createSimulator } from './server.mjs';

// A CommonJS TypeScript file (module nodenext): `import x = require()` and the types.
import voice = require('eka-voice');
import inline = require('eka-voice/inline');

const client: voice.VoiceClient = new voice.VoiceClient({ token: 'x' });
const code: voice.VoiceApiErrorCode = 'wasm_unavailable';
const ready: Promise<void> = inline.init();
void client, code, ready;

import server = require('eka-voice/server');
const verified: Promise<server.WebhookEvent> = server.verifyWebhook({ body: new Uint8Array(2), signature: '', signingKey: 'k' });
void verified;

// The demo: polls a simulated session with visible progress and prints the typed result.
//   npm run demo                 (builds, starts the simulator, runs this)
//   EKA_SIM_URL=http://127.0.0.1:8787 node examples/demo.mjs [session-id]
import { VoiceClient, VoiceApiError } from '../pkg/node.js';

const baseUrl = process.env.EKA_SIM_URL || 'http://127.0.0.1:8787';
const sessionId = process.argv[2] || `longpoll.demo-${Date.now().toString(36)}`;
const client = new VoiceClient({ baseUrl, getToken: async () => 'demo-token' });

const t0 = Date.now();
const clock = () => `${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s`;
const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
let ticks = 0;
const tty = process.stdout.isTTY;
const timer = tty ? setInterval(() => process.stdout.write(`\r${spinner[ticks++ % spinner.length]} waiting… ${clock()}`), 100) : null;

console.log(`eka-voice demo: polling session ${sessionId} at ${baseUrl}\n`);
try {
  const result = await client.pollSession(sessionId, {
    intervalMs: 1000,
    onProgress: (s) => {
      if (tty) process.stdout.write('\r\x1b[K');
      console.log(`${clock()}  HTTP ${s.http_status}  status=${s.status}  audio files: ${s.audio_files_received ?? 0}`);
    },
  });
  if (timer) clearInterval(timer);
  if (tty) process.stdout.write('\r\x1b[K');
  console.log(`${clock()}  HTTP ${result.http_status}  status=${result.status}\n`);
  switch (result.status) {
    case 'completed':
    case 'partial':
      console.log(`model: ${result.model_used}   language: ${result.language_detected}`);
      console.log(`transcript:\n  ${result.transcript}\n`);
      for (const entry of result.templates) {
        for (const [templateId, doc] of Object.entries(entry)) {
          console.log(`template ${templateId} (${doc.status}, ${doc.document_id}):`);
          const text = typeof doc.data === 'string' ? doc.data : JSON.stringify(doc.data, null, 2);
          console.log(text.split('\n').map((l) => `  ${l}`).join('\n') + '\n');
        }
      }
      if (result.status === 'partial') console.log('processing errors:', result.processing_errors);
      break;
    case 'failed':
      console.log('processing failed:', result.error);
      break;
    case 'expired':
      console.log('the session expired:', result.message);
      break;
  }
} catch (e) {
  if (timer) clearInterval(timer);
  if (e instanceof VoiceApiError) {
    console.error(`\nVoiceApiError ${e.code}${e.status ? ` (HTTP ${e.status})` : ''}: ${e.message}`);
    process.exitCode = 1;
  } else {
    throw e;
  }
}

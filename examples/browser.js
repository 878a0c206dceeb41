// The browser example: transcribe() with a progress bar and a cancel button.
import { VoiceClient, VoiceApiError } from '../pkg/browser.js';

const $ = (id) => document.getElementById(id);
$('baseUrl').value = new URLSearchParams(location.search).get('sim') || 'http://127.0.0.1:8787';

/** A mono 16 kHz PCM WAV of `seconds` of a two-tone "voice" (so the example needs no mic). */
function wav(seconds, pitch) {
  const rate = 16000;
  const n = Math.round(seconds * rate);
  const view = new DataView(new ArrayBuffer(44 + n * 2));
  const text = (at, s) => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + n * 2, true);
  text(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, n * 2, true);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const s = Math.sin(Math.PI * ((t * 3) % 1)) ** 2 * Math.sin(2 * Math.PI * pitch * t);
    view.setInt16(44 + i * 2, Math.round(s * 9000), true);
  }
  return new Blob([view.buffer], { type: 'audio/wav' });
}

export function show(result) {
  const out = $('out');
  out.replaceChildren();
  const add = (tag, text) => out.appendChild(Object.assign(document.createElement(tag), { textContent: text }));
  add('h2', `${result.status} (HTTP ${result.http_status})`);
  if (result.missing_chunks) add('p', `missing chunks: ${result.missing_chunks.join(', ')}`);
  add('h3', 'Transcript');
  add('pre', result.transcript ?? '');
  for (const entry of Array.isArray(result.templates) ? result.templates : []) {
    for (const [id, doc] of Object.entries(entry)) {
      add('h3', `${id} (${doc.status})`);
      add('pre', typeof doc.data === 'string' ? doc.data : JSON.stringify(doc.data, null, 2));
    }
  }
}

export const $status = (text) => ($('status').textContent = text);
let controller;
$('go').onclick = async () => {
  controller = new AbortController();
  $('go').disabled = true;
  $('cancel').disabled = false;
  const files = [...$('files').files];
  const chunks = files.length && !$('synth').checked ? files : [wav(1.5, 180), wav(1.5, 220), wav(1.5, 200)];
  const templates = [$('emr').checked && 'eka_emr_template', $('notes').checked && 'clinical_notes_template'].filter(Boolean);
  try {
    const client = new VoiceClient({ baseUrl: $('baseUrl').value, token: $('token').value });
    const result = await client.transcribe(chunks, {
      templates,
      presignedUpload: $('presigned').checked,
      signal: controller.signal,
      onProgress: (e) => {
        $('status').textContent = e.phase === 'uploading'
          ? `uploading: ${e.chunksDone}/${e.chunksTotal} chunks, ${Math.round(e.bytesDone / 1024)} KB`
          : e.phase === 'processing' ? `processing (${e.snapshot.status})` : e.phase;
        if (e.phase === 'uploading' && e.bytesTotal) $('bar').value = e.bytesDone / e.bytesTotal;
        if (e.phase === 'ending' || e.phase === 'processing') $('bar').removeAttribute('value');
      },
    });
    $('bar').value = 1;
    $('status').textContent = 'done';
    show(result);
  } catch (e) {
    $('bar').value = 0;
    $('status').textContent = e instanceof VoiceApiError ? `${e.code}${e.status ? ` (HTTP ${e.status})` : ''}: ${e.message}` : `stopped: ${e.name}`;
  } finally {
    $('go').disabled = false;
    $('cancel').disabled = true;
  }
};
$('cancel').onclick = () => controller.abort();

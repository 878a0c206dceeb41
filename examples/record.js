// The browser example's Record button: eka-voice/recorder with a level meter, a speech
// light, the chunk list with each chunk's upload state, pause/resume, and Stop → End →
// the documents. Unfinished recordings (a reload in the middle) are offered for resuming.
import { VoiceApiError, VoiceClient } from '../pkg/browser.js';
import { createRecorder, listRecordings, resumeTranscription } from '../pkg/recorder.js';
import { show, $status } from './browser.js';

const $ = (id) => document.getElementById(id);
const client = () => new VoiceClient({ baseUrl: $('baseUrl').value, token: $('token').value });
const templates = () => [$('emr').checked && 'eka_emr_template', $('notes').checked && 'clinical_notes_template'].filter(Boolean);
const failed = (e) => $status(e instanceof VoiceApiError ? `${e.code}: ${e.message}` : `stopped: ${e?.name ?? e}`);
let rec;

$('record').onclick = async () => {
  rec = createRecorder();
  const items = new Map();
  $('chunks').replaceChildren();
  rec.addEventListener('level', (e) => ($('level').value = e.detail.dbfs));
  rec.addEventListener('speechstart', () => $('speech').classList.add('on'));
  rec.addEventListener('speechend', () => $('speech').classList.remove('on'));
  rec.addEventListener('nosignal', () => ($('recstate').textContent = 'no signal: is the microphone muted?'));
  rec.addEventListener('signalback', () => ($('recstate').textContent = 'recording'));
  rec.addEventListener('devicechange', () => ($('recstate').textContent = 'recording (another microphone)'));
  rec.addEventListener('chunk', (e) => {
    const li = document.createElement('li');
    li.textContent = `chunk ${e.detail.index}: ${(e.detail.durationMs / 1000).toFixed(1)} s, ${Math.round(e.detail.bytes.byteLength / 1024)} KB (${e.detail.cut})`;
    items.set(e.detail.index, li);
    $('chunks').appendChild(li);
  });
  rec.addEventListener('uploaded', (e) => items.get(e.detail.index)?.classList.replace('failed', 'uploaded') || items.get(e.detail.index)?.classList.add('uploaded'));
  rec.addEventListener('uploadfailed', (e) => items.get(e.detail.index)?.classList.add('failed'));
  try {
    await rec.start();
  } catch (e) {
    return failed(e);
  }
  $('record').disabled = true;
  $('pause').disabled = $('stop').disabled = false;
  $('recstate').textContent = 'recording';
  $status('recording');
  try {
    const result = await rec.transcribe(client(), {
      templates: templates(),
      onProgress: progress,
    });
    $status('done');
    show(result);
  } catch (e) {
    failed(e);
  } finally {
    $('record').disabled = false;
    $('pause').disabled = $('stop').disabled = true;
    $('speech').classList.remove('on');
    offerUnfinished();
  }
};

$('pause').onclick = () => {
  if (rec.state === 'recording') {
    rec.pause();
    $('pause').textContent = 'Resume';
    $('recstate').textContent = 'paused';
  } else {
    rec.resume();
    $('pause').textContent = 'Pause';
    $('recstate').textContent = 'recording';
  }
};

$('stop').onclick = async () => {
  $('pause').disabled = $('stop').disabled = true;
  $('recstate').textContent = 'stopped: the microphone is released';
  $status('ending');
  await rec.stop();
};

/** A transcription's progress in the status line: offline and what waits, or the phase. */
function progress(e) {
  if (e.offline) $status(`offline, ${e.chunksWaiting} chunk(s) waiting (stored); they go when the network is back`);
  else if (e.phase === 'processing') $status(`processing (${e.snapshot.status})`);
  else if (e.phase === 'uploading') $status(`recording, ${e.chunksDone} chunk(s) uploaded${e.chunksWaiting ? `, ${e.chunksWaiting} waiting` : ''}`);
  else $status(e.phase);
}

/** Recordings a reload interrupted: a button each to finish them. */
async function offerUnfinished() {
  const list = await listRecordings().catch(() => []);
  $('unfinished').replaceChildren(
    ...list.map((r) => {
      const b = document.createElement('button');
      b.textContent = `Finish the recording of ${new Date(r.startedAt).toLocaleTimeString()}`;
      b.onclick = async () => {
        b.disabled = true;
        $status('resuming');
        try {
          show(await resumeTranscription(client(), r, { onProgress: progress }));
          $status('done');
        } catch (e) {
          failed(e);
        }
        offerUnfinished();
      };
      return b;
    }),
  );
}
offerUnfinished();

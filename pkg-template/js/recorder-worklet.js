// The recorder's AudioWorklet processor (`eka-voice/recorder`): it runs the Rust pipeline
// (RecorderDsp: downmix, resampling to 16 kHz, level meter, voice-activity detector,
// chunker, WAV) on the audio rendering thread, off the page's main thread, and posts the
// events to the page. It decides nothing itself: it copies render quanta into blocks, feeds
// them to the pipeline, and names the pipeline's numeric events.
//
// Loaded by `audioWorklet.addModule()` from the package's own file (no CDN, no blob: URL,
// no eval): a page with `script-src 'self' 'wasm-unsafe-eval'` runs it. The wasm's bytes
// come from the page in `processorOptions` (the worklet's scope has no fetch).
import { initSync, RecorderDsp } from '../eka_voice.js';
import { CUTS, EVENT_KINDS, EVENT_SLOTS } from './recorder-seam.js';

/** Frames fed to the pipeline at once (21 ms at 48 kHz: ~47 blocks a second). */
const BLOCK = 1024;
const EMPTY = new Float32Array(0);

let loaded = false;

class RecorderProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const o = options.processorOptions;
    this.left = new Float32Array(BLOCK);
    this.right = new Float32Array(BLOCK);
    this.fill = 0;
    this.stereo = false;
    this.paused = false;
    this.done = false;
    // Frames recorded, and frames the rendering thread skipped (gaps in currentFrame).
    this.frames = 0;
    this.dropped = 0;
    this.next = -1;
    this.port.onmessage = (e) => this.command(e.data);
    // The options are checked here, by the pipeline's constructor (before the page asks
    // for the microphone): what it throws is an `invalid_argument` message.
    let code = 'wasm_unavailable';
    try {
      if (!loaded) initSync({ module: new WebAssembly.Module(o.wasm) });
      loaded = true;
      code = 'invalid_argument';
      this.dsp = new RecorderDsp(sampleRate, o.rules);
      this.dsp.reportPartials();
      this.port.postMessage({ type: 'ready', sampleRate });
    } catch (e) {
      this.done = true;
      this.port.postMessage({ type: 'failed', code, message: String(e?.message ?? e) });
    }
  }

  command(cmd) {
    if (this.done) return;
    if (cmd === 'pause' || cmd === 'stop') this.flush();
    if (cmd === 'pause') this.paused = true;
    if (cmd === 'resume') this.paused = false;
    if (cmd === 'stop') {
      this.done = true;
      this.post(this.dsp.finish());
      this.port.postMessage({ type: 'stopped', frames: this.frames, dropped: this.dropped });
      this.dsp.free();
    }
  }

  process(inputs) {
    if (this.done) return false;
    const input = inputs[0];
    // A gap in currentFrame is audio the rendering thread skipped; the device's start-up
    // (the first second) may skip a few quanta before the microphone's data flows.
    if (this.next >= 0 && currentFrame > this.next && currentFrame > sampleRate) this.dropped += currentFrame - this.next;
    this.next = currentFrame + 128;
    if (this.paused || !input || input.length === 0) return true;
    const left = input[0];
    const right = input.length > 1 ? input[1] : undefined;
    this.stereo = right !== undefined;
    this.left.set(left, this.fill);
    if (right) this.right.set(right, this.fill);
    this.fill += left.length;
    this.frames += left.length;
    if (this.fill + 128 > BLOCK) this.flush();
    return true;
  }

  flush() {
    if (this.fill === 0) return;
    const n = this.fill;
    this.fill = 0;
    this.post(this.dsp.push(this.left.subarray(0, n), this.stereo ? this.right.subarray(0, n) : EMPTY));
  }

  post(events) {
    for (let i = 0; i < events.length; i += EVENT_SLOTS) {
      const type = EVENT_KINDS[events[i]];
      const [a, b, c, d] = events.subarray(i + 1, i + EVENT_SLOTS);
      if (type === 'chunk') {
        const wav = this.dsp.takeChunk();
        const chunk = { type, index: a, startMs: b / 16, durationMs: c / 16, samples: c, cut: CUTS[d], wav };
        this.port.postMessage(chunk, [wav.buffer]);
      } else if (type === 'partial') {
        const wav = this.dsp.takeChunk();
        this.port.postMessage({ type, index: a, samples: c, wav }, [wav.buffer]);
      } else if (type === 'level') this.port.postMessage({ type, dbfs: a });
      else if (type === 'speechstart' || type === 'speechend') this.port.postMessage({ type, atMs: a });
      else this.port.postMessage({ type });
    }
  }
}

registerProcessor('eka-voice-recorder', RecorderProcessor);

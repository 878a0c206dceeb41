// The recorder's DSP cost in Node (bench/dsp-core.js), the package's module and glue as
// built (target/pkg-build-recorder): node bench/dsp.mjs [seconds] [rounds] → JSON.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { measure } from './dsp-core.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = join(root, process.env.CARGO_TARGET_DIR ?? 'target', 'pkg-build-recorder');
const { initSync, RecorderDsp } = await import(join(build, 'eka_voice.js'));
initSync({ module: readFileSync(join(root, 'pkg/recorder_bg.wasm')) });
const wav = readFileSync(join(root, 'tests/fixtures/audio/consultation.wav'));
const pcm = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length));
const [seconds = 60, rounds = 5] = process.argv.slice(2).map(Number);
console.log(JSON.stringify(measure(RecorderDsp, pcm, { seconds, rounds })));

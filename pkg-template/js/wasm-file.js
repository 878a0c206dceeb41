// Node: the wasm file shipped beside the module, read and compiled synchronously on first
// use (this module is built as CommonJS: `__dirname` is the package's folder).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const source = () => readFileSync(join(__dirname, 'eka_voice_bg.wasm'));

// `eka-voice/inline`: the wasm embedded as base64 (the build's esbuild loader), for tools
// that cannot emit a separate asset. Synchronous where the platform compiles a module this
// size synchronously, else through init()'s async path.
import base64 from '../eka_voice_bg.wasm';

export const source = () => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

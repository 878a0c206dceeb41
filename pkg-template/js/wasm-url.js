// Browsers and workers: the wasm is fetched on first use from beside the built module
// (pkg/browser.js); bundlers follow `new URL(..., import.meta.url)` and emit the file.
export const source = () => new URL('./eka_voice_bg.wasm', import.meta.url);

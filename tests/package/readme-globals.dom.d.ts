// The browser snippets' surroundings (readme-types.mjs): the page's recorder and its UI.
import type { Recorder, RecordedChunk } from 'eka-voice/recorder';

declare global {
  const recorder: Recorder;
  const meter: HTMLMeterElement;
  const light: { on(): void; off(): void };
  const list: { add(chunk: RecordedChunk): void; done(index: number): void };
  function warn(message: string): void;
}
export {};

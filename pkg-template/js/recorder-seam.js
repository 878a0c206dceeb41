// GENERATED from src/proto/seam.rs by `cargo run --example seam` (checked by
// tests/seam_files.rs): do not edit. What crosses between the recorder's core, its
// AudioWorklet and its page.

/** The rules (createRecorder's options), in RecorderDsp's order, with their defaults. */
export const RULES = [['preferAfterMs', 10000], ['preferPauseMs', 500], ['acceptAfterMs', 15000], ['acceptPauseMs', 100], ['maxChunkMs', 20000], ['vadThreshold', 0.5], ['noSignalAfterMs', 3000]];
/** Numbers per event. */
export const EVENT_SLOTS = 5;
/** Event names by kind. */
export const EVENT_KINDS = ['level', 'nosignal', 'signalback', 'speechstart', 'speechend', 'chunk', 'partial'];
/** Cut reasons by number. */
export const CUTS = ['pause', 'short-pause', 'forced', 'end'];

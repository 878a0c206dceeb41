// The recorder's options, read once: the rules (their names and defaults generated from the
// Rust core, which checks their ranges), the recorder's own, and what the service's
// Discovery answer says of chunks (the core fits the rules to it).
import { VoiceApiError } from 'eka-voice-main';
// The rules' names and defaults, in RecorderDsp's order: generated from the Rust core.
import { RULES } from './recorder-seam.js';

const fail = (message, code, cause) => new VoiceApiError(message, code, undefined, undefined, undefined, undefined, cause);

/** The recorder's own options besides the rules (they never cross into the core). */
const OWN = ['deviceId', 'wasmUrl', 'discovery'];

/** Reads the caller's options once (a Proxy or a throwing getter is `invalid_argument`; so
 * is an option the recorder does not take: a typo never passes silently). */
export function readOptions(options) {
  if (options == null) options = {};
  if (typeof options !== 'object') throw fail('createRecorder: options must be an object', 'invalid_argument');
  let keys;
  try {
    keys = Object.keys(options);
  } catch (e) {
    throw fail('createRecorder: the options could not be read', 'invalid_argument', e);
  }
  const known = new Set([...RULES.map(([key]) => key), ...OWN]);
  const unknown = keys.find((k) => !known.has(k));
  if (unknown !== undefined) throw fail(`createRecorder: \`${unknown}\` is not an option of the recorder`, 'invalid_argument');
  const get = (key, type) => {
    let v;
    try {
      v = options[key];
    } catch (e) {
      throw fail(`createRecorder: reading option ${key} threw`, 'invalid_argument', e);
    }
    if (v !== undefined && typeof v !== type) throw fail(`createRecorder: ${key} must be a ${type}`, 'invalid_argument');
    return v;
  };
  const rules = RULES.map(([key, fallback]) => {
    const v = get(key, 'number') ?? fallback;
    if (!Number.isFinite(v)) throw fail(`createRecorder: ${key} must be finite`, 'invalid_argument');
    return v;
  });
  return { deviceId: get('deviceId', 'string'), rules: new Float64Array(rules), wasm: get('wasmUrl', 'string'), service: service(get('discovery', 'object')) };
}

/** What the service's Discovery answer (`client.getDiscovery()`) says of chunks, as read:
 * [max_chunk_duration_seconds, audio_formats one per line] — the core fits the rules to it. */
function service(d) {
  if (d == null) return undefined;
  try {
    const caps = d.capabilities, s = caps?.max_chunk_duration_seconds, f = caps?.audio_formats;
    const lines = Array.isArray(f) ? f.filter((x) => typeof x === 'string').join('\n') : undefined;
    // As bytes: no string crosses into the recorder's module (its glue runs in the worklet too).
    return [typeof s === 'number' ? s : undefined, lines === undefined ? undefined : new TextEncoder().encode(lines)];
  } catch (e) {
    throw fail('createRecorder: the discovery option could not be read', 'invalid_argument', e);
  }
}

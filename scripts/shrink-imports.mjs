// Renames the wasm-bindgen glue's imports to short names, in the .wasm and in the JS glue
// together: wasm-bindgen names every import `__wbg_<name>_<16 hex digits>`, ~35 bytes that
// gzip cannot shrink, twice (once in each file), for ~100 imports.
//
//   node scripts/shrink-imports.mjs <dir with eka_voice_bg.wasm and eka_voice.js>
//
// Only imports of the glue's own module (`./eka_voice_bg.js`) are renamed; each new name
// must appear exactly once as a key of the glue's import object, or the script fails (so
// a wasm-bindgen upgrade that changes the glue's shape cannot silently break the package).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const wasmPath = join(dir, 'eka_voice_bg.wasm');
const jsPath = join(dir, 'eka_voice.js');
const bytes = readFileSync(wasmPath);
let js = readFileSync(jsPath, 'utf8');
const MODULE = './eka_voice_bg.js';

function readLeb(buf, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return [result, pos];
  }
}
function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
}
function readName(buf, pos) {
  const [len, p] = readLeb(buf, pos);
  return [buf.toString('utf8', p, p + len), p + len];
}
const name = (s) => Buffer.concat([leb(Buffer.byteLength(s)), Buffer.from(s)]);
/** Length in bytes of an import descriptor starting at `pos` (kind byte included). */
function descEnd(buf, pos) {
  const kind = buf[pos++];
  const limits = (p) => {
    const flags = buf[p++];
    p = readLeb(buf, p)[1];
    if (flags & 1) p = readLeb(buf, p)[1];
    return p;
  };
  switch (kind) {
    case 0: return readLeb(buf, pos)[1]; // func: type index
    case 1: return limits(pos + 1); // table: reftype, limits
    case 2: return limits(pos); // memory
    case 3: return pos + 2; // global: valtype, mutability
    case 4: return readLeb(buf, pos + 1)[1]; // tag: attribute, type index
    default: throw new Error(`unknown import kind ${kind}`);
  }
}

let short = 0;
const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const nextName = () => {
  let n = short++;
  let s = '';
  do {
    s = alphabet[n % alphabet.length] + s;
    n = Math.floor(n / alphabet.length);
  } while (n);
  return `$${s}`;
};

const out = [bytes.subarray(0, 8)];
let pos = 8;
let renamed = 0;
while (pos < bytes.length) {
  const id = bytes[pos];
  const [size, start] = readLeb(bytes, pos + 1);
  const end = start + size;
  if (id !== 2) {
    out.push(bytes.subarray(pos, end));
    pos = end;
    continue;
  }
  let p = start;
  const [count, p0] = readLeb(bytes, p);
  p = p0;
  const entries = [leb(count)];
  for (let i = 0; i < count; i++) {
    const [mod, p1] = readName(bytes, p);
    const [field, p2] = readName(bytes, p1);
    const p3 = descEnd(bytes, p2);
    let newField = field;
    if (mod === MODULE) {
      newField = nextName();
      const key = new RegExp(`(^|[\\s{,])${field.replace(/\$/g, '\\$')}(?=\\s*:)`, 'g');
      const hits = js.match(key);
      if (!hits || hits.length !== 1) throw new Error(`import ${field}: found ${hits ? hits.length : 0} keys in the glue`);
      js = js.replace(key, `$1${newField}`);
      renamed++;
    }
    entries.push(name(mod), name(newField), bytes.subarray(p2, p3));
    p = p3;
  }
  const payload = Buffer.concat(entries);
  out.push(Buffer.from([2]), leb(payload.length), payload);
  pos = end;
}
writeFileSync(wasmPath, Buffer.concat(out));
writeFileSync(jsPath, js);
console.log(`shrink-imports: renamed ${renamed} imports`);

// The shipped size of pkg/: every .wasm and .js/.mjs file, raw and gzip -9, and the total.
//   node scripts/size.mjs [--quiet] [--json FILE] [--check]
// --check fails (exit 1) when the total gzip size exceeds SIZE_LIMIT_BYTES: the budget of
// 45 KB (BUDGET_BYTES, the performance issue's target) and no more.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, relative } from 'node:path';

export const BUDGET_BYTES = 45 * 1024;
export const SIZE_LIMIT_BYTES = BUDGET_BYTES;

/** [{file, raw, gzip}] of the shipped code in `dir`, plus the totals. */
export function measure(dir = 'pkg') {
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(wasm|js|mjs)$/.test(name)) {
        const bytes = readFileSync(p);
        files.push({ file: relative(dir, p), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
      }
    }
  };
  walk(dir);
  files.sort((a, b) => b.gzip - a.gzip);
  const sum = (k, f = () => true) => files.filter(f).reduce((s, x) => s + x[k], 0);
  const isWasm = (x) => x.file.endsWith('.wasm');
  return {
    files,
    total: { raw: sum('raw'), gzip: sum('gzip') },
    wasm: { raw: sum('raw', isWasm), gzip: sum('gzip', isWasm) },
  };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const m = measure();
  if (!args.includes('--quiet')) {
    for (const f of m.files) console.log(`  ${f.file.padEnd(48)} ${String(f.raw).padStart(7)} raw ${String(f.gzip).padStart(6)} gzip`);
  }
  console.log(`pkg/ shipped code: ${kb(m.total.raw)} raw, ${kb(m.total.gzip)} gzip -9 (wasm alone ${kb(m.wasm.gzip)}); target ${kb(BUDGET_BYTES)}, limit ${kb(SIZE_LIMIT_BYTES)}`);
  const j = args.indexOf('--json');
  if (j >= 0) writeFileSync(args[j + 1], JSON.stringify(m, null, 2));
  if (args.includes('--check') && m.total.gzip > SIZE_LIMIT_BYTES) {
    console.error(`size check FAILED: ${m.total.gzip} bytes gzip > ${SIZE_LIMIT_BYTES}`);
    process.exit(1);
  }
}

// Every code snippet of the README AS SHIPPED (node_modules/eka-voice/README.md) is type-
// checked as users paste it — JavaScript checked by tsc (checkJs) under `strict` and
// `exactOptionalPropertyTypes` — in a DOM project (lib dom, @types/node, React's and Vue's
// types) and, unless it needs a browser (the page, the recorder, React, Vue), in a Node-only
// one (lib es2023 + @types/node, no DOM). The names a snippet takes from its surroundings
// (`sessionId`, `options`, `recorder`…) are declared once, typed, in readme-globals.d.ts.
// Run from the consumer project: node readme-types.mjs <path of tsc>. Prints TAP.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';

const tsc = process.argv[2];
const readme = readFileSync('node_modules/eka-voice/README.md', 'utf8');
const snippets = [];
const fence = /^( *)```(js|jsx|ts|tsx)\n([\s\S]*?)^\1```$/gm;
for (let m; (m = fence.exec(readme)); ) {
  const line = readme.slice(0, m.index).split('\n').length;
  const code = m[3].replace(new RegExp(`^${m[1]}`, 'gm'), '');
  snippets.push({ line, lang: m[2], code });
}
const browserOnly = (code) => /\b(location|document|window|recorder)\.|eka-voice\/recorder|from 'react'|from 'vue'|<\w/.test(code);

const dir = 'readme-snippets';
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir);
const files = snippets.map((s) => {
  const name = `line-${s.line}.${s.lang}`;
  // A module of its own (top-level await, no clash between snippets' names).
  writeFileSync(join(dir, name), `${s.code}\nexport {};\n`);
  return { ...s, name };
});
const base = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noEmit: true,
  allowJs: true,
  checkJs: true,
  jsx: 'react-jsx',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  target: 'es2022',
  skipLibCheck: false,
  // The workspace's @types, beside its tsc (node_modules/.bin/tsc).
  typeRoots: [join(dirname(dirname(resolve(tsc))), '@types')],
};
const projects = [
  { name: 'DOM', options: { ...base, lib: ['es2023', 'dom', 'dom.iterable'], types: ['node', 'react'] }, take: () => true },
  { name: 'Node-only', options: { ...base, lib: ['es2023'], types: ['node'] }, take: (s) => !browserOnly(s.code) },
];
let n = 0;
let failed = 0;
for (const p of projects) {
  const taken = files.filter(p.take);
  const config = join(dir, `tsconfig.${p.name}.json`);
  const globals = p.name === 'DOM' ? ['../readme-globals.d.ts', '../readme-globals.dom.d.ts'] : ['../readme-globals.d.ts'];
  writeFileSync(config, JSON.stringify({ compilerOptions: p.options, files: [...globals, ...taken.map((f) => f.name)] }, null, 1));
  let out = '';
  try {
    execFileSync(tsc, ['-p', config], { encoding: 'utf8' });
  } catch (e) {
    out = String(e.stdout) + String(e.stderr);
  }
  for (const f of taken) {
    const errors = out.split('\n').filter((l) => l.includes(f.name));
    n++;
    if (errors.length) failed++;
    console.log(`${errors.length ? 'not ok' : 'ok'} ${n} - README line ${f.line} (${f.lang}) type-checks in a ${p.name} project${errors.length ? `\n  ${errors.join('\n  ')}` : ''}`);
  }
  const stray = out.split('\n').filter((l) => l.trim() && !files.some((f) => l.includes(f.name)) && !/^\s/.test(l));
  if (stray.length) {
    n++;
    failed++;
    console.log(`not ok ${n} - ${p.name} project: ${stray.join('\n  ')}`);
  }
}
console.log(`# pass ${n - failed}\n# fail ${failed}`);
process.exit(failed || n < 30 ? 1 : 0);

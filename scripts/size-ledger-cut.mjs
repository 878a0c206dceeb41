// scripts/size-ledger.sh's cut: `node size-ledger-cut.mjs <api.rs> <export fn>…` makes each
// named `pub fn <name>(&self, …) -> Promise` of the export layer return at once (a resolved
// promise), in place. It fails when a name is not found, so the ledger never reports a
// variant that cut nothing.
import { readFileSync, writeFileSync } from 'node:fs';

const [file, ...names] = process.argv.slice(2);
let text = readFileSync(file, 'utf8');
for (const name of names) {
  const head = new RegExp(`\\n    pub fn ${name}\\(\\s*&self[^{]*\\{\\n`);
  const m = head.exec(text);
  if (!m) {
    console.error(`size-ledger: no export \`${name}\` in ${file}`);
    process.exit(1);
  }
  const at = m.index + m[0].length;
  const cut = '        return js_sys::Promise::resolve(&JsValue::NULL);\n';
  text = text.slice(0, at) + cut + text.slice(at);
}
writeFileSync(file, text);

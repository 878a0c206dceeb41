// Serves the repository (pkg/ and examples/) on 127.0.0.1 for the browser example.
//   node examples/serve.mjs <simulator URL>
import { fileURLToPath } from 'node:url';
import { dirname, join, normalize } from 'node:path';
import { serveStatic } from '../scripts/webdriver.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const server = await serveStatic((path) => {
  const clean = normalize(path).replace(/^(\.\.[/\\])+/, '');
  return clean.startsWith('/pkg/') || clean.startsWith('/examples/') ? join(root, clean) : null;
});
const sim = process.argv[2] || 'http://127.0.0.1:8787';
console.log(`browser example: open ${server.url}/examples/browser.html?sim=${encodeURIComponent(sim)}   (Ctrl-C to stop)`);

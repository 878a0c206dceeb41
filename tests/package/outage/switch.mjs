// A TCP switch between the browser and the simulator, for the outage suite: a port on
// 127.0.0.1 that forwards raw TCP to the simulator while `up`; `refuse` closes its listener
// (connections are refused, as when the Wi-Fi is gone) and cuts every open connection;
// `hang` accepts connections and never answers (a captive or dead network); `slow` forwards
// in small pieces with a delay each. The page under test switches it through a control port
// (`POST /mode/<mode>`, CORS open): the test's harness, not the client, decides the network.
import http from 'node:http';
import net from 'node:net';

/** Starts a switch to `upstream` (a base URL); resolves with { url, controlUrl, set, close }. */
export async function startSwitch(upstream) {
  const target = new URL(upstream);
  const open = new Set();
  let mode = 'up';
  let server;
  let port = 0;
  const listen = () =>
    new Promise((resolve, reject) => {
      server = net.createServer(accept);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = server.address().port;
        resolve();
      });
    });
  function accept(client) {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => {});
    if (mode === 'hang') return; // held, never answered
    const up = net.connect(Number(target.port), target.hostname);
    open.add(up);
    up.on('close', () => {
      open.delete(up);
      client.destroy();
    });
    up.on('error', () => client.destroy());
    client.on('close', () => up.destroy());
    if (mode === 'slow') {
      client.pipe(up);
      up.on('data', (chunk) => {
        up.pause();
        let at = 0;
        const drip = () => {
          if (client.destroyed) return;
          client.write(chunk.subarray(at, at + 512));
          at += 512;
          if (at < chunk.length) setTimeout(drip, 20);
          else up.resume();
        };
        drip();
      });
      return;
    }
    client.pipe(up).pipe(client);
  }
  await listen();
  const set = async (next) => {
    if (next === mode) return;
    const was = mode;
    mode = next;
    // A network that goes away takes the open connections with it.
    for (const s of open) s.destroy();
    if (next === 'refuse') await new Promise((resolve) => server.close(() => resolve()));
    if (was === 'refuse') await listen();
  };
  const control = http.createServer(async (req, res) => {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'POST, OPTIONS' };
    const m = /^\/mode\/(up|refuse|hang|slow)$/.exec(req.url);
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    if (!m) return res.writeHead(404, cors).end();
    await set(m[1]);
    res.writeHead(200, cors).end(m[1]);
  });
  await new Promise((resolve) => control.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    controlUrl: `http://127.0.0.1:${control.address().port}`,
    set,
    get mode() {
      return mode;
    },
    close() {
      for (const s of open) s.destroy();
      control.close();
      return new Promise((resolve) => (mode === 'refuse' ? resolve() : server.close(() => resolve())));
    },
  };
}

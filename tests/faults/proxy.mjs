// A TCP fault proxy on 127.0.0.1 between the client and the simulator, for the fault
// suite (tests/faults/faults.test.mjs). Requests whose "METHOD path" matches `match` get
// the fault (the first `times` of them; Infinity: all); every other request is passed to
// the upstream as it is. Faults:
//   reset       the connection is reset (RST) as soon as the request arrived
//   cut         the upstream's answer: its headers and half its body, then a reset
//   stall       nothing is ever answered (the connection stays open)
//   drip        the upstream's answer, whole, one small piece every few milliseconds
//   garbage     bytes that are not HTTP, then the connection is closed
//   lie-long    the upstream's answer with a Content-Length 100 bytes too long, then close
//   lie-short   the upstream's answer with a Content-Length half its body's
// A refused connection needs no proxy: `refusedUrl()` gives a loopback port that listens
// to nothing.

import http from 'node:http';
import net from 'node:net';

/** Starts a proxy to `upstream` (a base URL); resolves with { url, hits, close }. */
export async function startProxy(upstream, { fault, match = /./, times = Infinity, dripMs = 2 }) {
  const target = new URL(upstream);
  const sockets = new Set();
  const timers = new Set();
  let left = times;
  const state = { hits: 0 };
  const server = http.createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    if (!match.test(line) || left <= 0) return pass(req, res, target);
    left -= 1;
    state.hits += 1;
    apply(fault, req, res, target, { dripMs, timers });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get hits() {
      return state.hits;
    },
    close() {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback URL whose port refuses connections (it was bound, then released). */
export async function refusedUrl() {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** Passes a request to the upstream and its answer back, untouched. */
function pass(req, res, target) {
  const up = http.request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    },
  );
  up.on('error', () => res.socket?.destroy());
  req.pipe(up);
}

/** The upstream's whole answer to `req`: { head (the raw status line and headers), body }. */
function fetchUpstream(req, target) {
  return new Promise((resolve, reject) => {
    const up = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, connection: 'close' } },
      (answer) => {
        const parts = [];
        answer.on('data', (c) => parts.push(c));
        answer.on('end', () => resolve({ status: answer.statusCode, headers: answer.headers, body: Buffer.concat(parts) }));
      },
    );
    up.on('error', reject);
    req.pipe(up);
  });
}

/** The raw bytes of an answer, with `length` as its Content-Length. */
function raw({ status, headers, body }, length = body.length) {
  const lines = [`HTTP/1.1 ${status} ${http.STATUS_CODES[status] || 'Status'}`];
  for (const [k, v] of Object.entries(headers)) {
    if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)) lines.push(`${k}: ${v}`);
  }
  lines.push(`content-length: ${length}`, 'connection: close', '', '');
  return Buffer.concat([Buffer.from(lines.join('\r\n')), body]);
}

function apply(fault, req, res, target, { dripMs, timers }) {
  const socket = req.socket;
  switch (fault) {
    case 'reset':
      return socket.resetAndDestroy();
    case 'stall':
      return req.resume();
    case 'garbage':
      req.resume();
      return socket.end(Buffer.from('\x00\x13\x37 this is not HTTP \xff\xfe\r\n\r\n'));
    default:
      return fetchUpstream(req, target).then(
        (answer) => deliver(fault, socket, answer, { dripMs, timers }),
        () => socket.destroy(),
      );
  }
}

function deliver(fault, socket, answer, { dripMs, timers }) {
  if (fault === 'cut') {
    const bytes = raw(answer);
    const headEnd = bytes.length - answer.body.length;
    socket.write(bytes.subarray(0, headEnd + (answer.body.length >> 1)), () => setTimeout(() => socket.resetAndDestroy(), 20));
  } else if (fault === 'lie-long') {
    socket.end(raw(answer, answer.body.length + 100));
  } else if (fault === 'lie-short') {
    socket.end(raw(answer, answer.body.length >> 1));
  } else if (fault === 'drip') {
    const bytes = raw(answer);
    const step = Math.max(1, Math.ceil(bytes.length / 200));
    let at = 0;
    const t = setInterval(() => {
      if (socket.destroyed) return clearInterval(t);
      socket.write(bytes.subarray(at, (at += step)));
      if (at >= bytes.length) {
        clearInterval(t);
        timers.delete(t);
        socket.end();
      }
    }, dripMs);
    timers.add(t);
  } else {
    socket.destroy();
  }
}

// The yardstick of the benchmark (not a product): a minimal hand-written JS polling loop
// — fetch, sleep out the interval, JSON.parse — with none of the client's checks, retries,
// timeouts or cancellation.
export async function pollBaseline(url, token, intervalMs) {
  for (;;) {
    const started = Date.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = JSON.parse(await res.text());
    if (res.status !== 202) return body;
    const wait = intervalMs - (Date.now() - started);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

// Interleaved rounds of two measurements (Node and the browser page share it): one
// warm-up call of each, not counted, then `rounds` rounds that alternate which side goes
// first, so that drift in a noisy machine hits both sides alike.
export async function interleave(rounds, measureA, measureB) {
  await measureA();
  await measureB();
  const a = [];
  const b = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2) {
      b.push(await measureB());
      a.push(await measureA());
    } else {
      a.push(await measureA());
      b.push(await measureB());
    }
  }
  return { a, b, ratios: a.map((x, i) => x / b[i]) };
}

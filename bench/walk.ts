/**
 * A deterministic walk through `paths` for load over many patients: a fixed pseudo-random permutation,
 * gone through in order and then again, so that every path is asked for once before any is asked for
 * twice and the same sequence comes on every run. (A bare linear congruential step taken modulo the
 * list's length, as the bench once used, repeats its low bits quickly: it visited 120 of 1,040 patients
 * in 2,000 steps — a mix a cache could serve.)
 */
export function pathWalker(paths: readonly string[]): () => string {
  if (paths.length === 0) throw new Error("pathWalker needs at least one path");
  const order = [...paths];
  // Fisher–Yates with mulberry32 from a fixed seed
  let seed = 12345;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let next = 0;
  return () => {
    const p = order[next]!;
    next = (next + 1) % order.length;
    return p;
  };
}

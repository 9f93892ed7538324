// Seeded random numbers so accuracy tests are reproducible.
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lognormal via Box–Muller: exp(mu + sigma * N(0,1)). */
export function lognormal(rand: () => number, mu: number, sigma: number): number {
  const u = 1 - rand();
  const v = rand();
  return Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}

/** Pareto with scale xm and shape alpha (heavy tail). */
export function pareto(rand: () => number, xm: number, alpha: number): number {
  return xm / Math.pow(1 - rand(), 1 / alpha);
}

/** The element of rank floor(q * (n - 1)) of the sorted values: the definition the sketch estimates. */
export function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}

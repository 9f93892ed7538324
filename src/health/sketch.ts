// A DDSketch-style quantile sketch (Masson et al., VLDB 2019): values fall into logarithmic buckets
// of ratio GAMMA, so any quantile is known to within RELATIVE_ACCURACY of the true value, two sketches
// merge by adding bucket counts (merge = sketch of the union), and the state is a small plain object
// that JSON round-trips (sparse buckets: only non-empty ones exist).
// Written here rather than using @datadog/sketches-js because this module ships in the browser
// (getSnapshot, overlay): see the size note in the report / docs.

/** Relative accuracy of every quantile estimate (1 %). */
export const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LN_GAMMA = Math.log(GAMMA);
/** Values below this (1 ns when the unit is ms) count as zero: log buckets cannot reach 0. */
const MIN_VALUE = 1e-6;
/** Shifts bucket indexes so the smallest positive value lands on key >= 0: integer keys stay array-like. */
const OFFSET = 700;

/** Short keys on purpose: the state is stored per minute by the ingest and kept in the browser. */
export interface Sketch {
  /** count */
  n: number;
  /** sum */
  s: number;
  /** min, valid when n > 0 */
  lo: number;
  /** max, valid when n > 0 */
  hi: number;
  /** count of values below MIN_VALUE (zero bucket) */
  z: number;
  /** bucket key -> count */
  b: Record<number, number>;
}

export function createSketch(): Sketch {
  return { n: 0, s: 0, lo: 0, hi: 0, z: 0, b: {} };
}

/** Adds one value; the caller guarantees a finite number >= 0. */
export function addValue(sk: Sketch, x: number): void {
  if (sk.n === 0 || x < sk.lo) sk.lo = x;
  if (sk.n === 0 || x > sk.hi) sk.hi = x;
  sk.n++;
  sk.s += x;
  if (x < MIN_VALUE) sk.z++;
  else {
    const k = Math.ceil(Math.log(x) / LN_GAMMA) + OFFSET;
    sk.b[k] = (sk.b[k] || 0) + 1;
  }
}

/** Adds `from` into `into` (mutates and returns `into`). */
export function mergeSketch(into: Sketch, from: Sketch): Sketch {
  if (!from.n) return into;
  if (!into.n || from.lo < into.lo) into.lo = from.lo;
  if (!into.n || from.hi > into.hi) into.hi = from.hi;
  into.n += from.n;
  into.s += from.s;
  into.z += from.z;
  for (const k in from.b) into.b[k as unknown as number] = (into.b[k as unknown as number] || 0) + from.b[k as unknown as number];
  return into;
}

/**
 * The value at quantile q (0..1): the element of rank floor(q * (n - 1)) in sorted order, within 1 %.
 * null when the sketch is empty.
 */
export function quantile(sk: Sketch, q: number): number | null {
  if (!sk.n) return null;
  const rank = Math.max(0, Math.min(1, q)) * (sk.n - 1);
  // The extremes are known exactly.
  if (rank < sk.z || rank < 1) return sk.lo;
  if (rank >= sk.n - 1) return sk.hi;
  let seen = sk.z;
  // Integer-like keys enumerate in ascending order, but a sketch parsed from foreign JSON may not
  // have been built here: sort to be sure (summaries are not on the hot path).
  const keys = Object.keys(sk.b).map(Number).sort((a, c) => a - c);
  for (const k of keys) {
    seen += sk.b[k];
    if (seen > rank) {
      // The bucket (GAMMA^(i-1), GAMMA^i] is represented by the point equidistant in relative terms.
      const est = (2 * Math.exp((k - OFFSET) * LN_GAMMA)) / (GAMMA + 1);
      return Math.min(sk.hi, Math.max(sk.lo, est));
    }
  }
  return sk.hi;
}

/** Mean, or null when empty. */
export function mean(sk: Sketch): number | null {
  return sk.n ? sk.s / sk.n : null;
}

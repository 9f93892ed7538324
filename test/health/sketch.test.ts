import { describe, expect, test } from 'vitest';
import { RELATIVE_ACCURACY, addValue, createSketch, mean, mergeSketch, quantile, type Sketch } from '../../src/health/sketch';
import { exactQuantile, lognormal, mulberry32, pareto } from './random';

const QS = [0.5, 0.95, 0.99];
// Floating-point slack on top of the 1 % guarantee (bucket boundaries computed with Math.log).
const TOLERANCE = RELATIVE_ACCURACY + 1e-9;

function sketchOf(values: readonly number[]): Sketch {
  const sk = createSketch();
  for (const v of values) addValue(sk, v);
  return sk;
}

function relativeError(sk: Sketch, values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const exact = exactQuantile(sorted, q);
  return Math.abs(quantile(sk, q)! - exact) / exact;
}

describe('sketch accuracy on skewed data (100k values)', () => {
  const rand = mulberry32(42);
  const datasets: Record<string, number[]> = {
    'lognormal render times (ms)': Array.from({ length: 100_000 }, () => lognormal(rand, Math.log(8), 0.6)),
    'lognormal sub-ms durations': Array.from({ length: 100_000 }, () => lognormal(rand, Math.log(0.05), 1.2)),
    'pareto API latency (alpha 1.2)': Array.from({ length: 100_000 }, () => pareto(rand, 40, 1.2)),
    'pareto heavy tail (alpha 0.8)': Array.from({ length: 100_000 }, () => pareto(rand, 1, 0.8)),
  };
  for (const [name, values] of Object.entries(datasets)) {
    test(name, () => {
      const sk = sketchOf(values);
      for (const q of QS) expect(relativeError(sk, values, q), `p${q * 100}`).toBeLessThanOrEqual(TOLERANCE);
      expect(quantile(sk, 0)).toBe(Math.min(...values));
      expect(quantile(sk, 1)).toBe(Math.max(...values));
      expect(sk.n).toBe(values.length);
    });
  }

  test('sparse: 100k lognormal values need only a few hundred buckets', () => {
    const sk = sketchOf(datasets['lognormal render times (ms)']);
    const buckets = Object.keys(sk.b).length;
    expect(buckets).toBeLessThan(400);
    expect(JSON.stringify(sk).length).toBeLessThan(4000);
  });
});

describe('sketch edge values', () => {
  test('empty sketch has no quantiles and no mean', () => {
    const sk = createSketch();
    expect(quantile(sk, 0.5)).toBeNull();
    expect(mean(sk)).toBeNull();
  });

  test('zeros are kept in the zero bucket and reported as 0', () => {
    const sk = sketchOf([0, 0, 0, 5]);
    expect(sk.z).toBe(3);
    expect(quantile(sk, 0.5)).toBe(0);
    expect(quantile(sk, 1)).toBe(5);
    expect(mean(sk)).toBe(1.25);
  });

  test('sub-millisecond values keep 1 % accuracy', () => {
    for (const v of [0.001, 0.0123, 0.3, 0.999]) {
      const sk = sketchOf([v / 2, v, v * 2]);
      expect(Math.abs(quantile(sk, 0.5)! - v) / v).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  test('a single value is returned exactly (clamped to min/max)', () => {
    expect(quantile(sketchOf([16.7]), 0.95)).toBe(16.7);
  });
});

describe('sketch merge and JSON', () => {
  const rand = mulberry32(7);
  const a = Array.from({ length: 20_000 }, () => lognormal(rand, 3, 1));
  const b = Array.from({ length: 30_000 }, () => pareto(rand, 2, 1.5));

  test('merge of two sketches equals the sketch of the union', () => {
    const merged = mergeSketch(sketchOf(a), sketchOf(b));
    const union = sketchOf([...a, ...b]);
    expect(merged.b).toEqual(union.b);
    expect([merged.n, merged.z, merged.lo, merged.hi]).toEqual([union.n, union.z, union.lo, union.hi]);
    expect(merged.s).toBeCloseTo(union.s, 6);
    for (const q of [0.01, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999]) expect(quantile(merged, q)).toBe(quantile(union, q));
  });

  test('merging into or from an empty sketch is the identity', () => {
    const x = sketchOf(a);
    expect(mergeSketch(createSketch(), x)).toEqual(x);
    expect(mergeSketch(sketchOf(a), createSketch())).toEqual(x);
  });

  test('JSON round-trip gives the same sketch and the same quantiles', () => {
    const sk = sketchOf([...a, 0, 0]);
    const back = JSON.parse(JSON.stringify(sk)) as Sketch;
    expect(back).toEqual(JSON.parse(JSON.stringify(sk)));
    for (const q of QS) expect(quantile(back, q)).toBe(quantile(sk, q));
    // A parsed sketch keeps working: add to it and merge it.
    addValue(back, 1);
    expect(mergeSketch(back, sk).n).toBe(2 * sk.n + 1);
  });
});

import { describe, expect, test } from 'vitest';
import { createAggregates, foldEvent, type Aggregates } from '../../src/health/aggregates';
import { DATA_LOSS_CAP, WEIGHTS, band, scoreHealth } from '../../src/health/score';
import { summarize } from '../../src/health/summary';
import { DEFAULT_THRESHOLDS, mergeThresholds } from '../../src/health/thresholds';
import type { ChatVitalsEvent } from '../../src/types';
import { api, memory, persistence, render, scroll, tabsync, times } from './events';

const MB = 1024 * 1024;
const fold = (events: ChatVitalsEvent[]): Aggregates => {
  const agg = createAggregates();
  for (const ev of events) foldEvent(agg, ev);
  return agg;
};
const health = (events: ChatVitalsEvent[], th = DEFAULT_THRESHOLDS) => summarize(fold(events), th).health;
/** n renders all taking ms. */
const renders = (ms: number, n = 50) => times(n, () => render(ms));

describe('band: piecewise-linear between Excellent/Good/Degraded/Critical anchors', () => {
  test('rising anchors (ms: higher is worse)', () => {
    const a = [10, 16, 25, 64] as const;
    expect([5, 10, 13, 16, 20.5, 25, 44.5, 64, 500].map((x) => band(x, a))).toEqual([100, 100, 95, 90, 80, 70, 35, 0, 0]);
  });
  test('falling anchors (fps: higher is better)', () => {
    const a = [58, 55, 45, 20] as const;
    expect([60, 58, 56.5, 55, 50, 45, 32.5, 20, 0].map((x) => band(x, a))).toEqual([100, 100, 95, 90, 80, 70, 35, 0, 0]);
  });
  test('degenerate anchors (threshold 0) score all-or-nothing', () => {
    expect(band(0, [0, 0, 0, 0])).toBe(100);
    expect(band(0.1, [0, 0, 0, 0])).toBe(0);
  });
});

describe('category scores reproduce seed 001 baselines', () => {
  // Good/Degraded line → 90, Degraded/Critical line → 70 (SPEC §6 thresholds with defaults).
  test.each([
    ['render p95 10 ms (Excellent)', renders(10), 'performance', 100],
    ['render p95 16 ms (Good edge)', renders(16), 'performance', 90],
    ['render p95 25 ms (Critical edge)', renders(25), 'performance', 70],
    ['scroll 58 fps', [scroll({ avgFps: 58, minFps: 50 })], 'performance', 100],
    ['scroll 45 fps', [scroll({ avgFps: 45, minFps: 30 })], 'performance', 70],
    ['memory peak 25 MB', [memory(25 * MB)], 'memory', 100],
    ['memory peak 40 MB', [memory(40 * MB)], 'memory', 90],
    ['memory peak 60 MB', [memory(60 * MB)], 'memory', 70],
    ['api p95 300 ms', times(40, () => api(300)), 'api', 100],
    ['api p95 500 ms', times(40, () => api(500)), 'api', 90],
    ['api p95 800 ms', times(40, () => api(800)), 'api', 70],
    ['restore 100 ms', times(10, () => persistence({ operation: 'restore', duration: 100 })), 'persistence', 100],
    ['restore 200 ms', times(10, () => persistence({ operation: 'restore', duration: 200 })), 'persistence', 90],
    ['restore 300 ms', times(10, () => persistence({ operation: 'restore', duration: 300 })), 'persistence', 70],
    ['persistence success 98 %', times(50, (i) => persistence({ success: i >= 1 })), 'persistence', 90],
    ['persistence success 95 %', times(100, (i) => persistence({ success: i >= 5 })), 'persistence', 70],
    ['persistence success 80 %', times(50, (i) => persistence({ success: i >= 10 })), 'persistence', 0],
  ] as const)('%s', (_, events, category, expected) => {
    // Sketch estimates are within 1 %, so a boundary figure may land a point either side.
    expect(health([...events]).scores[category]).toBeCloseTo(expected, -0.5);
  });

  test('a category is as healthy as its worst figure', () => {
    const h = health([...renders(10), ...times(40, (i) => tabsync(10, i > 3))]); // 10 % tab-sync failures
    expect(h.scores.performance).toBeLessThan(70);
  });

  test('data loss caps persistence', () => {
    const h = health([...times(99, () => persistence()), persistence({ success: false, lost: 1, error: 'QuotaExceededError' })]);
    expect(h.scores.persistence).toBe(DATA_LOSS_CAP);
  });

  test('a threshold at the end of the scale keeps the direction: minFps 0 or successRate 100', () => {
    // Degenerate anchors (all equal) on a higher-is-better figure: 60 fps is not "worse than 0 fps",
    // and 2 successes in 40 are not perfect when 100 % is demanded.
    expect(health([scroll({ avgFps: 60, minFps: 58 })], mergeThresholds({ scroll: { minFps: 0 } })).scores.performance).toBe(100);
    const th100 = mergeThresholds({ persistence: { successRate: 100 } });
    expect(health(times(40, (i) => persistence({ success: i < 2 })), th100).scores.persistence).toBe(0);
    expect(health(times(40, () => persistence()), th100).scores.persistence).toBe(100);
  });

  test('thresholds move the bands', () => {
    const th = mergeThresholds({ performance: { renderTime: 32 } });
    expect(health(renders(32), th).scores.performance).toBeCloseTo(90, -0.5);
    expect(health(renders(32)).scores.performance).toBeLessThan(70);
  });
});

describe('overall and status', () => {
  test('no data is unknown', () => {
    expect(health([])).toEqual({ overall: null, scores: { persistence: null, performance: null, memory: null, api: null }, status: 'unknown' });
  });

  test('weighted average over the categories that have data only', () => {
    // performance 100, memory 70: (100*0.35 + 70*0.1) / 0.45
    const h = health([...renders(5), memory(60 * MB)]);
    expect(h.scores).toEqual({ persistence: null, performance: 100, memory: 70, api: null });
    expect(h.overall).toBe(Math.round((100 * WEIGHTS.performance + 70 * WEIGHTS.memory) / (WEIGHTS.performance + WEIGHTS.memory)));
  });

  test('weights sum to 1', () => {
    expect(Object.values(WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  test.each([
    [renders(10), 'healthy'],
    [renders(17), 'degraded'],
    [renders(26), 'unhealthy'],
  ] as const)('status cut-offs (%#)', (events, status) => {
    expect(health([...events]).status).toBe(status);
  });

  test('scoreHealth works on a summary body directly', () => {
    const { health: h, ...body } = summarize(fold(renders(10)));
    expect(scoreHealth(body, DEFAULT_THRESHOLDS)).toEqual(h);
  });
});

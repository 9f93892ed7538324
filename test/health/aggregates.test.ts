import { describe, expect, test } from 'vitest';
import { MAX_KEYS, createAggregates, foldEvent, mergeAggregates, type Aggregates } from '../../src/health/aggregates';
import { summarize } from '../../src/health/summary';
import type { ChatVitalsEvent } from '../../src/types';
import { api, bundle, dropped, memory, persistence, render, scroll, tabsync, times, vital } from './events';

const MB = 1024 * 1024;

function fold(events: readonly unknown[], slowRenderMs?: number): Aggregates {
  const agg = createAggregates();
  for (const ev of events) foldEvent(agg, ev as ChatVitalsEvent, slowRenderMs);
  return agg;
}

describe('reducer + summary on hand-computed inputs', () => {
  test('renders: count, mean, slow renders against slowRenderMs', () => {
    const s = summarize(fold([4, 8, 12, 20, 30].map(render)));
    expect(s.performance.renders).toMatchObject({ total: 5, avgTime: 14.8, slowRenders: 2, slowRenderRate: 40 });
    // Ranks floor(q * 4): p50 → 12, p95 and p99 → 20; the sketch is within 1 %.
    const within1 = (x: number | null, exact: number) => expect(Math.abs(x! - exact) / exact).toBeLessThanOrEqual(0.01);
    within1(s.performance.renders.p50Time, 12);
    within1(s.performance.renders.p95Time, 20);
    within1(s.performance.renders.p99Time, 20);
    const custom = summarize(fold([4, 8, 12, 20, 30].map(render), 10));
    expect(custom.performance.renders.slowRenders).toBe(3);
  });

  test('persistence: success rate, errors by type, restoration, navigation, data loss', () => {
    const s = summarize(fold([
      persistence({ duration: 10 }),
      persistence({ duration: 20, success: false, error: 'QuotaExceededError', lost: 2 }),
      persistence({ duration: 30, success: false, error: 'QuotaExceededError', lost: 1 }),
      persistence({ duration: 40, success: false, error: 'SecurityError', lost: 1 }),
      persistence({ operation: 'restore', duration: 100 }),
      persistence({ operation: 'restore', duration: 300, success: false, error: 'SyntaxError' }),
      persistence({ operation: 'navigation', duration: 5 }),
      persistence({ operation: 'navigation', duration: 5, success: false }),
    ]));
    const p = s.persistence;
    expect(p.operations).toMatchObject({ total: 8, failures: 5, successRate: 37.5, avgDuration: 63.75,
      errorsByType: { QuotaExceededError: 2, SecurityError: 1, SyntaxError: 1, unknown: 1 } });
    expect(p.restoration).toMatchObject({ total: 2, successRate: 50, avgDuration: 200 });
    expect(p.navigation).toEqual({ total: 2, successRate: 50 });
    expect(p.dataLoss).toEqual({ incidents: 3, itemsLost: 4, errorsByType: { QuotaExceededError: 2, SecurityError: 1 } });
  });

  test('scroll: fps weighted by duration, jank weighted by frames, min of minFps', () => {
    const s = summarize(fold([
      scroll({ avgFps: 60, minFps: 50, jankPercentage: 2, frames: 600, duration: 10_000 }),
      scroll({ avgFps: 30, minFps: 12, jankPercentage: 20, frames: 150, duration: 5_000 }),
    ]));
    // fps: (60*10000 + 30*5000) / 15000 = 50; jank: (2*600 + 20*150) / 750 = 5.6
    expect(s.performance.scroll).toEqual({ sessions: 2, frames: 750, avgFps: 50, minFps: 12, jankPercentage: 5.6 });
  });

  test('memory: current is the latest sample by ts, peak, average, limit', () => {
    const s = summarize(fold([memory(40 * MB, 3000, 2048 * MB), memory(60 * MB, 1000), memory(20 * MB, 2000)]));
    expect(s.memory).toEqual({ samples: 3, currentMB: 40, peakMB: 60, avgMB: 40, heapLimitMB: 2048 });
  });

  test('tab sync, api, bundle, vitals, dropped, event counts', () => {
    const s = summarize(fold([
      tabsync(10), tabsync(30), tabsync(50, false), tabsync(10),
      api(100), api(200, 500), api(300, 0), api(400, 404, true), api(500, 200, true),
      bundle(120, 30_000), bundle(80, 0),
      vital('LCP', 1000), vital('LCP', 2000), vital('LCP', 3000), vital('LCP', 5000), vital('CLS', 0), vital('CLS', 0.3),
      dropped(7, 'queue-full'), dropped(3, 'expired'), dropped(2, 'queue-full'),
    ]));
    // The failed message's 50 is its sender's timeout, not a latency: it is a failure only.
    expect(s.performance.tabSync).toMatchObject({ total: 4, failures: 1, avgLatency: 16.67, failureRate: 25 });
    expect(s.api).toMatchObject({ total: 5, avgDuration: 300, errorRate: 60, cacheHitRate: 40 });
    expect(s.performance.bundle).toEqual({ loads: 2, avgDuration: 100, transferSize: 15_000 });
    // p75 of 4 values: rank floor(0.75*3)=2 → 3000 → needs-improvement (2500 < x <= 4000)
    expect(s.performance.vitals.LCP).toEqual({ count: 4, p75: expect.closeTo(3000, -2), rating: 'needs-improvement' });
    expect(s.performance.vitals.CLS).toEqual({ count: 2, p75: 0, rating: 'good' });
    expect(s.performance.vitals.INP).toEqual({ count: 0, p75: null, rating: null });
    expect(s.dropped).toEqual({ total: 12, byReason: { 'queue-full': 9, expired: 3 } });
    expect(s.events).toEqual({ total: 20, ignored: 0, byType: { tabsync: 4, api: 5, bundle: 2, vital: 6, dropped: 3 } });
  });

  test('no data: every figure that needs data is null, health unknown', () => {
    const s = summarize(createAggregates());
    expect(s.health).toEqual({ overall: null, scores: { persistence: null, performance: null, memory: null, api: null }, status: 'unknown' });
    expect(s.persistence.operations.successRate).toBeNull();
    expect(s.performance.renders.p95Time).toBeNull();
    expect(s.performance.scroll.avgFps).toBeNull();
    expect(s.memory.currentMB).toBeNull();
    expect(s.api.errorRate).toBeNull();
  });
});

describe('junk events', () => {
  const junk: unknown[] = [
    null, undefined, 42, 'render', [], {},
    { type: 'nope', id: 'x', ts: 1 },
    { ...render(1), renderTime: NaN },
    { ...render(1), renderTime: -3 },
    { ...render(1), renderTime: Infinity },
    { ...render(1), renderTime: '12' },
    { ...persistence(), success: 'yes' },
    { ...persistence(), duration: undefined },
    { ...persistence(), operation: 'explode' },
    { ...scroll(), jankPercentage: 140 },
    { ...scroll(), avgFps: -1 },
    { ...memory(1), usedHeap: null },
    { ...tabsync(1), success: 1 },
    { ...api(1), status: NaN },
    { ...vital('LCP', 1), name: 'FID' },
    { ...vital('LCP', 1), name: '__proto__' },
    { ...bundle(1), duration: -1 },
    { ...dropped(1, 'x'), count: 'many' },
  ];

  test('are counted as ignored and change nothing else', () => {
    const agg = fold([render(5), ...junk, render(7)]);
    const clean = fold([render(5), render(7)]);
    expect(agg.events.ignored).toBe(junk.length);
    expect({ ...agg, events: { ...agg.events, ignored: 0 } }).toEqual(clean);
  });

  test('hostile map keys never reach a prototype and cardinality is capped', () => {
    const agg = fold([
      persistence({ success: false, error: '__proto__' }),
      persistence({ success: false, error: 'constructor' }),
      persistence({ success: false, error: 'toString' }),
      persistence({ success: false, error: 'x'.repeat(200) }),
      dropped(1, '__proto__'),
      ...times(MAX_KEYS + 10, (i) => persistence({ success: false, error: `E${i}` })),
    ]);
    const errors = agg.persist.errors;
    expect(Object.getPrototypeOf(errors)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(errors.constructor).toBe(1);
    expect(errors.toString).toBe(1);
    expect(Object.keys(errors).length).toBe(MAX_KEYS);
    expect(Object.values(errors).reduce((a, b) => a + b, 0)).toBe(4 + MAX_KEYS + 10);
    expect(agg.dropped.byReason).toEqual({ other: 1 });
    expect(JSON.parse(JSON.stringify(summarize(agg))).persistence.operations.failures).toBe(4 + MAX_KEYS + 10);
  });
});

describe('merge and JSON', () => {
  const mixed = (k: number): ChatVitalsEvent[] => [
    ...times(50, (i) => render(1 + ((i * k) % 37))),
    ...times(20, (i) => persistence({ operation: i % 4 ? 'save' : 'restore', duration: 5 + i * k, success: i % 7 !== 0, error: 'QuotaExceededError', lost: i % 9 ? 0 : 1 })),
    scroll({ avgFps: 50 + k, minFps: 30 + k }),
    memory((10 + k) * MB, 1000 * k),
    ...times(10, (i) => tabsync(i * k, i !== 3)),
    ...times(10, (i) => api(50 * i + k, i === k ? 503 : 200, i % 2 === 0)),
    vital('INP', 100 * k), bundle(10 * k, 1000 * k), dropped(k, 'expired'),
  ];

  test('merging aggregates equals folding the union', () => {
    const a = mixed(1);
    const b = mixed(3);
    const merged = mergeAggregates(fold(a), fold(b));
    const union = fold([...a, ...b]);
    expect(summarize(merged)).toEqual(summarize(union));
    // Order does not matter either (newest memory sample wins both ways).
    expect(summarize(mergeAggregates(fold(b), fold(a)))).toEqual(summarize(union));
  });

  test('merging an empty aggregate changes nothing', () => {
    const x = fold(mixed(2));
    expect(summarize(mergeAggregates(createAggregates(), x))).toEqual(summarize(x));
    expect(summarize(mergeAggregates(fold(mixed(2)), createAggregates()))).toEqual(summarize(x));
  });

  test('aggregates round-trip through JSON and keep folding and merging', () => {
    const agg = fold(mixed(2));
    const back = JSON.parse(JSON.stringify(agg)) as Aggregates;
    expect(back).toEqual(JSON.parse(JSON.stringify(agg)));
    expect(summarize(back)).toEqual(summarize(agg));
    foldEvent(back, render(3));
    mergeAggregates(back, JSON.parse(JSON.stringify(agg)));
    expect(summarize(back).performance.renders.total).toBe(101);
  });
});

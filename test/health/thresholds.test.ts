import { expect, test } from 'vitest';
import { DEFAULT_THRESHOLDS, mergeThresholds, type DeepPartial, type Thresholds } from '../../src/health/thresholds';

test('defaults are seed 001 / SPEC §6', () => {
  expect(DEFAULT_THRESHOLDS).toEqual({
    persistence: { successRate: 95, restoreTime: 200, dataLoss: 0 },
    performance: { renderTime: 16, degradationPercent: 20 },
    memory: { maxUsage: 52_428_800 },
    api: { latency: 500, errorRate: 1 },
    scroll: { minFps: 55, jankPercent: 10 },
    tabSync: { latency: 50, failureRate: 1 },
  });
  expect(mergeThresholds()).toEqual(DEFAULT_THRESHOLDS);
});

test('deep-partial overrides are merged, the defaults untouched', () => {
  const th = mergeThresholds({ api: { latency: 800 }, scroll: { jankPercent: 0 } });
  expect(th.api).toEqual({ latency: 800, errorRate: 1 });
  expect(th.scroll).toEqual({ minFps: 55, jankPercent: 0 });
  expect(th.persistence).toEqual(DEFAULT_THRESHOLDS.persistence);
  expect(DEFAULT_THRESHOLDS.api.latency).toBe(500);
  th.memory.maxUsage = 1;
  expect(DEFAULT_THRESHOLDS.memory.maxUsage).toBe(52_428_800);
});

test('junk values and keys are ignored', () => {
  const junk = {
    api: { latency: '800', errorRate: -1 },
    scroll: { minFps: NaN, jankPercent: Infinity },
    memory: null,
    tabSync: 'fast',
    nope: { x: 1 },
    persistence: { successRate: 99, extra: 5 },
    __proto__: { polluted: true },
  } as unknown as DeepPartial<Thresholds>;
  const th = mergeThresholds(junk);
  expect(th).toEqual({ ...DEFAULT_THRESHOLDS, persistence: { ...DEFAULT_THRESHOLDS.persistence, successRate: 99 } });
  expect(mergeThresholds(42 as unknown as DeepPartial<Thresholds>)).toEqual(DEFAULT_THRESHOLDS);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

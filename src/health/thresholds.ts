// Default alert thresholds: seed 001's alerting configuration, SPEC §6.
import type { VitalName } from '../types';

export interface Thresholds {
  /** successRate: percent (alert below); restoreTime: ms, average restore (alert above); dataLoss: incidents tolerated. */
  persistence: { successRate: number; restoreTime: number; dataLoss: number };
  /** renderTime: ms, p95 (alert above); degradationPercent: current vs baseline, percent worse. */
  performance: { renderTime: number; degradationPercent: number };
  /** maxUsage: bytes of JS heap, peak (alert above). */
  memory: { maxUsage: number };
  /** latency: ms, p95; errorRate: percent. */
  api: { latency: number; errorRate: number };
  /** minFps: average fps (alert below); jankPercent: percent of janky frames. */
  scroll: { minFps: number; jankPercent: number };
  /** latency: ms, p95; failureRate: percent. */
  tabSync: { latency: number; failureRate: number };
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export const DEFAULT_THRESHOLDS: Thresholds = {
  persistence: { successRate: 95, restoreTime: 200, dataLoss: 0 },
  performance: { renderTime: 16, degradationPercent: 20 },
  memory: { maxUsage: 50 * 1024 * 1024 },
  api: { latency: 500, errorRate: 1 },
  scroll: { minFps: 55, jankPercent: 10 },
  tabSync: { latency: 50, failureRate: 1 },
};

/**
 * Defaults with the overrides laid over them. Only known keys holding a finite number >= 0 are taken;
 * anything else (strings, NaN, negative numbers, unknown keys, a non-object) is ignored.
 */
export function mergeThresholds(overrides?: DeepPartial<Thresholds>): Thresholds {
  const out = {} as Record<string, Record<string, number>>;
  const src = (overrides && typeof overrides === 'object' ? overrides : {}) as Record<string, unknown>;
  for (const group in DEFAULT_THRESHOLDS) {
    const defaults = DEFAULT_THRESHOLDS[group as keyof Thresholds] as Record<string, number>;
    const given = src[group];
    const o = given && typeof given === 'object' ? (given as Record<string, unknown>) : {};
    const merged: Record<string, number> = {};
    for (const key in defaults) {
      const v = Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
      merged[key] = typeof v === 'number' && v >= 0 && v < Infinity ? v : defaults[key];
    }
    out[group] = merged;
  }
  return out as unknown as Thresholds;
}

/** [good, poor] boundaries of Web Vitals, as web-vitals rates them (https://web.dev/articles/vitals). */
export const VITAL_THRESHOLDS: Record<VitalName, readonly [number, number]> = {
  LCP: [2500, 4000],
  INP: [200, 500],
  CLS: [0.1, 0.25],
  FCP: [1800, 3000],
  TTFB: [800, 1800],
};


// Health score (seed 001): each category 0–100, overall = weighted average of the categories that
// have data, status from the overall.
import type { VitalName } from '../types';
import type { MetricsSummary } from './summary';
import { VITAL_THRESHOLDS, type Thresholds } from './thresholds';

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy' | 'unknown';
export type Category = 'persistence' | 'performance' | 'memory' | 'api';

export interface Health {
  overall: number | null;
  scores: Record<Category, number | null>;
  status: HealthStatus;
}

/**
 * THE weights, in one place. Seed 001's four categories. Persistence and performance carry most
 * weight: losing a conversation or a janky thread is what a chat user feels; API latency is partly
 * the backend's; memory only hurts once it is large. Tab sync, scroll and Web Vitals are scored
 * inside `performance` (they are how fast the widget feels), not as categories of their own.
 */
export const WEIGHTS: Readonly<Record<Category, number>> = { persistence: 0.35, performance: 0.35, memory: 0.1, api: 0.2 };

/**
 * Status cut-offs. They match the bands below: a figure at seed 001's Good/Degraded boundary scores
 * 90 and one at the Degraded/Critical boundary scores 70, so "healthy" means every category is at
 * least Good on (weighted) average, and "unhealthy" means Critical.
 */
export const HEALTHY = 90;
export const DEGRADED = 70;

/** A persistence category with any data loss beyond the threshold scores at most this (Critical). */
export const DATA_LOSS_CAP = 40;

type Anchors = readonly [a100: number, a90: number, a70: number, a0: number];

/**
 * Piecewise-linear score of x given the values that score 100, 90, 70 and 0 (seed 001 baselines:
 * Excellent | Good | Degraded | Critical). Works both ways: anchors rising (higher is worse, e.g. ms)
 * or falling (higher is better, e.g. fps). `higherIsWorse` says which when the anchors cannot (all
 * equal: a threshold of 0 fps or 100 %).
 */
export function band(x: number, a: Anchors, higherIsWorse = a[3] >= a[0]): number {
  const s = [100, 90, 70, 0];
  const worse = (u: number, v: number) => (higherIsWorse ? u > v : u < v);
  if (!worse(x, a[0])) return 100;
  for (let i = 1; i < 4; i++) {
    if (!worse(x, a[i])) {
      const span = a[i] - a[i - 1];
      return span ? s[i - 1] + ((s[i] - s[i - 1]) * (x - a[i - 1])) / span : s[i];
    }
  }
  return 0;
}

/**
 * Anchors per figure, derived from the thresholds so overrides move the bands with them. With the
 * defaults they reproduce seed 001's table: persistence success 99.5/98/95 %, restore 100/200/300 ms,
 * render 10/16/25 ms, scroll 58/55/45 fps, memory 25/40/60 MB, API 300/500/800 ms. Figures the table
 * does not list (jank, tab sync, error rates, vitals) put the threshold at the Good/Degraded line.
 */
const successAnchors = (t: number): Anchors => {
  const g = 100 - t;
  return [100 - 0.1 * g, 100 - 0.4 * g, t, t - 3 * g];
};
const scaled = (t: number, k: Anchors): Anchors => [t * k[0], t * k[1], t * k[2], t * k[3]];

const score = (x: number | null, a: Anchors, higherIsWorse?: boolean): number | null => (x === null ? null : band(x, a, higherIsWorse));

/** A category is as healthy as its worst figure (an average would hide a broken one). */
const worst = (...xs: (number | null)[]): number | null => {
  let m: number | null = null;
  for (const x of xs) if (x !== null && (m === null || x < m)) m = x;
  return m;
};

export function scoreHealth(s: Omit<MetricsSummary, 'health'>, th: Thresholds): Health {
  const p = s.persistence;
  let persistence = worst(
    score(p.operations.successRate, successAnchors(th.persistence.successRate), false),
    score(p.navigation.successRate, successAnchors(th.persistence.successRate), false),
    score(p.restoration.avgDuration, scaled(th.persistence.restoreTime, [0.5, 1, 1.5, 3])),
  );
  if (p.dataLoss.incidents > th.persistence.dataLoss) persistence = Math.min(persistence ?? DATA_LOSS_CAP, DATA_LOSS_CAP);

  const f = s.performance;
  const vitals = (Object.keys(f.vitals) as VitalName[]).map((n) => {
    const [good, poor] = VITAL_THRESHOLDS[n];
    return score(f.vitals[n].p75, [good / 2, good, poor, 2 * poor]);
  });
  const performance = worst(
    score(f.renders.p95Time, scaled(th.performance.renderTime, [10 / 16, 1, 25 / 16, 4])),
    score(f.scroll.avgFps, scaled(th.scroll.minFps, [58 / 55, 1, 45 / 55, 20 / 55]), false),
    score(f.scroll.jankPercentage, scaled(th.scroll.jankPercent, [0.5, 1, 2, 5])),
    score(f.tabSync.p95, scaled(th.tabSync.latency, [0.5, 1, 2, 6])),
    score(f.tabSync.failureRate, scaled(th.tabSync.failureRate, [0, 1, 5, 20])),
    ...vitals,
  );
  const memory = score(
    s.memory.peakMB === null ? null : s.memory.peakMB * 1024 * 1024,
    scaled(th.memory.maxUsage, [0.5, 0.8, 1.2, 2.4]),
  );
  const api = worst(
    score(s.api.p95, scaled(th.api.latency, [0.6, 1, 1.6, 4])),
    score(s.api.errorRate, scaled(th.api.errorRate, [0, 1, 5, 20])),
  );

  const scores: Record<Category, number | null> = { persistence, performance, memory, api };
  let sum = 0;
  let weight = 0;
  for (const c in scores) {
    const v = scores[c as Category];
    if (v !== null) {
      sum += v * WEIGHTS[c as Category];
      weight += WEIGHTS[c as Category];
      scores[c as Category] = Math.round(v);
    }
  }
  const overall = weight ? Math.round(sum / weight) : null;
  const status: HealthStatus =
    overall === null ? 'unknown' : overall >= HEALTHY ? 'healthy' : overall >= DEGRADED ? 'degraded' : 'unhealthy';
  return { overall, scores, status };
}

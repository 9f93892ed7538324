// Aggregates -> seed 001's metrics shape (SPEC §5). Figures are rounded to 2 decimals; every figure
// that needs data is null when there is none (a 0 would read as "perfect" or "broken").
import type { VitalName } from '../types';
import { VITAL_NAMES, type Aggregates, type Counts } from './aggregates';
import { scoreHealth, type Health } from './score';
import { mean, quantile, type Sketch } from './sketch';
import { DEFAULT_THRESHOLDS, VITAL_THRESHOLDS, type Thresholds } from './thresholds';

type N = number | null;

export type VitalRating = 'good' | 'needs-improvement' | 'poor';

export interface MetricsSummary {
  health: Health;
  persistence: {
    operations: { total: number; failures: number; successRate: N; avgDuration: N; p50: N; p95: N; p99: N; errorsByType: Counts };
    restoration: { total: number; successRate: N; avgDuration: N; p50: N; p95: N; p99: N };
    navigation: { total: number; successRate: N };
    dataLoss: { incidents: number; itemsLost: number; errorsByType: Counts };
  };
  performance: {
    renders: { total: number; avgTime: N; p50Time: N; p95Time: N; p99Time: N; slowRenders: number; slowRenderRate: N };
    scroll: { sessions: number; frames: number; avgFps: N; minFps: N; jankPercentage: N };
    tabSync: { total: number; failures: number; avgLatency: N; p50: N; p95: N; p99: N; failureRate: N };
    /** transferSize: average bytes transferred per load (a load from cache counts 0). */
    bundle: { loads: number; avgDuration: N; transferSize: N };
    /** p75 as web-vitals reports it, rated with web-vitals' thresholds. */
    vitals: Record<VitalName, { count: number; p75: N; rating: VitalRating | null }>;
  };
  memory: { samples: number; currentMB: N; peakMB: N; avgMB: N; heapLimitMB: N };
  api: { total: number; avgDuration: N; p50: N; p95: N; p99: N; errorRate: N; cacheHitRate: N };
  dropped: { total: number; byReason: Counts };
  events: { total: number; byType: Counts; ignored: number };
}

const MB = 1024 * 1024;
const r2 = (x: N): N => (x === null ? null : Math.round(x * 100) / 100);
const pct = (part: number, total: number): N => (total ? r2((part / total) * 100) : null);
const q = (sk: Sketch, p: number): N => r2(quantile(sk, p));
const mb = (bytes: number, n: number): N => (n ? r2(bytes / MB) : null);
const copy = (c: Counts): Counts => Object.assign({}, c);

export function summarize(agg: Aggregates, thresholds: Thresholds = DEFAULT_THRESHOLDS): MetricsSummary {
  const { persist, restore, render, scroll, memory, tabsync, api, bundle } = agg;
  const vitals = {} as MetricsSummary['performance']['vitals'];
  for (const name of VITAL_NAMES) {
    const sk = agg.vitals[name];
    const p75 = quantile(sk, 0.75);
    const [good, poor] = VITAL_THRESHOLDS[name];
    vitals[name] = {
      count: sk.n,
      p75: name === 'CLS' ? (p75 === null ? null : Math.round(p75 * 1000) / 1000) : r2(p75),
      rating: p75 === null ? null : p75 <= good ? 'good' : p75 <= poor ? 'needs-improvement' : 'poor',
    };
  }
  const body: Omit<MetricsSummary, 'health'> = {
    persistence: {
      operations: {
        total: persist.n,
        failures: persist.fail,
        successRate: pct(persist.n - persist.fail, persist.n),
        avgDuration: r2(mean(persist.dur)),
        p50: q(persist.dur, 0.5),
        p95: q(persist.dur, 0.95),
        p99: q(persist.dur, 0.99),
        errorsByType: copy(persist.errors),
      },
      restoration: {
        total: restore.n,
        successRate: pct(restore.ok, restore.n),
        avgDuration: r2(mean(restore.dur)),
        p50: q(restore.dur, 0.5),
        p95: q(restore.dur, 0.95),
        p99: q(restore.dur, 0.99),
      },
      navigation: { total: agg.nav.n, successRate: pct(agg.nav.ok, agg.nav.n) },
      dataLoss: { incidents: agg.loss.n, itemsLost: agg.loss.items, errorsByType: copy(agg.loss.errors) },
    },
    performance: {
      renders: {
        total: render.dur.n,
        avgTime: r2(mean(render.dur)),
        p50Time: q(render.dur, 0.5),
        p95Time: q(render.dur, 0.95),
        p99Time: q(render.dur, 0.99),
        slowRenders: render.slow,
        slowRenderRate: pct(render.slow, render.dur.n),
      },
      scroll: {
        sessions: scroll.n,
        frames: scroll.frames,
        avgFps: scroll.w ? r2(scroll.fpsW / scroll.w) : null,
        minFps: scroll.n ? r2(scroll.minFps) : null,
        jankPercentage: scroll.frames ? r2(scroll.jankW / scroll.frames) : null,
      },
      tabSync: {
        total: tabsync.lat.n + tabsync.fail,
        failures: tabsync.fail,
        avgLatency: r2(mean(tabsync.lat)),
        p50: q(tabsync.lat, 0.5),
        p95: q(tabsync.lat, 0.95),
        p99: q(tabsync.lat, 0.99),
        failureRate: pct(tabsync.fail, tabsync.lat.n + tabsync.fail),
      },
      bundle: {
        loads: bundle.n,
        avgDuration: bundle.n ? r2(bundle.dur / bundle.n) : null,
        transferSize: bundle.n ? Math.round(bundle.size / bundle.n) : null,
      },
      vitals,
    },
    memory: {
      samples: memory.n,
      currentMB: mb(memory.last, memory.n),
      peakMB: mb(memory.peak, memory.n),
      avgMB: mb(memory.sum / (memory.n || 1), memory.n),
      heapLimitMB: memory.limit ? r2(memory.limit / MB) : null,
    },
    api: {
      total: api.dur.n,
      avgDuration: r2(mean(api.dur)),
      p50: q(api.dur, 0.5),
      p95: q(api.dur, 0.95),
      p99: q(api.dur, 0.99),
      errorRate: pct(api.err, api.dur.n),
      cacheHitRate: pct(api.cached, api.dur.n),
    },
    dropped: { total: agg.dropped.n, byReason: copy(agg.dropped.byReason) },
    events: { total: agg.events.n, byType: copy(agg.events.byType), ignored: agg.events.ignored },
  };
  return { health: scoreHealth(body, thresholds), ...body };
}

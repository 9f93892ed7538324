// Alert rules: seed 001's thresholds (SPEC §6) and seed 000's degradation check. A rule looks at one
// window's summary and answers: a hit (with severity, texts after seed 001's examples), `null` (the
// condition is clear: an open alert resolves) or `undefined` (too few samples to tell: nothing changes).
import type { MetricsSummary } from './summary';
import type { Thresholds } from './thresholds';

export type Severity = 'info' | 'warning' | 'error' | 'critical';
export type AlertCategory = 'persistence' | 'performance' | 'memory' | 'api' | 'scroll' | 'tabSync' | 'delivery';

export interface RuleHit {
  severity: Severity;
  title: string;
  message: string;
  metadata: Record<string, unknown>;
}

export interface AlertRule {
  id: string;
  category: AlertCategory;
  check(current: MetricsSummary, th: Thresholds, baseline?: MetricsSummary): RuleHit | null | undefined;
}

/**
 * Samples a rule needs before it may fire or resolve: with fewer, one slow render or one failed
 * call would be noise. Data loss needs none (the first incident alerts), nor does heap peak (one
 * sample over the limit is a real measurement), nor dropped events.
 */
export const MIN_SAMPLES = 20;
/** Scroll rules count frames (2 s at 60 Hz), since one session already averages many frames. */
export const MIN_SCROLL_FRAMES = 120;
/** The degradation check needs this many samples in both the current and the baseline window. */
export const MIN_DEGRADATION_SAMPLES = 30;

const MB = 1024 * 1024;
const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Severity by how far past the threshold a figure is: warning past the threshold, error past seed
 * 001's Critical line (or the given multiple), critical beyond that.
 */
function severity(x: number, error: number, critical: number, higherIsWorse: boolean): Severity {
  const past = (t: number) => (higherIsWorse ? x > t : x < t);
  return past(critical) ? 'critical' : past(error) ? 'error' : 'warning';
}

/** A rule "figure above (or below) threshold", the common case. */
/* @__NO_SIDE_EFFECTS__ */
function limit(
  id: string,
  category: AlertCategory,
  title: string,
  pick: (s: MetricsSummary, th: Thresholds) => { value: number | null; n: number; min: number; threshold: number; meta?: Record<string, unknown> },
  /** error and critical lines as multiples of the threshold */
  errorAt: number,
  criticalAt: number,
  higherIsWorse: boolean,
  text: (value: number, threshold: number) => string,
  valueKey: string,
): AlertRule {
  return {
    id,
    category,
    check(s, th) {
      const { value, n, min, threshold, meta } = pick(s, th);
      if (value === null || n < min) return undefined;
      if (higherIsWorse ? value <= threshold : value >= threshold) return null;
      return {
        severity: severity(value, threshold * errorAt, threshold * criticalAt, higherIsWorse),
        title,
        message: text(value, threshold),
        metadata: { [valueKey]: value, threshold, ...meta },
      };
    },
  };
}

const above = (what: string, unit: string) => (v: number, t: number) => `${what} is ${v}${unit}, above threshold of ${t}${unit}`;
const below = (what: string, unit: string) => (v: number, t: number) => `${what} is ${v}${unit}, below threshold of ${t}${unit}`;

const dataLoss: AlertRule = {
  id: 'data-loss',
  category: 'persistence',
  check(s, th) {
    const d = s.persistence.dataLoss;
    if (d.incidents <= th.persistence.dataLoss) return null;
    return {
      severity: 'critical',
      title: 'Data Loss Detected',
      message: `${d.incidents} data loss incident(s) detected`,
      metadata: { incidents: d.incidents, itemsLost: d.itemsLost, errorsByType: d.errorsByType },
    };
  },
};

const memory: AlertRule = {
  id: 'memory-peak',
  category: 'memory',
  check(s, th) {
    const m = s.memory;
    if (m.peakMB === null) return undefined;
    const thresholdMB = r2(th.memory.maxUsage / MB);
    if (m.peakMB <= thresholdMB) return null;
    return {
      severity: severity(m.peakMB, thresholdMB * 1.2, thresholdMB * 2, true),
      title: 'High Memory Usage',
      message: `Peak memory usage is ${m.peakMB}MB, above threshold of ${thresholdMB}MB`,
      metadata: { peakMB: m.peakMB, thresholdMB, currentMB: m.currentMB, avgMB: m.avgMB },
    };
  },
};

const dropped: AlertRule = {
  id: 'events-dropped',
  category: 'delivery',
  check(s) {
    const d = s.dropped;
    if (!d.total) return null;
    // Info while it is a trickle; a warning once a tenth of what was measured never arrived.
    const share = d.total / (d.total + s.events.total);
    return {
      severity: share > 0.1 ? 'warning' : 'info',
      title: 'Events Dropped',
      message: `${d.total} event(s) dropped before delivery`,
      metadata: { dropped: d.total, byReason: d.byReason, delivered: s.events.total },
    };
  },
};

/** Seed 000: a figure's current window vs its baseline window, `degradationPercent` worse alerts. */
/* @__NO_SIDE_EFFECTS__ */
function degradation(
  id: string,
  label: string,
  category: AlertCategory,
  pick: (s: MetricsSummary) => { avg: number | null; n: number },
  unit: string,
  /** The metric's own threshold: a change smaller than max(1, 5 % of it) is noise, however large in %. */
  scale: (th: Thresholds) => number,
  higherIsWorse = true,
  /** Samples needed in each window (scroll counts frames, as its own rules do). */
  min = MIN_DEGRADATION_SAMPLES,
): AlertRule {
  return {
    id: `degradation-${id}`,
    category,
    check(s, th, baseline) {
      if (!baseline) return undefined;
      const cur = pick(s);
      const base = pick(baseline);
      if (cur.avg === null || base.avg === null || !base.avg) return undefined;
      if (cur.n < min || base.n < min) return undefined;
      const delta = higherIsWorse ? cur.avg - base.avg : base.avg - cur.avg;
      const worse = r2((delta / base.avg) * 100);
      const t = th.performance.degradationPercent;
      // 0.6 ms → 1.2 ms is "100 % worse" and means nothing: sub-millisecond averages only move by noise.
      if (worse <= t || delta < Math.max(1, scale(th) * 0.05)) return null;
      return {
        severity: severity(worse, t * 2.5, t * 5, true),
        title: 'Performance Degradation',
        message: `${label} is ${worse}% worse than baseline (${cur.avg}${unit} vs ${base.avg}${unit}), above threshold of ${t}%`,
        metadata: { currentAvg: cur.avg, baselineAvg: base.avg, degradationPercent: worse, threshold: t, samples: cur.n, baselineSamples: base.n },
      };
    },
  };
}

/** Every rule, in evaluation order. */
export const RULES: readonly AlertRule[] = [
  dataLoss,
  limit(
    'persistence-success-rate', 'persistence', 'Low Persistence Success Rate',
    (s, th) => {
      const o = s.persistence.operations;
      return { value: o.successRate, n: o.total, min: MIN_SAMPLES, threshold: th.persistence.successRate,
        meta: { failures: o.failures, total: o.total, errorsByType: o.errorsByType } };
    },
    // seed 001: below 95 % is already Critical; error below 90 %, critical below 80 % (as multiples of 95).
    90 / 95, 80 / 95, false, below('Persistence success rate', '%'), 'successRate',
  ),
  limit(
    'restore-time', 'persistence', 'Slow Session Restore',
    (s, th) => {
      const r = s.persistence.restoration;
      return { value: r.avgDuration, n: r.total, min: 5, threshold: th.persistence.restoreTime, meta: { p95: r.p95, restores: r.total } };
    },
    1.5, 3, true, above('Average restore time', 'ms'), 'avgDuration',
  ),
  limit(
    'render-p95', 'performance', 'Slow Message Renders',
    (s, th) => {
      const r = s.performance.renders;
      return { value: r.p95Time, n: r.total, min: MIN_SAMPLES, threshold: th.performance.renderTime,
        meta: { slowRenders: r.slowRenders, totalRenders: r.total } };
    },
    25 / 16, 4, true, above('P95 render time', 'ms'), 'p95Time',
  ),
  limit(
    'scroll-fps', 'scroll', 'Low Scroll Frame Rate',
    (s, th) => {
      const c = s.performance.scroll;
      return { value: c.avgFps, n: c.frames, min: MIN_SCROLL_FRAMES, threshold: th.scroll.minFps,
        meta: { minFps: c.minFps, sessions: c.sessions } };
    },
    45 / 55, 30 / 55, false, below('Average scroll frame rate', 'fps'), 'avgFps',
  ),
  limit(
    'scroll-jank', 'scroll', 'Scroll Jank',
    (s, th) => {
      const c = s.performance.scroll;
      return { value: c.jankPercentage, n: c.frames, min: MIN_SCROLL_FRAMES, threshold: th.scroll.jankPercent,
        meta: { frames: c.frames, sessions: c.sessions } };
    },
    2, 4, true, above('Scroll jank', '% of frames'), 'jankPercentage',
  ),
  memory,
  limit(
    'tabsync-p95', 'tabSync', 'Slow Tab Sync',
    (s, th) => {
      const t = s.performance.tabSync;
      return { value: t.p95, n: t.total - t.failures, min: MIN_SAMPLES, threshold: th.tabSync.latency, meta: { avgLatency: t.avgLatency, total: t.total } };
    },
    2, 5, true, above('P95 tab sync latency', 'ms'), 'p95',
  ),
  limit(
    'tabsync-failure-rate', 'tabSync', 'Tab Sync Failures',
    (s, th) => {
      const t = s.performance.tabSync;
      return { value: t.failureRate, n: t.total, min: MIN_SAMPLES, threshold: th.tabSync.failureRate, meta: { failures: t.failures, total: t.total } };
    },
    5, 20, true, above('Tab sync failure rate', '%'), 'failureRate',
  ),
  limit(
    'api-latency', 'api', 'Slow API Responses',
    (s, th) => ({ value: s.api.p95, n: s.api.total, min: MIN_SAMPLES, threshold: th.api.latency, meta: { avgDuration: s.api.avgDuration, total: s.api.total } }),
    1.6, 4, true, above('P95 API latency', 'ms'), 'p95',
  ),
  limit(
    'api-error-rate', 'api', 'High API Error Rate',
    (s, th) => ({ value: s.api.errorRate, n: s.api.total, min: MIN_SAMPLES, threshold: th.api.errorRate, meta: { total: s.api.total } }),
    5, 20, true, above('API error rate', '%'), 'errorRate',
  ),
  dropped,
  degradation('render', 'Average render time', 'performance', (s) => ({ avg: s.performance.renders.avgTime, n: s.performance.renders.total }), 'ms', (th) => th.performance.renderTime),
  degradation('restore', 'Average restore time', 'persistence', (s) => ({ avg: s.persistence.restoration.avgDuration, n: s.persistence.restoration.total }), 'ms', (th) => th.persistence.restoreTime),
  degradation('persistence', 'Average persistence duration', 'persistence', (s) => ({ avg: s.persistence.operations.avgDuration, n: s.persistence.operations.total }), 'ms', (th) => th.persistence.restoreTime),
  degradation('tabsync', 'Average tab sync latency', 'tabSync', (s) => ({ avg: s.performance.tabSync.avgLatency, n: s.performance.tabSync.total - s.performance.tabSync.failures }), 'ms', (th) => th.tabSync.latency),
  degradation('api', 'Average API latency', 'api', (s) => ({ avg: s.api.avgDuration, n: s.api.total }), 'ms', (th) => th.api.latency),
  degradation('scroll', 'Average scroll frame rate', 'scroll', (s) => ({ avg: s.performance.scroll.avgFps, n: s.performance.scroll.frames }), 'fps', (th) => th.scroll.minFps, false, MIN_SCROLL_FRAMES),
];

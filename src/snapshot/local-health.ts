// The widget's own health computed in the page: a subscriber folds each event into 10-second buckets
// of mergeable aggregates; a snapshot merges the buckets of its window, scores them and evaluates the
// alert rules (current window vs the buckets before it for the degradation check, seed 000).
// Independent of the core's module state, so the overlay can run it on a script-tag page too.
import type { ChatVitalsEvent } from '../types';
import type { MonitorInfo } from '../core/subscribe';
import {
  alertStats,
  createAggregates,
  createAlertState,
  evaluateAlerts,
  foldEvent,
  mergeAggregates,
  mergeThresholds,
  resolveAlert,
  resolveSilent,
  summarize,
  type Aggregates,
  type Alert,
  type AlertStats,
  type MetricsSummary,
} from '../health';

const BUCKET_MS = 10_000;
/** Buckets kept: 6 minutes, the longest window plus a baseline. */
const KEEP = 36;
const EVALUATE_EVERY_MS = 5_000;
export const DEFAULT_WINDOW_MS = 60_000;

export interface Snapshot extends MetricsSummary {
  session: string;
  sampled: boolean;
  window: { from: number; to: number; ms: number };
  alerts: { active: Alert[]; stats: AlertStats };
  /** The delivery queue's figures: development builds only. */
  queue?: MonitorInfo['queue'];
}

export interface LocalHealthSource {
  subscribe(listener: (event: ChatVitalsEvent) => void): () => void;
  info(): Partial<MonitorInfo>;
}

export interface LocalHealth {
  getSnapshot(options?: { windowMs?: number }): Snapshot;
  onAlert(cb: (alert: Alert) => void): () => void;
  resolveAlert(id: string): boolean;
  stop(): void;
}

/** The start of the 10 s bucket holding `t`. */
const edgeOf = (t: number) => t - (t % BUCKET_MS);

export function createLocalHealth(source: LocalHealthSource, warn: (kind: string, message: string) => void): LocalHealth {
  const buckets: { start: number; agg: Aggregates }[] = [];
  const alerts = createAlertState();
  const listeners = new Set<(alert: Alert) => void>();
  let timer: ReturnType<typeof setInterval> | undefined;
  /**
   * The window alerts are judged on: the last one a getSnapshot() call asked for (an overlay mounted
   * with `windowMs`), else the default. One window for every judgment: the onAlert timer judging 60 s
   * while a reader judged 5 min would open and resolve the same alert in turn.
   */
  let alertWindowMs = DEFAULT_WINDOW_MS;

  const unsubscribe = source.subscribe((ev) => {
    if (typeof ev.ts !== 'number') return;
    const start = edgeOf(ev.ts);
    // Buckets stay in time order; an event stamped earlier or later than the last one (the caller's
    // own timestamp, or the clock set back) gets its bucket made where it belongs.
    let i = buckets.length;
    while (i && buckets[i - 1].start > start) i--;
    let target = buckets[i - 1];
    if (!target || target.start !== start) {
      target = { start, agg: createAggregates() };
      buckets.splice(i, 0, target);
      // Over the limit the bucket farthest from now goes: the oldest, or after the clock went back
      // the newest (a bucket made now is then never the one dropped).
      if (buckets.length > KEEP) {
        const now = Date.now();
        if (buckets[buckets.length - 1].start - now > now - buckets[0].start) buckets.pop();
        else buckets.shift();
      }
    }
    foldEvent(target.agg, ev, source.info().slowRenderMs);
  });

  function merged(from: number, to: number): Aggregates {
    const agg = createAggregates();
    for (const b of buckets) if (b.start >= from && b.start < to) mergeAggregates(agg, b.agg);
    return agg;
  }

  function emit(changed: Alert[]) {
    for (const alert of changed)
      for (const listener of listeners) {
        try {
          listener(alert);
        } catch (e) {
          warn('onAlert', 'an onAlert callback threw: ' + String(e));
        }
      }
  }

  function evaluate(windowMs: number) {
    const to = Date.now();
    const from = to - windowMs;
    const thresholds = mergeThresholds(source.info().thresholds as never);
    // Up to the bucket holding now: buckets stamped later (the clock went back) are not "the last minute".
    const end = edgeOf(to) + BUCKET_MS;
    const edge = edgeOf(to - alertWindowMs);
    const judged = summarize(merged(edge, end), thresholds);
    // The baseline is the kept span before the window, not whatever buckets a quiet page kept for hours.
    const baseline = summarize(merged(edgeOf(to - KEEP * BUCKET_MS), edge), thresholds);
    const current = windowMs === alertWindowMs ? judged : summarize(merged(edgeOf(from), end), thresholds);
    const result = evaluateAlerts(alerts, judged, { thresholds, now: to, scope: 'local', baseline });
    // Not seen for two windows: the metric went silent (nothing to tell it clear by).
    const silent = resolveSilent(alerts, to, 2 * alertWindowMs);
    emit([...result.opened, ...result.resolved, ...silent]);
    return { current, active: result.active.filter((a) => a.status === 'open'), from, to };
  }

  return {
    getSnapshot(options) {
      const w = options?.windowMs;
      // Longer than the buckets kept (or shorter than one) is as long (short) as there is, not the default.
      const windowMs = typeof w === 'number' && w > 0 ? Math.min(Math.max(w, BUCKET_MS), KEEP * BUCKET_MS) : DEFAULT_WINDOW_MS;
      if (w !== undefined) alertWindowMs = windowMs;
      const { current, active, from, to } = evaluate(windowMs);
      const i = source.info();
      return {
        ...current,
        session: i.session ?? '',
        sampled: i.sampled !== false,
        window: { from, to, ms: windowMs },
        alerts: { active, stats: alertStats(alerts) },
        queue: i.queue,
      };
    },
    onAlert(cb) {
      listeners.add(cb);
      timer ??= setInterval(() => evaluate(alertWindowMs), EVALUATE_EVERY_MS);
      return () => {
        listeners.delete(cb);
        if (!listeners.size && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    resolveAlert(id) {
      const wasOpen = alerts.alerts.some((a) => a.id === id && a.status === 'open');
      const alert = resolveAlert(alerts, id, Date.now());
      // Resolved by hand is resolved too: onAlert hears of it, as the ingest's channels do.
      if (alert && wasOpen) emit([alert]);
      return !!alert;
    },
    stop() {
      unsubscribe();
      if (timer) clearInterval(timer);
      timer = undefined;
      listeners.clear();
    },
  };
}

// getSnapshot() and onAlert(): the widget's own health, computed in the page from the events it
// records (what the overlay shows). Nothing here runs until one of them is first called; from then on
// a tap folds each event into 10-second buckets of mergeable aggregates.
import type { ChatVitalsEvent } from '../types';
import {
  alertStats,
  createAggregates,
  createAlertState,
  evaluateAlerts,
  foldEvent,
  mergeAggregates,
  mergeThresholds,
  resolveAlert as resolveInState,
  summarize,
  type Aggregates,
  type Alert,
  type AlertState,
  type MetricsSummary,
} from '../health';
import { RECENT_LIMIT, state } from '../core/state';
import { warnOnce } from '../core/warn';

const BUCKET_MS = 10_000;
/** Buckets kept: the current window plus a baseline for the degradation check (seed 000). */
const KEEP = 36;
const EVALUATE_EVERY_MS = 5_000;

export interface Snapshot extends MetricsSummary {
  session: string;
  sampled: boolean;
  window: { from: number; to: number; ms: number };
  alerts: { active: Alert[]; stats: ReturnType<typeof alertStats> };
  queue?: ReturnType<NonNullable<typeof state.pipeline>['stats']>;
}

interface Local {
  buckets: { start: number; agg: Aggregates }[];
  alerts: AlertState;
  listeners: Set<(alert: Alert) => void>;
  timer?: ReturnType<typeof setInterval>;
}

let local: Local | undefined;

function fold(ev: ChatVitalsEvent) {
  const l = local!;
  const start = ev.ts - (ev.ts % BUCKET_MS);
  let last = l.buckets[l.buckets.length - 1];
  if (!last || last.start < start) {
    last = { start, agg: createAggregates() };
    l.buckets.push(last);
    if (l.buckets.length > KEEP) l.buckets.shift();
  }
  // Late events (a caller's own timestamp) go to their bucket when we still have it.
  const target = last.start <= ev.ts ? last : l.buckets.find((b) => b.start === start);
  if (target) foldEvent(target.agg, ev, state.config?.slowRenderMs);
}

function ensureLocal(): Local {
  if (local) return local;
  local = { buckets: [], alerts: createAlertState(), listeners: new Set() };
  // Seed with the events recorded before anyone asked, oldest first.
  const r = state.recent;
  for (let i = 0; i < r.length; i++) {
    const ev = r[(state.recentAt + i) % Math.min(r.length, RECENT_LIMIT)];
    if (ev) fold(ev);
  }
  state.recent = [];
  state.taps.push(fold);
  // shutdown() runs this: no timer outlives the monitor.
  state.stops.push(() => {
    if (local?.timer) clearInterval(local.timer);
    local = undefined;
  });
  return local;
}

function merged(from: number, to: number): Aggregates {
  const agg = createAggregates();
  for (const b of local!.buckets) if (b.start >= from && b.start < to) mergeAggregates(agg, b.agg);
  return agg;
}

function evaluate(windowMs: number): { current: MetricsSummary; active: Alert[]; from: number; to: number } {
  const l = ensureLocal();
  const to = Date.now();
  const from = to - windowMs;
  const thresholds = mergeThresholds(state.config?.thresholds as never);
  const current = summarize(merged(from - (from % BUCKET_MS), Infinity), thresholds);
  const baseline = summarize(merged(0, from - (from % BUCKET_MS)), thresholds);
  const { opened, resolved, active } = evaluateAlerts(l.alerts, current, { thresholds, now: to, scope: 'local', baseline });
  for (const alert of [...opened, ...resolved])
    for (const listener of l.listeners) {
      try {
        listener(alert);
      } catch (e) {
        warnOnce('onAlert', 'an onAlert callback threw: ' + String(e));
      }
    }
  return { current, active, from, to };
}

/**
 * Local aggregates and health over the last `windowMs` (default 60 s), the alerts open now and the
 * delivery queue's state. Never throws; before init it still answers, with empty figures.
 */
export function getSnapshot(options?: { windowMs?: number }): Snapshot | undefined {
  try {
    const w = options?.windowMs;
    const windowMs = typeof w === 'number' && w >= BUCKET_MS && w <= KEEP * BUCKET_MS ? w : 60_000;
    const { current, active, from, to } = evaluate(windowMs);
    return {
      ...current,
      session: state.session,
      sampled: state.sampled,
      window: { from, to, ms: windowMs },
      alerts: { active, stats: alertStats(local!.alerts) },
      queue: state.pipeline?.stats(),
    };
  } catch (e) {
    warnOnce('snapshot', 'getSnapshot failed: ' + String(e));
    return undefined;
  }
}

/** Calls `cb` with each local alert as it opens and as it resolves. Returns the unsubscribe. */
export function onAlert(cb: (alert: Alert) => void): () => void {
  try {
    if (typeof cb !== 'function') {
      warnOnce('onAlert:arg', 'onAlert expects a function; ignored.');
      return () => {};
    }
    const l = ensureLocal();
    l.listeners.add(cb);
    l.timer ??= setInterval(() => evaluate(60_000), EVALUATE_EVERY_MS);
    return () => {
      l.listeners.delete(cb);
      if (!l.listeners.size && l.timer) {
        clearInterval(l.timer);
        l.timer = undefined;
      }
    };
  } catch {
    return () => {};
  }
}

/** Resolves a local alert by hand (the overlay's resolve button). */
export function resolveAlert(id: string): boolean {
  try {
    return !!(local && resolveInState(local.alerts, id, Date.now()));
  } catch {
    return false;
  }
}

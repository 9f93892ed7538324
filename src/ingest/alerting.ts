// Runs the alert rules of src/health over the stored minute buckets, per app, persists the alert state and
// hands transitions to the channels. Evaluation is debounced after commits (at most once per interval) and
// runs on demand before alerts are read; one evaluation at a time. Channels are never awaited by ingest.
import {
  createAggregates,
  createAlertState,
  evaluateAlerts,
  mergeAggregates,
  resolveAlert,
  resolveSilent,
  summarize,
  type Aggregates,
  type Alert,
  type AlertState,
  type Thresholds,
} from '../health';
import type { AlertChannel } from './notify';
import type { IngestStore } from './store/types';
import { windowMinutes } from './window';

export interface AlertingDeps {
  store: IngestStore;
  thresholds: Thresholds;
  windowMs: number;
  baselineMs: number;
  intervalMs: number;
  channels: AlertChannel[];
  now: () => number;
  log: Pick<Console, 'error'>;
}

export interface Alerting {
  /** Schedules an evaluation within the interval (called after each commit). */
  poke(): void;
  /** Evaluates now (or joins the one running) and resolves when state is saved. */
  evaluate(): Promise<void>;
  /** Like evaluate, unless nothing was committed since one ran less than 1 s ago: reads call this, so polling stays cheap. */
  refresh(): Promise<void>;
  state(): Promise<AlertState>;
  resolve(id: string): Promise<Alert | undefined>;
  /** Stops the timer and waits (bounded by the channels' own timeouts) for notifications in flight. */
  close(): Promise<void>;
}

export function createAlerting(d: AlertingDeps): Alerting {
  let state: AlertState | undefined;
  let running: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = -Infinity;
  let dirty = false;
  let closed = false;
  const inFlight = new Set<Promise<unknown>>();

  const load = async () => (state ??= (await d.store.loadAlertState()) ?? createAlertState());

  const notify = (kind: 'opened' | 'resolved', alerts: Alert[]) => {
    for (const alert of alerts)
      for (const ch of d.channels) {
        const p = Promise.resolve()
          .then(() => ch({ kind, alert }))
          .catch((e) => d.log.error(`[chat-vitals] alert channel failed: ${(e as Error)?.message ?? e}`))
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
  };

  async function run(): Promise<void> {
    const st = await load();
    const now = d.now();
    last = now;
    dirty = false;
    const cur = windowMinutes(now, d.windowMs);
    const rows = await d.store.buckets({ fromMinute: cur.fromMinute - Math.ceil(d.baselineMs / 60_000), toMinute: cur.toMinute });
    const byApp = new Map<string, { current: Aggregates; baseline: Aggregates }>();
    for (const r of rows) {
      let a = byApp.get(r.app);
      if (!a) byApp.set(r.app, (a = { current: createAggregates(), baseline: createAggregates() }));
      mergeAggregates(r.minute >= cur.fromMinute ? a.current : a.baseline, r.agg);
    }
    for (const [app, a] of byApp) {
      const out = evaluateAlerts(st, summarize(a.current, d.thresholds), {
        thresholds: d.thresholds,
        now,
        scope: app,
        baseline: summarize(a.baseline, d.thresholds),
      });
      notify('opened', out.opened);
      notify('resolved', out.resolved);
    }
    // Not seen for two whole windows: its app went quiet (not in byApp at all) or its metric too thin.
    notify('resolved', resolveSilent(st, now, 2 * d.windowMs));
    await d.store.saveAlertState(st);
  }

  const evaluate = (): Promise<void> =>
    (running ??= run()
      .catch((e) => d.log.error(`[chat-vitals] alert evaluation failed: ${(e as Error)?.message ?? e}`))
      .finally(() => (running = undefined)));

  return {
    poke() {
      dirty = true;
      if (closed || timer) return;
      // Never longer than one interval, even if the clock stepped back since the last evaluation.
      const wait = Math.min(d.intervalMs, Math.max(0, last + d.intervalMs - d.now()));
      timer = setTimeout(() => {
        timer = undefined;
        void evaluate();
      }, wait);
      (timer as { unref?: () => void }).unref?.();
    },
    evaluate,
    refresh: () => (!dirty && d.now() - last < 1000 ? (running ?? Promise.resolve()) : evaluate()),
    state: load,
    async resolve(id) {
      await running;
      const st = await load();
      const wasOpen = st.alerts.some((a) => a.id === id && a.status === 'open');
      const alert = resolveAlert(st, id, d.now());
      if (alert && wasOpen) {
        await d.store.saveAlertState(st);
        notify('resolved', [alert]);
      }
      return alert;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
      await Promise.allSettled([...inFlight]);
    },
  };
}

// Prometheus text exposition (format 0.0.4). Histograms and counters are this process's own, counted once per
// newly committed event: monotonic until restart, which is what rate()/histogram_quantile() expect, and what lets
// Prometheus sum several replicas. (Totals re-read from minute buckets would shrink when retention deletes, which
// Prometheus would misread as counter resets.) Labels are app and release, plus bounded enums; never a session,
// message or URL.
import type { ChatVitalsEvent } from '../types';

/** Upper bounds in seconds (Prometheus base unit); the SDK reports ms. Chosen around SPEC §6 thresholds. */
export const HISTOGRAMS = {
  render: { name: 'chat_vitals_render_duration_seconds', help: 'Message render time to next paint.', le: [0.004, 0.008, 0.016, 0.025, 0.05, 0.1, 0.25, 0.5, 1] },
  tabsync: { name: 'chat_vitals_tab_sync_latency_seconds', help: 'Cross-tab sync latency.', le: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] },
  api: { name: 'chat_vitals_api_duration_seconds', help: 'API call duration seen by the widget.', le: [0.05, 0.1, 0.25, 0.5, 0.8, 1, 2.5, 5, 10] },
} as const;

type HistKind = keyof typeof HISTOGRAMS;
/** Non-cumulative counts per bucket (last = +Inf) and the sum; made cumulative on output. */
interface Hist {
  counts: number[];
  sum: number;
}

export interface LiveMetrics {
  observe(app: string, release: string, events: readonly ChatVitalsEvent[]): void;
  countEvents(result: 'accepted' | 'duplicate' | 'rejected', n: number): void;
  countRequest(status: number): void;
  render(gauges: Gauge[]): string;
}

export interface Gauge {
  name: string;
  help: string;
  samples: Array<{ labels: Record<string, string>; value: number }>;
}

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Record<string, string>) => {
  const parts = Object.keys(labels).map((k) => `${k}="${escape(labels[k]!)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};
const fmt = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN');

export function createLiveMetrics(): LiveMetrics {
  // scope key (JSON [app, release]) -> kind -> histogram
  const hists = new Map<string, Partial<Record<HistKind, Hist>>>();
  const perType = new Map<string, number>(); // JSON [app, release, type] -> count
  const results: Record<string, number> = { accepted: 0, duplicate: 0, rejected: 0 };
  const requests = new Map<number, number>();

  const add = (scope: Partial<Record<HistKind, Hist>>, kind: HistKind, ms: number) => {
    const le = HISTOGRAMS[kind].le;
    const h = (scope[kind] ??= { counts: new Array<number>(le.length + 1).fill(0), sum: 0 });
    const s = ms / 1000;
    let i = 0;
    while (i < le.length && s > le[i]!) i++;
    h.counts[i]!++;
    h.sum += s;
  };

  return {
    observe(app, release, events) {
      const key = JSON.stringify([app, release]);
      let scope = hists.get(key);
      if (!scope) hists.set(key, (scope = {}));
      for (const ev of events) {
        const tk = JSON.stringify([app, release, ev.type]);
        perType.set(tk, (perType.get(tk) ?? 0) + 1);
        if (ev.type === 'render') add(scope, 'render', ev.renderTime);
        else if (ev.type === 'tabsync') add(scope, 'tabsync', ev.latency);
        else if (ev.type === 'api') add(scope, 'api', ev.duration);
      }
    },
    countEvents(result, n) {
      results[result]! += n;
    },
    countRequest(status) {
      requests.set(status, (requests.get(status) ?? 0) + 1);
    },
    render(gauges) {
      const out: string[] = [];
      const head = (name: string, type: string, help: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const kind of Object.keys(HISTOGRAMS) as HistKind[]) {
        const { name, help, le } = HISTOGRAMS[kind];
        head(name, 'histogram', help);
        for (const [key, scope] of hists) {
          const h = scope[kind];
          if (!h) continue;
          const [app, release] = JSON.parse(key) as [string, string];
          let cumulative = 0;
          h.counts.forEach((c, i) => {
            cumulative += c;
            const bound = i < le.length ? String(le[i]) : '+Inf';
            out.push(`${name}_bucket${labelText({ app, release, le: bound })} ${cumulative}`);
          });
          out.push(`${name}_sum${labelText({ app, release })} ${fmt(h.sum)}`, `${name}_count${labelText({ app, release })} ${cumulative}`);
        }
      }
      head('chat_vitals_events_total', 'counter', 'Events committed (new, after dedupe) by type.');
      for (const [key, n] of perType) {
        const [app, release, type] = JSON.parse(key) as [string, string, string];
        out.push(`chat_vitals_events_total${labelText({ app, release, type })} ${n}`);
      }
      head('chat_vitals_ingest_events_total', 'counter', 'Events received by outcome: accepted, duplicate, rejected.');
      for (const r of Object.keys(results)) out.push(`chat_vitals_ingest_events_total${labelText({ result: r })} ${results[r]}`);
      head('chat_vitals_ingest_requests_total', 'counter', 'Ingest requests by HTTP status.');
      for (const [status, n] of requests) out.push(`chat_vitals_ingest_requests_total${labelText({ status: String(status) })} ${n}`);
      for (const g of gauges) {
        head(g.name, 'gauge', g.help);
        for (const s of g.samples) out.push(`${g.name}${labelText(s.labels)} ${fmt(s.value)}`);
      }
      return out.join('\n') + '\n';
    },
  };
}

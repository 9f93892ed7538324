// The dashboard of seed 001 as HTML strings: the health header (overall score, category bars) and the
// four tabs. Pure functions of the data, shared by the in-page overlay (getSnapshot) and the ingest
// dashboard (/api/metrics), so both show the same figures the same way.
import type { Alert, AlertStats, MetricsSummary, Thresholds } from '../health';
import { clock, esc, fmt, grade, scoreGrade, type Grade } from './format';
import { trend, type Point, type Series } from './history';
import { sparkline } from './sparkline';

/** What both sources answer: getSnapshot() and GET /api/metrics (which says when, on the server's clock). */
export type PanelData = MetricsSummary & { alerts?: { active: Alert[]; stats?: AlertStats }; generatedAt?: number };

export type Tab = 'persistence' | 'performance' | 'memory' | 'alerts';
export const TABS: readonly [Tab, string][] = [
  ['persistence', 'Persistence'],
  ['performance', 'Performance'],
  ['memory', 'Memory & API'],
  ['alerts', 'Alerts'],
];

const CATEGORY_LABELS = { persistence: 'Persistence', performance: 'Performance', memory: 'Memory', api: 'API' } as const;

export function renderHealth(d: PanelData): string {
  const h = d.health;
  const bars = (Object.keys(CATEGORY_LABELS) as (keyof typeof CATEGORY_LABELS)[])
    .map((c) => {
      const s = h.scores[c];
      return `<div class="bar ${scoreGrade(s)}"><span>${CATEGORY_LABELS[c]}</span><meter min="0" max="100" low="70" high="90" optimum="100" value="${s ?? 0}" aria-label="${CATEGORY_LABELS[c]} score"></meter><b>${s ?? '–'}</b></div>`;
    })
    .join('');
  const open = d.alerts?.active.length ?? 0;
  return (
    `<div class="score ${scoreGrade(h.overall)}" role="status"><b data-score>${h.overall ?? '–'}</b><span>${esc(h.status)}</span>` +
    (open ? `<em class="badge ${worstSeverity(d.alerts!.active)}">${open} alert${open > 1 ? 's' : ''}</em>` : '') +
    `</div><div class="bars">${bars}</div>`
  );
}

const ORDER = ['info', 'warning', 'error', 'critical'];
const worstSeverity = (alerts: Alert[]) => alerts.reduce((w, a) => (ORDER.indexOf(a.severity) > ORDER.indexOf(w) ? a.severity : w), 'info');

interface Fig {
  label: string;
  value: string;
  grade?: Grade;
}

const fig = (label: string, v: number | null | undefined, unit: string, g?: Grade, digits?: number): Fig => ({ label, value: fmt(v, unit, digits), grade: g });

const ARROWS = { '1': '▲', '0': '▶', '-1': '▼' } as const;

/** A metric card: a headline figure, optional chart with trend arrow, and smaller figures below. */
function card(title: string, main: Fig, rest: Fig[], chart?: { points: Point[]; key: Series; limit: number; higherIsWorse: boolean }): string {
  let extra = '';
  if (chart) {
    const t = trend(chart.points, chart.key);
    if (t !== undefined) {
      const g = t === 0 ? 'flat' : (t > 0) === chart.higherIsWorse ? 'bad' : 'good';
      extra += `<i class="trend ${g}" title="trend over the last minute">${ARROWS[t]}</i>`;
    }
    extra += sparkline(chart.points.map((p) => p[chart.key]), { label: title + ' over time', limit: chart.limit });
  }
  const small = rest.map((f) => `<div class="${f.grade ?? ''}"><dt>${f.label}</dt><dd>${f.value}</dd></div>`).join('');
  return `<section class="card ${main.grade ?? ''}"><h3>${title}</h3><p class="main"><b>${main.value}</b> <small>${main.label}</small>${extra}</p><dl>${small}</dl></section>`;
}

const counts = (c: Record<string, number>) => {
  const e = Object.entries(c);
  return e.length ? e.map(([k, v]) => `${esc(k)} ${v}`).join(', ') : 'none';
};

function persistence(d: PanelData, t: Thresholds): string {
  const p = d.persistence;
  const sr = t.persistence.successRate;
  const rt = t.persistence.restoreTime;
  const o = p.operations;
  const r = p.restoration;
  return (
    card('Operations', fig('success rate', o.successRate, '%', grade(o.successRate, 99, sr), 2), [
      fig('operations', o.total, ''),
      fig('failures', o.failures, '', o.failures ? 'warn' : undefined),
      fig('avg', o.avgDuration, ' ms'),
      fig('P50', o.p50, ' ms'),
      fig('P95', o.p95, ' ms'),
      fig('P99', o.p99, ' ms'),
      { label: 'errors', value: counts(o.errorsByType) },
    ]) +
    card('Restoration', fig('avg restore', r.avgDuration, ' ms', grade(r.avgDuration, rt / 2, rt)), [
      fig('restores', r.total, ''),
      fig('success', r.successRate, '%', grade(r.successRate, 99, sr), 2),
      fig('P50', r.p50, ' ms'),
      fig('P95', r.p95, ' ms'),
      fig('P99', r.p99, ' ms'),
    ]) +
    card('Navigation', fig('preserved', p.navigation.successRate, '%', grade(p.navigation.successRate, 99, sr), 2), [
      fig('page changes', p.navigation.total, ''),
    ]) +
    card('Data loss', fig('incidents', p.dataLoss.incidents, '', p.dataLoss.incidents > t.persistence.dataLoss ? 'bad' : 'good', 0), [
      fig('items lost', p.dataLoss.itemsLost, '', p.dataLoss.itemsLost ? 'bad' : undefined, 0),
      { label: 'causes', value: counts(p.dataLoss.errorsByType) },
    ])
  );
}

function performance(d: PanelData, t: Thresholds, points: Point[]): string {
  const { renders: r, scroll: s, tabSync: y, vitals, bundle } = d.performance;
  const rt = t.performance.renderTime;
  const vit = (Object.keys(vitals) as (keyof typeof vitals)[]).map((n) => {
    const v = vitals[n];
    return { label: n + ' p75', value: fmt(v.p75, n === 'CLS' ? '' : ' ms', n === 'CLS' ? 3 : 0), grade: (v.rating === 'good' ? 'good' : v.rating === 'poor' ? 'bad' : v.rating ? 'warn' : undefined) as Grade | undefined };
  });
  return (
    card('Message renders', fig('P95', r.p95Time, ' ms', grade(r.p95Time, rt * 0.625, rt)), [
      fig('renders', r.total, ''),
      fig('avg', r.avgTime, ' ms'),
      fig('P50', r.p50Time, ' ms'),
      fig('P99', r.p99Time, ' ms'),
      fig('slow', r.slowRenderRate, '%', grade(r.slowRenderRate, 2, 5)),
    ], { points, key: 'render', limit: rt, higherIsWorse: true }) +
    card('Scroll', fig('avg FPS', s.avgFps, ' fps', grade(s.avgFps, 58, t.scroll.minFps)), [
      fig('min FPS', s.minFps, ' fps'),
      fig('jank', s.jankPercentage, '%', grade(s.jankPercentage, t.scroll.jankPercent / 2, t.scroll.jankPercent)),
      fig('sessions', s.sessions, ''),
      fig('frames', s.frames, ''),
    ], { points, key: 'fps', limit: t.scroll.minFps, higherIsWorse: false }) +
    card('Tab sync', fig('P95', y.p95, ' ms', grade(y.p95, t.tabSync.latency / 2, t.tabSync.latency)), [
      fig('messages', y.total, ''),
      fig('avg', y.avgLatency, ' ms'),
      fig('P50', y.p50, ' ms'),
      fig('P99', y.p99, ' ms'),
      fig('failures', y.failureRate, '%', grade(y.failureRate, t.tabSync.failureRate / 2, t.tabSync.failureRate)),
    ], { points, key: 'sync', limit: t.tabSync.latency, higherIsWorse: true }) +
    card('Load & Web Vitals', fig('bundle load', bundle.avgDuration, ' ms'), [
      fig('bundle KB', bundle.transferSize == null ? null : bundle.transferSize / 1024, ''),
      ...vit,
    ])
  );
}

function memoryApi(d: PanelData, t: Thresholds, points: Point[]): string {
  const m = d.memory;
  const a = d.api;
  const maxMB = t.memory.maxUsage / 1048576;
  const lat = t.api.latency;
  return (
    card('JS heap', fig('current', m.currentMB, ' MB', grade(m.currentMB, maxMB * 0.8, maxMB)), [
      fig('peak', m.peakMB, ' MB', grade(m.peakMB, maxMB * 0.8, maxMB)),
      fig('avg', m.avgMB, ' MB'),
      fig('limit', m.heapLimitMB, ' MB', undefined, 0),
      fig('samples', m.samples, ''),
    ], { points, key: 'heap', limit: maxMB, higherIsWorse: true }) +
    card('API', fig('P95', a.p95, ' ms', grade(a.p95, lat * 0.6, lat), 0), [
      fig('calls', a.total, ''),
      fig('avg', a.avgDuration, ' ms', undefined, 0),
      fig('P50', a.p50, ' ms', undefined, 0),
      fig('P99', a.p99, ' ms', undefined, 0),
      fig('errors', a.errorRate, '%', grade(a.errorRate, t.api.errorRate / 2, t.api.errorRate)),
      fig('cache hits', a.cacheHitRate, '%'),
    ], { points, key: 'api', limit: lat, higherIsWorse: true }) +
    card('Delivery', fig('events', d.events.total, ''), [
      fig('dropped', d.dropped.total, '', d.dropped.total ? 'warn' : 'good', 0),
      { label: 'drop reasons', value: counts(d.dropped.byReason) },
    ])
  );
}

function alerts(d: PanelData): string {
  const active = d.alerts?.active ?? [];
  const st = d.alerts?.stats;
  const list = active.length
    ? active
        .map(
          (a) =>
            `<li class="alert" data-alert="${esc(a.id)}"><em class="badge ${esc(a.severity)}">${esc(a.severity)}</em><div><b>${esc(a.title)}</b><p>${esc(a.message)}</p>` +
            `<small>${esc(a.category)} · since ${clock(a.firstSeen)} · seen ${a.count}×${a.scope && a.scope !== 'global' && a.scope !== 'local' ? ' · ' + esc(a.scope) : ''}</small></div>` +
            `<button type="button" data-resolve="${esc(a.id)}" aria-label="Resolve ${esc(a.title)}">Resolve</button></li>`,
        )
        .join('')
    : '<li class="none">No active alerts</li>';
  const stats = st
    ? `<dl class="stats"><div><dt>open</dt><dd>${st.open}</dd></div><div><dt>resolved</dt><dd>${st.resolved}</dd></div>` +
      Object.entries(st.bySeverity).map(([k, v]) => `<div class="${esc(k)}"><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('') +
      `</dl><p class="cats">by category: ${counts(st.byCategory)}</p>`
    : '';
  return `<ul class="alerts">${list}</ul>${stats}`;
}

export function renderTab(tab: Tab, d: PanelData, t: Thresholds, points: Point[]): string {
  return tab === 'persistence' ? persistence(d, t) : tab === 'performance' ? performance(d, t, points) : tab === 'memory' ? memoryApi(d, t, points) : alerts(d);
}

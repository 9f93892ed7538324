// The figures the charts and trend arrows need, one point per refresh. Neither getSnapshot() nor
// /api/metrics returns a series, so the panel keeps its own (bounded) history of what it saw.
import type { MetricsSummary } from '../health/summary';

export interface Point {
  t: number;
  score: number | null;
  render: number | null;
  fps: number | null;
  heap: number | null;
  api: number | null;
  sync: number | null;
}

export type Series = Exclude<keyof Point, 't'>;

export function toPoint(s: MetricsSummary, t: number): Point {
  return {
    t,
    score: s.health.overall,
    render: s.performance.renders.p95Time,
    fps: s.performance.scroll.avgFps,
    heap: s.memory.currentMB,
    api: s.api.p95,
    sync: s.performance.tabSync.p95,
  };
}

export function createHistory(limit = 120) {
  const points: Point[] = [];
  return {
    points,
    push(p: Point) {
      points.push(p);
      if (points.length > limit) points.splice(0, points.length - limit);
    },
    clear() {
      points.length = 0;
    },
  };
}

/**
 * Direction of a series: the latest value against the one `lookbackMs` before it (or the oldest
 * point we have). Changes under 5 % read as flat, so noise does not flip the arrow.
 */
export function trend(points: Point[], key: Series, lookbackMs = 60_000): -1 | 0 | 1 | undefined {
  let last: Point | undefined;
  for (let i = points.length - 1; i >= 0 && !last; i--) if (points[i][key] != null) last = points[i];
  if (!last) return undefined;
  let base: Point | undefined;
  for (const p of points) {
    if (p === last) break;
    if (p[key] != null) {
      base = p;
      if (p.t >= last.t - lookbackMs) break;
    }
  }
  if (!base) return undefined;
  const a = base[key]!;
  const b = last[key]!;
  const d = b - a;
  return Math.abs(d) <= Math.abs(a) * 0.05 ? 0 : d > 0 ? 1 : -1;
}

// An inline SVG sparkline: a polyline over the points that have a value, and the threshold as a
// dashed line when it falls inside the range. No chart library: a chart here is ~300 bytes of markup.
import { esc } from './format';

export function sparkline(values: (number | null)[], opts: { label: string; limit?: number; w?: number; h?: number } = { label: '' }): string {
  const w = opts.w ?? 120;
  const h = opts.h ?? 28;
  const xs: [number, number][] = [];
  values.forEach((v, i) => v != null && isFinite(v) && xs.push([i, v]));
  const label = esc(opts.label);
  // Until the second refresh there is no line to draw: say so rather than leave a blank gap.
  if (xs.length < 2)
    return `<svg class="spark" width="${w}" height="${h}" role="img" aria-label="${label}: not enough data"><text x="1" y="${h / 2 + 4}">${xs.length ? 'chart after the next refresh' : 'no data yet'}</text></svg>`;
  let lo = Math.min(...xs.map((p) => p[1]));
  let hi = Math.max(...xs.map((p) => p[1]));
  const limit = opts.limit;
  if (limit != null && limit <= hi * 1.5 && limit >= lo / 1.5) {
    lo = Math.min(lo, limit);
    hi = Math.max(hi, limit);
  }
  if (hi === lo) hi = lo + 1;
  const n = Math.max(values.length - 1, 1);
  const x = (i: number) => ((i / n) * (w - 2) + 1).toFixed(1);
  const y = (v: number) => (h - 2 - ((v - lo) / (hi - lo)) * (h - 4)).toFixed(1);
  const line = xs.map(([i, v]) => x(i) + ',' + y(v)).join(' ');
  const guide = limit != null && limit >= lo && limit <= hi ? `<line class="limit" x1="0" x2="${w}" y1="${y(limit)}" y2="${y(limit)}"/>` : '';
  return `<svg class="spark" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${label}">${guide}<polyline points="${line}"/></svg>`;
}

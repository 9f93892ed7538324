// Small formatting helpers shared by the overlay and the dashboard. Everything that ends up in
// innerHTML and did not come from our own code goes through esc().
export type Grade = 'good' | 'warn' | 'bad' | 'na';

export const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');

/** A figure with its unit, or an en dash when there is no data (null is "no data", never 0). */
export const fmt = (v: number | null | undefined, unit = '', digits = 1): string =>
  v == null || !isFinite(v) ? '–' : +v.toFixed(digits) + unit;

/**
 * Good / warn / bad for one figure. `bad` is the alert threshold, `warn` the start of the margin
 * before it; when warn < bad higher is worse (ms, MB), otherwise lower is worse (fps, %).
 */
export function grade(v: number | null | undefined, warn: number, bad: number): Grade {
  if (v == null) return 'na';
  const up = warn < bad;
  if (up ? v > bad : v < bad) return 'bad';
  return (up ? v > warn : v < warn) ? 'warn' : 'good';
}

/** Score bands of the health module: >= 90 healthy, >= 70 degraded, below unhealthy. */
export const scoreGrade = (s: number | null | undefined): Grade => (s == null ? 'na' : s >= 90 ? 'good' : s >= 70 ? 'warn' : 'bad');

export const clock = (t: number): string => new Date(t).toLocaleTimeString([], { hour12: false });

export const span = (ms: number): string =>
  ms >= 3_600_000 ? +(ms / 3_600_000).toFixed(1) + ' h' : ms >= 60_000 ? +(ms / 60_000).toFixed(1) + ' min' : Math.round(ms / 1000) + ' s';

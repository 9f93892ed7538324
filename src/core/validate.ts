// Argument checks for the public track calls. They never throw: a bad call warns once per kind and
// is skipped (returns undefined), and nothing else is lost.
import { warnOnce } from './warn';

const HOUR = 3_600_000;

/** A finite number from 0 to max, or undefined. */
export function nonNegative(value: unknown, max: number): number | undefined {
  return typeof value === 'number' && value >= 0 && value <= max ? value : undefined;
}

/** A short label: strings and finite numbers, capped at 128 characters. */
export function shortText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.slice(0, 128);
  if (typeof value === 'number' && value === value) return String(value);
  return undefined;
}

/**
 * The caller's timestamp (epoch ms or Date) when it is within a day of now; otherwise now. A wrong
 * clock on the caller's side must not backdate events by days (clock drift, performance.now after sleep).
 */
export function timestamp(value: unknown): number | undefined {
  const t = typeof value === 'number' ? value : value instanceof Date ? value.getTime() : NaN;
  return t > 0 && Math.abs(t - Date.now()) < 24 * HOUR ? t : undefined;
}

export function reject(call: string, why: string): undefined {
  warnOnce('arg:' + call + ':' + why, `${call}: ${why}; the call was ignored.`);
  return undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

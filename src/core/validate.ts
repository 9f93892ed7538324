// Argument checks shared by the track calls and the helpers. They never throw.

/** A finite number from 0 to max, or undefined. */
export function nonNegative(value: unknown, max: number): number | undefined {
  return typeof value === 'number' && value >= 0 && value <= max ? value : undefined;
}

/** A short label: strings, and numbers other than NaN (as text), capped at 128 characters. */
export function shortText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.slice(0, 128);
  if (typeof value === 'number' && value === value) return String(value);
  return undefined;
}

/**
 * The caller's timestamp (epoch ms or Date) when it is within a day of now; otherwise undefined (now
 * is used). A wrong clock on the caller's side must not backdate events by days.
 */
export function timestamp(value: unknown): number | undefined {
  const t = value instanceof Date ? +value : value;
  return typeof t === 'number' && Math.abs(t - Date.now()) < 86_400_000 ? t : undefined;
}

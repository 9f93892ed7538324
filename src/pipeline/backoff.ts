// When to try again after a failed delivery.

/** The longest wait, and the probe period once the endpoint looks blocked. */
export const CAP_MS = 300_000;
/** Consecutive failures after which we only probe every CAP_MS: an endpoint blocked by CSP or an ad-blocker must not cause a request storm. */
export const SLOW_AFTER = 5;

/** Exponential backoff (1 s, 2 s, 4 s, …) with full jitter, then one probe per CAP_MS. */
export const backoff = (failures: number, random: () => number): number =>
  failures >= SLOW_AFTER ? CAP_MS : random() * 1000 * 2 ** (failures - 1);

/**
 * Retry-After (delta-seconds or an HTTP date) in ms from now, at most an hour (a misconfigured server
 * must not silence us for days); undefined when absent or unreadable. A date in the past means now.
 */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  // Dates have letters (RegExp.test reads null as 'null', which Date.parse rejects like any other non-date).
  const ms = value && +value >= 0 ? +value * 1000 : /[a-z]/i.test(value!) ? Math.max(0, Date.parse(value!) - now) : NaN;
  return ms >= 0 ? Math.min(ms, 3_600_000) : undefined;
}

/** Network errors (status 0), 408, 429 and 5xx are worth retrying; any other non-2xx is final. */
export const retryable = (status: number): boolean => !status || status == 408 || status == 429 || status >= 500;

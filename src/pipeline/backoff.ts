// When to try again after a failed delivery.

export const BASE_MS = 1000;
/** The longest wait, and the probe period once the endpoint looks blocked. */
export const CAP_MS = 300_000;
/** Consecutive failures after which we only probe every CAP_MS: an endpoint blocked by CSP or an ad-blocker must not cause a request storm. */
export const SLOW_AFTER = 5;
/** A Retry-After longer than this is clamped (a misconfigured server must not silence us for days). */
const MAX_RETRY_AFTER_MS = 3_600_000;

/** Exponential backoff with full jitter, then one probe per CAP_MS. */
export const backoff = (failures: number, random: () => number): number =>
  failures >= SLOW_AFTER ? CAP_MS : random() * Math.min(CAP_MS, BASE_MS * 2 ** (failures - 1));

/** Retry-After (delta-seconds or an HTTP date) in ms from now; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  // An HTTP date in the past means "now"; anything else unreadable is ignored (NaN fails the test below).
  const ms = /^\s*\d+\s*$/.test(value) ? +value * 1000 : /[a-z]/i.test(value) ? Math.max(0, Date.parse(value) - now) : NaN;
  return ms >= 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : undefined;
}

/** Network errors (status 0), 408, 429 and 5xx are worth retrying; any other non-2xx is final. */
export const retryable = (status: number): boolean => !status || status === 408 || status === 429 || status >= 500;

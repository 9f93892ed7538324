// When to try again after a failed delivery.

/** The longest wait, and the probe period once the endpoint looks blocked. */
export const CAP_MS = 300_000;
/**
 * The longest any wait may be, Retry-After included: a misconfigured server, or a wall clock stepped
 * back, must not silence us for days.
 */
export const MAX_WAIT_MS = 3_600_000;
/** Consecutive failures after which we only probe every CAP_MS: an endpoint blocked by CSP or an ad-blocker must not cause a request storm. */
export const SLOW_AFTER = 5;

/**
 * How long to wait after the `failures`-th failure in a row: the server's Retry-After in seconds, at
 * most MAX_WAIT_MS; else exponential backoff (1 s, 2 s, 4 s, …) with full jitter, then one probe per
 * CAP_MS. The HTTP-date form of Retry-After (rare on 429/503; our ingest sends seconds) gets the plain
 * backoff: 45 bytes not worth shipping.
 */
export function wait(failures: number, random: () => number, retryAfter?: string | null): number {
  return retryAfter && +retryAfter >= 0
    ? Math.min(+retryAfter * 1000, MAX_WAIT_MS)
    : failures < SLOW_AFTER
      ? random() * 1000 * 2 ** (failures - 1)
      : CAP_MS;
}

/** Network errors (status 0), 408, 429 and 5xx are worth retrying; any other non-2xx is final. */
export const retryable = (status: number): boolean => !status || status == 408 || status == 429 || status >= 500;

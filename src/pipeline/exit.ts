// Page exit: hand what is in memory to sendBeacon synchronously, before any await can be cut short.
import { body } from './chunk';
import { keepaliveRoom, post } from './transport';
import type { Batch } from './types';

/**
 * Beacons batches (each already under the per-request limit) while they fit in what is left of the
 * page's 64 KiB keepalive budget; a batch that does not fit is skipped (the caller persists all of
 * them for the next visit anyway). Falls back to a keepalive fetch when sendBeacon is missing or
 * refuses.
 */
export function beacon(
  batches: Batch[],
  url: string,
  sentAt: number,
  sendBeacon: ((url: string, body: string) => boolean) | undefined,
  fetchFn: typeof fetch | undefined,
): void {
  let budget = keepaliveRoom();
  for (const b of batches) {
    if (b.s >= budget) continue;
    const text = body(b, sentAt);
    let ok = false;
    try {
      ok = !!sendBeacon && sendBeacon(url, text);
    } catch {
      // a throwing sendBeacon (bad URL, sandbox) falls back like a refusing one
    }
    // post() calls fetch before its first await, so the request starts inside this handler.
    if (!ok) void post(fetchFn, url, text, b.s);
    budget -= b.s;
  }
}

/** The page's sendBeacon, looked up at call time (tests and polyfills may replace it). */
export const pageBeacon = (): ((url: string, body: string) => boolean) | undefined =>
  typeof navigator != 'undefined' && typeof navigator.sendBeacon == 'function'
    ? (url, text) => navigator.sendBeacon(url, text)
    : undefined;

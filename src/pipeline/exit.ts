// Page exit: hand what is in memory to sendBeacon synchronously, before any await can be cut short.
import { body } from './chunk';
import { keepaliveRoom, post } from './transport';
import type { Batch, PipelineOptions } from './types';

/**
 * Beacons batches (each already under the per-request limit) while they fit in what is left of the
 * page's 64 KiB keepalive budget; a batch that does not fit is skipped (the caller persists all of
 * them for the next visit anyway). Falls back to a keepalive fetch when sendBeacon is missing,
 * throws (bad URL, sandbox) or refuses.
 */
export function beacon(batches: Batch[], o: PipelineOptions): void {
  let budget = keepaliveRoom;
  for (const b of batches)
    if (b.s < budget) {
      let ok;
      try {
        // The page's sendBeacon is looked up now: tests and polyfills may replace it.
        const text = body(b, o.now());
        ok = o.sendBeacon ? o.sendBeacon(o.endpoint, text) : navigator.sendBeacon(o.endpoint, text);
      } catch {}
      // post() without gzip calls fetch before its first await: the request starts inside this handler.
      if (!ok) post(o, b);
      budget -= b.s;
    }
}

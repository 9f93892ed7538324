// Page exit: hand what is in memory to sendBeacon synchronously, before any await can be cut short.
import { keepaliveRoom, post } from './transport';
import type { Batch, PipelineOptions } from './types';

/**
 * Beacons batches (each already under the per-request limit) while they fit in what is left of the
 * page's 64 KiB keepalive budget; a batch that does not fit is skipped (the caller persists all of
 * them for the next visit anyway). post() falls back to a keepalive fetch when sendBeacon is
 * missing, throws or refuses. The key of each batch the browser took (or the fallback got a 2xx
 * for) goes into `done`. A batch an earlier hide beaconed (its write may still be in flight, so it is
 * in memory again) is marked at once, not when the answer comes: it is never beaconed twice.
 */
export function beacon(batches: Batch[], o: PipelineOptions, done: Set<string>): void {
  let budget = keepaliveRoom;
  for (const b of batches)
    if (!b.x && b.s < budget) (b.x = 1), (budget -= b.s), post(o, b, true).then(([s]) => s && s < 300 && done.add(b.k));
}

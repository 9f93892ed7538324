// Page exit: hand what is in memory to sendBeacon synchronously, before any await can be cut short.
import { keepaliveRoom, post } from './transport';
import type { Batch, PipelineOptions } from './types';

/**
 * Beacons batches (each already under the per-request limit) while they fit in what is left of the
 * page's 64 KiB keepalive budget; a batch that does not fit is skipped (the caller persists all of
 * them for the next visit anyway). post() falls back to a keepalive fetch when sendBeacon is
 * missing, throws or refuses. The key of each batch the browser took (or the fallback got a 2xx
 * for) goes into `done`; a batch already there (an earlier hide's, its write still in flight) is not sent again.
 */
export function beacon(batches: Batch[], o: PipelineOptions, done: Set<string>): void {
  let budget = keepaliveRoom;
  for (const b of batches) if (b.s < budget && !done.has(b.k)) (budget -= b.s), post(o, b, true).then(([s]) => s && s < 300 && done.add(b.k));
}

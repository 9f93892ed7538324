// Page exit: hand what is in memory to sendBeacon synchronously, before any await can be cut short.
import { keepaliveRoom, post } from './transport';
import type { Batch, PipelineOptions } from './types';

/**
 * Beacons batches (each already under the per-request limit) while they fit in what is left of the
 * page's 64 KiB keepalive budget; a batch that does not fit is skipped (the caller persists all of
 * them for the next visit anyway). post() falls back to a keepalive fetch when sendBeacon is
 * missing, throws or refuses.
 */
export function beacon(batches: Batch[], o: PipelineOptions): void {
  let budget = keepaliveRoom;
  for (const b of batches) if (b.s < budget) post(o, b, true), (budget -= b.s);
}

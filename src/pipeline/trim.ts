// Queue bounds, applied to batches in place, newest first, so the counts decide which of the oldest go.
import type { Batch } from './types';

export interface Limits {
  maxQueueEvents: number;
  maxQueueBytes: number;
  maxEventAgeMs: number;
}

/**
 * Events older than maxEventAgeMs always go ('expired'). When `capped` (delivery is failing, so the
 * queue grows), at most maxQueueEvents per type and maxQueueBytes in total stay, newest kept ('overflow').
 * While delivery works nothing is capped: a burst is delivered in full rather than cut to the limit.
 * A record that is no batch is emptied. Sorts `batches` oldest first and returns those whose events
 * changed (some may be empty now).
 */
export function trim(
  batches: Batch[],
  now: number,
  lim: Limits,
  capped: unknown,
  drop: (reason: string, n?: number) => void,
): Batch[] {
  const seen: Record<string, number> = {};
  let bytes = 0;
  const changed = batches
    .sort((a, b) => (a.k < b.k ? 1 : -1))
    .filter((b) => {
      // A record that is no batch (corrupt, another version) goes as if emptied.
      if (!(Array.isArray(b.e) && b.e.length && b.s > 0)) return (b.e = []);
      const n = b.e.length;
      // Newest first (so the per-type cap keeps the newest); drop() returns nothing, so what it counts goes.
      b.e = b.e
        .reverse()
        .filter((ev) =>
          !(ev?.ts >= now - lim.maxEventAgeMs)
            ? drop('expired')
            : capped && (seen[ev.type] = (seen[ev.type] || 0) + 1) > lim.maxQueueEvents
              ? drop('overflow')
              : 1,
        )
        .reverse();
      b.s = Math.ceil((b.s * b.e.length) / n);
      // `bytes` only grows, so once over the cap every older batch goes too.
      if (capped && (bytes += b.s) > lim.maxQueueBytes) drop('overflow', b.e.splice(0).length);
      return b.e.length < n;
    });
  batches.reverse();
  return changed;
}

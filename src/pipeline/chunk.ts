// Splits events into request-sized batches by their serialised size (flush path, not the hot path).
import type { ChatVitalsEvent } from '../types';
import type { Batch, Header } from './types';

/** Every request body stays under this many bytes: 64 KiB is the sendBeacon/keepalive limit. */
export const BATCH_BYTES = 60_000;

/** The request body of a batch. */
export const body = (b: Batch, sentAt: number): string => JSON.stringify({ ...b.h, sentAt, events: b.e });

/**
 * Groups events into batches whose body stays under maxBytes. An event that alone would exceed it,
 * or that cannot be serialised at all, is left out and counted by `drop('oversize')`. Each batch is named by `key()`.
 */
export function chunk(events: ChatVitalsEvent[], h: Header, maxBytes: number, key: () => string, drop: (reason: 'oversize') => void): Batch[] {
  const enc = new TextEncoder();
  const size = (s: string) => enc.encode(s).length;
  // sentAt is a 13-digit epoch; 1e13 serialises with 14 digits, so the estimate never falls short.
  const base = size(body({ h, e: [] } as unknown as Batch, 1e13));
  const batches: Batch[] = [];
  let b: Batch | undefined;
  for (const ev of events) {
    let n: number;
    try {
      n = size(JSON.stringify(ev)) + 1; // + the separating comma
    } catch {
      n = maxBytes; // cyclic or BigInt: beforeSend returned something JSON cannot carry
    }
    if (base + n >= maxBytes) drop('oversize');
    else {
      if (!b || b.s + n >= maxBytes) batches.push((b = { h, e: [], s: base, k: key() }));
      b.e.push(ev);
      b.s += n;
    }
  }
  return batches;
}

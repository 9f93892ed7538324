// Splits events into request-sized batches by their serialised size (flush path, not the hot path).
import type { ChatVitalsEvent } from '../types';
import type { Batch, Header } from './types';

/** UTF-8 byte length without allocating; a surrogate pair counts 6 instead of 4, erring on the safe side. */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) n += c > 2047 ? 2 : 1;
  }
  return n;
}

/** The request body of a batch. */
export const body = (b: Batch, sentAt: number): string => JSON.stringify({ ...b.h, sentAt, events: b.e });

/**
 * Groups events into batches whose body stays under maxBytes. An event that alone would exceed it,
 * or that cannot be serialised at all, is left out and passed to `oversize`.
 */
export function chunk(events: ChatVitalsEvent[], h: Header, maxBytes: number, oversize: () => void): Batch[] {
  // sentAt is a 13-digit epoch; 1e13 serialises with 14 digits, so the estimate never falls short.
  const base = utf8Length(body({ h, e: [], s: 0 }, 1e13));
  const batches: Batch[] = [];
  let b: Batch | undefined;
  for (const ev of events) {
    let n: number;
    try {
      n = utf8Length(JSON.stringify(ev)) + 1; // + the separating comma
    } catch {
      n = maxBytes; // cyclic or BigInt: beforeSend returned something JSON cannot carry
    }
    if (base + n >= maxBytes) oversize();
    else {
      if (!b || b.s + n >= maxBytes) batches.push((b = { h, e: [], s: base }));
      b.e.push(ev);
      b.s += n;
    }
  }
  return batches;
}

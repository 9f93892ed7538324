// Queue bounds, applied to batches oldest first. Pure: returns what to keep and what changed.
import type { ChatVitalsEvent } from '../types';
import type { Keyed } from './types';

export interface Limits {
  maxEventsPerType: number;
  maxBytes: number;
  maxEventAgeMs: number;
}

export interface Trimmed {
  /** Surviving batches, oldest first (changed ones are new objects). */
  keep: Keyed[];
  /** Keys whose batch changed: rewrite, or delete when absent from keep. */
  changed: Set<string>;
  drops: Record<string, number>;
}

/**
 * Events older than maxEventAgeMs always go ('expired'). When `capped` (delivery is failing, so the
 * queue grows), at most maxEventsPerType per type and maxBytes in total stay, newest kept ('overflow').
 * While delivery works nothing is capped: a burst is delivered in full rather than cut to the limit.
 */
export function trim(batches: Keyed[], now: number, lim: Limits, capped: boolean): Trimmed {
  const sorted = batches.slice().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const drops: Record<string, number> = {};
  const drop = (reason: string) => (drops[reason] = (drops[reason] || 0) + 1);
  const perType: Record<string, number> = {};
  const changed = new Set<string>();
  const keep: Keyed[] = [];
  let bytes = 0;
  let full = false;
  // Newest first, so the counts decide which of the oldest go.
  for (let i = sorted.length - 1; i >= 0; i--) {
    const [key, b] = sorted[i];
    const e: ChatVitalsEvent[] = [];
    for (let j = b.e.length - 1; j >= 0; j--) {
      const ev = b.e[j];
      if (!(ev.ts >= now - lim.maxEventAgeMs)) drop('expired');
      else if (capped && (perType[ev.type] = (perType[ev.type] || 0) + 1) > lim.maxEventsPerType) drop('overflow');
      else e.push(ev);
    }
    e.reverse();
    const s = e.length === b.e.length ? b.s : Math.ceil((b.s * e.length) / b.e.length);
    if (e.length && capped && (full ||= bytes + s > lim.maxBytes)) {
      for (let k = 0; k < e.length; k++) drop('overflow');
      e.length = 0;
    }
    if (e.length !== b.e.length) changed.add(key);
    if (!e.length) continue;
    bytes += s;
    keep.push(e.length === b.e.length ? sorted[i] : [key, { h: b.h, e, s }]);
  }
  return { keep: keep.reverse(), changed, drops };
}

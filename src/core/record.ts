// The single path every measurement takes: stamp, filter, fan out to taps, queue. Hot: one object,
// no I/O, no closures per call.
import type { ChatVitalsEvent } from '../types';
import { nextId } from './ids';
import { PENDING_LIMIT, RECENT_LIMIT, state } from './state';
import { warnOnce } from './warn';

/**
 * Records an event made of `fields` (its `type` and own fields). `ts` is the caller's timestamp when
 * it gave a plausible one, else now. Before init the call is buffered; after shutdown it is ignored.
 */
export function record(fields: Record<string, unknown>, ts?: number): void {
  const s = state;
  if (s.phase === 'off') return;
  const at = ts ?? Date.now();
  if (s.phase === 'idle') {
    if (s.pending.length < PENDING_LIMIT) s.pending.push({ fields, ts: at });
    else s.pendingOverflow++;
    return;
  }
  let ev = fields as unknown as ChatVitalsEvent;
  ev.id = nextId();
  ev.ts = at;
  const beforeSend = s.config!.beforeSend;
  if (beforeSend) {
    try {
      const out = beforeSend(ev);
      if (!out) {
        s.counts.filtered++;
        return;
      }
      ev = out;
    } catch (e) {
      // A throwing scrubber must not leak what it was meant to scrub: drop, and say so.
      warnOnce('beforeSend', 'beforeSend threw; the event was dropped: ' + String(e));
      s.pipeline?.push(dropped(1, 'beforeSend-error'));
      return;
    }
  }
  s.counts.recorded++;
  s.recent[s.recentAt++ % RECENT_LIMIT] = ev;
  for (let i = 0; i < s.taps.length; i++) {
    try {
      s.taps[i](ev);
    } catch (e) {
      warnOnce('subscriber', 'a subscriber threw: ' + String(e));
    }
  }
  if (s.sampled) s.pipeline?.push(ev);
}

/** A `dropped` event: what the SDK had to give up, so loss is never silent. Bypasses beforeSend. */
export function dropped(count: number, reason: string): ChatVitalsEvent {
  return { id: nextId(), type: 'dropped', ts: Date.now(), count, reason };
}

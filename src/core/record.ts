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
  if (s._phase === 'off') return;
  const at = ts ?? Date.now();
  if (s._phase === 'idle') {
    if (s._pending.length < PENDING_LIMIT) s._pending.push(((fields.ts = at), fields));
    else s._pendingOverflow++;
    return;
  }
  let ev = fields as unknown as ChatVitalsEvent;
  ev.id = nextId();
  ev.ts = at;
  const beforeSend = s._config!.beforeSend;
  if (beforeSend) {
    try {
      const out = beforeSend(ev);
      if (!out) return;
      ev = out;
    } catch (e) {
      // A throwing scrubber must not leak what it was meant to scrub: drop, and say so.
      warnOnce('beforeSend', 'beforeSend threw, event dropped: ' + e);
      reportDropped(1, 'beforeSend-error');
      return;
    }
  }
  s._recent[s._recentAt++ % RECENT_LIMIT] = ev;
  for (let i = 0; i < s._taps.length; i++) s._taps[i](ev); // each guarded by subscribe()
  if (s._sampled) s._pipeline?.push(ev);
}

/** Queues a `dropped` event: what the SDK had to give up, so loss is never silent. Bypasses beforeSend. */
export function reportDropped(count: number, reason: string): void {
  state._pipeline?.push({ id: nextId(), type: 'dropped', ts: Date.now(), count, reason });
}

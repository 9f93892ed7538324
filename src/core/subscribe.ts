// subscribe(): every event as it is recorded, for local consumers (getSnapshot's reducer, the overlay
// on a script-tag page). A late subscriber first gets the last events recorded before it came.
import type { ChatVitalsEvent } from '../types';
import { state } from './state';
import { warnOnce } from './warn';

export function subscribe(listener: (event: ChatVitalsEvent) => void): () => void {
  if (typeof listener !== 'function') {
    warnOnce('subscribe:arg', 'subscribe expects a function; ignored.');
    return () => {};
  }
  // Guarded here, not in record(): the hot path of an app that never subscribes stays smaller.
  const tap = (ev: ChatVitalsEvent) => {
    try {
      listener(ev);
    } catch (e) {
      warnOnce('subscriber', 'a subscriber threw: ' + e);
    }
  };
  const { _recent: recent, _recentAt: recentAt } = state;
  const n = recent.length;
  for (let i = 0; i < n; i++) tap(recent[(recentAt + i) % n]);
  state._taps.push(tap);
  return () => {
    state._taps = state._taps.filter((t) => t != tap);
  };
}

/** What a local consumer needs to know about the monitor besides its events. */
export function info() {
  return {
    session: state._session,
    sampled: state._sampled,
    queue: state._pipeline?.stats?.(), // development builds only
    slowRenderMs: state._config?.slowRenderMs,
    thresholds: state._config?.thresholds,
  };
}

export type MonitorInfo = ReturnType<typeof info>;

// getSnapshot(), onAlert(), resolveAlert(): the page's own health (what the overlay shows). Nothing
// runs until one of them is first called; the reducer then sees the last events recorded before it
// and every event after. An app that never calls them does not ship the health module.
import type { Alert } from '../health';
import { info, subscribe } from '../core/subscribe';
import { state } from '../core/state';
import { warnOnce } from '../core/warn';
import { createLocalHealth, type LocalHealth, type Snapshot } from '../snapshot/local-health';

export type { Snapshot };

let local: LocalHealth | undefined;

function localHealth(): LocalHealth {
  if (!local) {
    const created = (local = createLocalHealth({ subscribe, info }, warnOnce));
    // shutdown() runs this: no timer or subscriber outlives the monitor.
    state._stops.push(() => {
      created.stop();
      if (local === created) local = undefined;
    });
  }
  return local;
}

/**
 * Local aggregates and health over the last `windowMs` (default 60 s, held to 10 s – 6 min), the alerts
 * open now and the delivery queue's state (development builds). Alerts are judged on the window last asked for (default
 * 60 s; against the minutes before it), by getSnapshot and onAlert's timer alike. Never throws;
 * undefined only if something inside failed.
 */
export function getSnapshot(options?: { windowMs?: number }): Snapshot | undefined {
  try {
    return localHealth().getSnapshot(options);
  } catch (e) {
    warnOnce('snapshot', 'getSnapshot failed: ' + String(e));
    return undefined;
  }
}

/** Calls `cb` with each local alert as it opens and as it resolves (by itself or by resolveAlert). Returns the unsubscribe. */
export function onAlert(cb: (alert: Alert) => void): () => void {
  if (typeof cb !== 'function') {
    warnOnce('onAlert:arg', 'onAlert expects a function; ignored.');
    return () => {};
  }
  try {
    return localHealth().onAlert(cb);
  } catch {
    return () => {};
  }
}

/** Resolves a local alert by hand (the overlay's resolve button). */
export function resolveAlert(id: string): boolean {
  try {
    return !!local && local.resolveAlert(id);
  } catch {
    return false;
  }
}

// Resource Timing entries as they come: a PerformanceObserver, buffered (entries from before the start
// count too), with every callback guarded. Undefined where the browser has no PerformanceObserver.
// Only the first start in a page replays the buffer: an init after shutdown starts the collectors again,
// and a replay then would report the page's API calls and its bundle load once more (every remount of a
// widget that shuts down on unmount). What ends while the SDK is shut down is not measured.
export type ResourceTiming = PerformanceResourceTiming & { responseStatus?: number; deliveryType?: string };

let stopped = 0;

export function onResource(cb: (entry: ResourceTiming) => void): (() => void) | undefined {
  try {
    const po = new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        try {
          cb(entry as ResourceTiming);
        } catch {}
    });
    po.observe({ type: 'resource', buffered: !stopped });
    return () => {
      stopped = 1;
      po.disconnect();
    };
  } catch {}
}

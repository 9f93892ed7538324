// Resource Timing entries as they come: a PerformanceObserver, buffered (entries from before the start
// count too), with every callback guarded. Undefined where the browser has no PerformanceObserver.
export type ResourceTiming = PerformanceResourceTiming & { responseStatus?: number; deliveryType?: string };

export function onResource(cb: (entry: ResourceTiming) => void): (() => void) | undefined {
  try {
    const po = new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        try {
          cb(entry as ResourceTiming);
        } catch {}
    });
    po.observe({ type: 'resource', buffered: true });
    return () => po.disconnect();
  } catch {}
}

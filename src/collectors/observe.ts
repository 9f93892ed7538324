// A PerformanceObserver on one entry type, buffered (entries from before the start count too), with
// every callback guarded. Undefined where the browser lacks the observer or the entry type.
export function observe<T extends PerformanceEntry>(type: string, cb: (entry: T) => void): (() => void) | undefined {
  try {
    if (!PerformanceObserver.supportedEntryTypes.includes(type)) return undefined;
    const po = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        try {
          cb(entry as T);
        } catch {}
      }
    });
    po.observe({ type, buffered: true });
    return () => po.disconnect();
  } catch {
    return undefined;
  }
}

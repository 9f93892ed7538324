// heap(): JS heap snapshots every intervalMs and when the page is hidden. Sources, best first:
// performance.memory (Chromium; coarse unless --enable-precise-memory-info), then
// performance.measureUserAgentSpecificMemory() (https://wicg.github.io/performance-measure-memory/),
// which only exists on cross-origin isolated pages. Neither: no memory events at all, never zeros.
import type { Collector } from '../core/collector';
import { record } from '../core/record';
import { optionMs, say } from './say';

type PerformanceWithMemory = Performance & {
  memory?: { usedJSHeapSize: number; totalJSHeapSize: number; jsHeapSizeLimit: number };
  measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>;
};

export interface HeapOptions {
  /** Milliseconds between snapshots (default 30000; 1000 to 86400000). */
  intervalMs?: number;
}

export function heap(options?: HeapOptions): Collector {
  return {
    name: 'heap',
    start() {
      const p = performance as PerformanceWithMemory;
      if (!p.memory && !(p.measureUserAgentSpecificMemory && crossOriginIsolated)) return void say('heap: no memory API; off');
      // At most a day: a delay past 2^31 - 1 (Infinity too) is a 0 ms timer in browsers, a snapshot every task.
      const every = optionMs(options?.intervalMs, 30_000, 1000, 864e5, 'heap: bad intervalMs');
      let busy = false;
      const sample = () => {
        try {
          const m = p.memory;
          if (m) record({ type: 'memory', usedHeap: m.usedJSHeapSize, totalHeap: m.totalJSHeapSize, heapLimit: m.jsHeapSizeLimit });
          else if (!busy) {
            // It resolves only after a garbage collection (up to ~20 s): never two at a time.
            busy = true;
            p.measureUserAgentSpecificMemory!()
              .then((r) => record({ type: 'memory', usedHeap: r.bytes }), () => {})
              .finally(() => (busy = false));
          }
        } catch {}
      };
      const onHide = () => document.hidden && sample();
      const timer = setInterval(sample, every);
      document.addEventListener('visibilitychange', onHide);
      return () => {
        clearInterval(timer);
        document.removeEventListener('visibilitychange', onHide);
      };
    },
  };
}

// heap(): JS heap snapshots every intervalMs and when the page is hidden. Sources, best first:
// performance.memory (Chromium; coarse unless --enable-precise-memory-info), then
// performance.measureUserAgentSpecificMemory() (https://wicg.github.io/performance-measure-memory/),
// which only exists on cross-origin isolated pages. Neither: no memory events at all, never zeros.
import type { Collector } from '../core/collector';
import { record } from '../core/record';
import { say } from './say';

interface MemoryInfo {
  usedJSHeapSize: number;
  totalJSHeapSize: number;
  jsHeapSizeLimit: number;
}
type PerformanceWithMemory = Performance & {
  memory?: MemoryInfo;
  measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>;
};

export interface HeapOptions {
  /** Milliseconds between snapshots (default 30000, at least 1000). */
  intervalMs?: number;
}

export function heap(options?: HeapOptions): Collector {
  let every = options?.intervalMs ?? 30_000;
  if (!(every >= 1000)) {
    say('heap: intervalMs must be ≥ 1000; using 30000');
    every = 30_000;
  }
  return {
    name: 'heap',
    start() {
      const p = performance as PerformanceWithMemory;
      const measure = p.measureUserAgentSpecificMemory;
      let sample: () => void;
      if (p.memory && p.memory.usedJSHeapSize >= 0) {
        sample = () => {
          const m = p.memory!;
          record({ type: 'memory', usedHeap: m.usedJSHeapSize, totalHeap: m.totalJSHeapSize, heapLimit: m.jsHeapSizeLimit });
        };
      } else if (globalThis.crossOriginIsolated && typeof measure === 'function') {
        // It resolves only after a garbage collection (up to ~20 s): never two at a time.
        let busy = false;
        sample = () => {
          if (busy) return;
          busy = true;
          measure
            .call(p)
            .then((r) => record({ type: 'memory', usedHeap: r.bytes }))
            .catch(() => undefined)
            .then(() => (busy = false));
        };
      } else {
        say('heap: no memory API here; off');
        return;
      }
      const safe = () => {
        try {
          sample();
        } catch {}
      };
      const onHide = () => {
        if (document.visibilityState === 'hidden') safe();
      };
      const timer = setInterval(safe, every);
      document.addEventListener('visibilitychange', onHide);
      return () => {
        clearInterval(timer);
        document.removeEventListener('visibilitychange', onHide);
      };
    },
  };
}

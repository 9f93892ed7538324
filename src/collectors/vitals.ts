// vitals(): LCP, INP, CLS, FCP and TTFB through the web-vitals package (each on* reports its final
// value, INP/CLS/LCP when the page is hidden). web-vitals feature-detects by itself: a metric the
// browser cannot measure is simply never reported. It has no unsubscribe, so stop() mutes the callback.
import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import type { Collector } from '../core/collector';
import { record } from '../core/record';

export function vitals(): Collector {
  return {
    name: 'vitals',
    start() {
      let on = true;
      const report = ({ name, value, rating }: Metric) => {
        // CLS is a unitless score around 0.1: keep four decimals; the others are ms.
        if (on) record({ type: 'vital', name, value: Math.round(value * 1e4) / 1e4, rating });
      };
      for (const listen of [onLCP, onINP, onCLS, onFCP, onTTFB]) {
        try {
          listen(report);
        } catch {}
      }
      return () => {
        on = false;
      };
    },
  };
}

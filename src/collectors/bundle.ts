// bundle(): load duration and transfer size of the widget's own script, from Resource Timing. The
// script is the one running when bundle() is called (document.currentScript, so call it at the top
// level of the widget's classic script) or the one matching options.match.
import type { Collector } from '../core/collector';
import { record } from '../core/record';
import { warnOnce } from '../core/warn';
import { stripQuery } from '../api/track';
import { matcher, type UrlMatch } from './match';
import { observe } from './observe';

export interface BundleOptions {
  /** The script's URL: a prefix, RegExp or predicate (default: document.currentScript at creation). */
  match?: UrlMatch;
}

export function bundle(options?: BundleOptions): Collector {
  let src = '';
  try {
    src = (document.currentScript as HTMLScriptElement | null)?.src || '';
  } catch {}
  return {
    name: 'bundle',
    start() {
      const test = options?.match !== undefined ? matcher(options.match) : src ? (u: string) => u === src : undefined;
      if (!test) return void warnOnce('bundle', 'bundle: no script to measure (no document.currentScript; pass { match }); off.');
      let done = false;
      return observe<PerformanceResourceTiming>('resource', (e) => {
        if (done || !test(e.name)) return;
        done = true;
        const fields: Record<string, unknown> = { type: 'bundle', url: stripQuery(e.name), duration: Math.round(e.duration * 10) / 10 };
        // A cross-origin script without Timing-Allow-Origin reports 0 for both sizes: unknown, so omitted.
        if (e.transferSize > 0 || e.decodedBodySize > 0) fields.transferSize = e.transferSize;
        record(fields);
      });
    },
  };
}

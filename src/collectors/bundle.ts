// bundle(): load duration and transfer size of the widget's own script, from Resource Timing. The
// script is the one running when bundle() is called (document.currentScript, so call it at the top
// level of the widget's classic script) or the one matching options.match.
import type { Collector } from '../core/collector';
import { record } from '../core/record';
import { say } from './say';
import { stripQuery } from '../api/track';
import { matcher, type UrlMatch } from './match';
import { onResource } from './observe';
import { tenth } from './time';

export interface BundleOptions {
  /** The script's URL: a prefix, RegExp or predicate (default: document.currentScript at creation). */
  match?: UrlMatch;
}

export function bundle(options?: BundleOptions): Collector {
  let src: string | undefined;
  try {
    src = (document.currentScript as HTMLScriptElement).src;
  } catch {}
  return {
    name: 'bundle',
    start() {
      const test = matcher(options?.match ?? (src ? (u: string) => u == src : undefined));
      if (!test) return void say('bundle: no script; pass { match }');
      let done = false;
      return onResource((e) => {
        if (done || !test(e.name)) return;
        done = true;
        // Both sizes 0: a cross-origin script without Timing-Allow-Origin, its size unknown (not 0).
        record({ type: 'bundle', url: stripQuery(e.name), duration: tenth(e.duration), transferSize: e.transferSize || e.decodedBodySize ? e.transferSize : undefined });
      });
    },
  };
}

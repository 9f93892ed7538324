// apiTiming(): the widget's API calls from Resource Timing, with no wrapping of fetch or XHR. For each
// fetch/XHR entry whose URL matches: duration (to the response's first byte), HTTP status
// (entry.responseStatus: 0 is a network error or an opaque response, the same meaning as trackApi's
// 0), cached, and the URL without query string.
// Two limits of Resource Timing, on purpose not papered over:
//  - no request method: events have none (use trackApi where the method matters);
//  - browsers without responseStatus (before Chrome 109, Safari) would leave every status unknown, and
//    a made-up status would fake the error rate: there the collector is off (warned once).
import type { Collector } from '../core/collector';
import { record } from '../core/record';
import { say } from './say';
import { stripQuery } from '../api/track';
import { matcher, type UrlMatch } from './match';
import { onResource } from './observe';
import { tenth } from './time';

export interface ApiTimingOptions {
  /** Which requests are the widget's API: a URL prefix (relative to the page), a RegExp or a predicate. */
  match: UrlMatch;
}

export function apiTiming(options: ApiTimingOptions): Collector {
  return {
    name: 'api',
    start(config) {
      if (!('responseStatus' in (globalThis.PerformanceResourceTiming?.prototype || {})))
        return void say('apiTiming: no responseStatus; off');
      const test = matcher(options?.match);
      if (!test) return void say('apiTiming: bad match; off');
      // The SDK's own beacons (fetch keepalive) are not the widget's API.
      const own = matcher(config.endpoint);
      return onResource((e) => {
        if (/^(fetch|xmlhttprequest)$/.test(e.initiatorType) && !own?.(e.name) && test(e.name))
          record({
            type: 'api',
            url: stripQuery(e.name),
            status: e.responseStatus! | 0,
            // Until the response starts: a streamed reply (an assistant's tokens) is content, not latency;
            // the whole duration where the browser hides the detail (cross-origin without Timing-Allow-Origin).
            duration: tenth(e.responseStart ? e.responseStart - e.startTime : e.duration),
            // Served from the HTTP cache: nothing crossed the network, yet a body was decoded.
            cached: e.deliveryType == 'cache' || (!e.transferSize && e.decodedBodySize > 0),
          });
      });
    },
  };
}

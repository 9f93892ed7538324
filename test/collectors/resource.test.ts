// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://localhost:3000/widget/"}
// The mapping from Resource Timing entries to api/bundle events. The entries are hand-made here (a
// stand-in PerformanceObserver), so cases a test server cannot produce are covered: HTTP-cache hits,
// cross-origin entries without sizes, browsers without responseStatus. e2e proves the real observer.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiTiming } from '../../src/collectors/api';
import { bundle } from '../../src/collectors/bundle';
import { resolveConfig } from '../../src/core/config';
import { captureEvents } from './capture';

const cap = captureEvents();
let emit: (entries: object[]) => void;
const ORIGIN = location.origin;
const config = resolveConfig({ endpoint: '/ingest' })!;

/** What the page's performance timeline holds: a buffered observe() replays it, as browsers do. */
let timeline: object[] = [];

beforeEach(() => {
  timeline = [];
  const live = new Set<(list: { getEntries(): object[] }) => void>();
  emit = (entries) => {
    timeline.push(...entries);
    for (const cb of live) cb({ getEntries: () => entries });
  };
  class FakeObserver {
    static supportedEntryTypes = ['resource'];
    constructor(private cb: (list: { getEntries(): object[] }) => void) {}
    observe(o: { buffered?: boolean }) {
      live.add(this.cb);
      if (o.buffered && timeline.length) this.cb({ getEntries: () => [...timeline] });
    }
    disconnect() {
      live.delete(this.cb);
    }
  }
  class FakeResourceTiming {
    get responseStatus() {
      return 0;
    }
  }
  vi.stubGlobal('PerformanceObserver', FakeObserver);
  vi.stubGlobal('PerformanceResourceTiming', FakeResourceTiming);
});
afterEach(() => vi.unstubAllGlobals());

const entry = (over: Record<string, unknown>) => ({
  name: ORIGIN + '/api/messages?cursor=abc',
  initiatorType: 'fetch',
  duration: 42.345,
  responseStatus: 200,
  transferSize: 900,
  decodedBodySize: 600,
  ...over,
});

describe('apiTiming', () => {
  it('maps matching fetch and XHR entries: status, duration to 0.1 ms, URL without query, no method', () => {
    apiTiming({ match: '/api/' }).start(config);
    emit([entry({}), entry({ initiatorType: 'xmlhttprequest', responseStatus: 503, name: ORIGIN + '/api/send#x' })]);
    expect(cap.events).toEqual([
      expect.objectContaining({ type: 'api', url: ORIGIN + '/api/messages', status: 200, duration: 42.3, cached: false }),
      expect.objectContaining({ url: ORIGIN + '/api/send', status: 503 }),
    ]);
    // Resource Timing has no request method: none is made up (it was 'GET' for every entry).
    for (const e of cap.events) expect('method' in e).toBe(false);
  });

  it('cached: nothing transferred but a body decoded, or deliveryType cache; a 0/0 cross-origin entry is not a hit', () => {
    apiTiming({ match: /./ }).start(config);
    emit([
      entry({ transferSize: 0, decodedBodySize: 600 }),
      entry({ deliveryType: 'cache', transferSize: 300 }),
      entry({ name: 'https://other.example/api', transferSize: 0, decodedBodySize: 0, responseStatus: 0 }),
    ]);
    expect(cap.events.map((e) => (e as never as { cached: boolean }).cached)).toEqual([true, true, false]);
  });

  it('duration runs to the first byte of the response: a streamed reply is content, not latency', () => {
    apiTiming({ match: '/api/' }).start(config);
    // A reply streamed for 20 s whose headers came after 180.04 ms; a cross-origin entry hides responseStart (0).
    emit([entry({ startTime: 1000, responseStart: 1180.04, duration: 20_000 }), entry({ startTime: 1000, responseStart: 0, duration: 250 })]);
    expect(cap.events.map((e) => (e as { duration?: number }).duration)).toEqual([180, 250]);
  });

  it('ignores scripts, images, beacons, other URLs and the SDK endpoint itself', () => {
    apiTiming({ match: (u) => u.startsWith(ORIGIN) }).start(config);
    emit([
      entry({ initiatorType: 'script' }),
      entry({ initiatorType: 'img' }),
      entry({ initiatorType: 'beacon' }),
      entry({ name: 'https://cdn.example/x' }),
      entry({ name: ORIGIN + '/ingest?enc=gzip' }),
    ]);
    expect(cap.events).toHaveLength(0);
  });

  it('a throwing match function only fails that URL', () => {
    apiTiming({
      match: (u) => {
        if (u.includes('boom')) throw new Error('x');
        return true;
      },
    }).start(config);
    emit([entry({ name: ORIGIN + '/boom' }), entry({})]);
    expect(cap.events).toHaveLength(1);
  });

  it('no match, or no responseStatus in this browser: off with a warning, no events', () => {
    expect(apiTiming({} as never).start(config)).toBeUndefined();
    vi.stubGlobal('PerformanceResourceTiming', class {});
    expect(apiTiming({ match: '/api/' }).start(config)).toBeUndefined();
    expect(cap.warnings.join('\n')).toMatch(/apiTiming: bad match; off[\s\S]*apiTiming: no responseStatus; off/);
  });
});

describe('bundle', () => {
  it('the matching script: one event with duration and transfer size', () => {
    bundle({ match: /widget\.js$/ }).start(config);
    emit([entry({ name: ORIGIN + '/x.js' }), entry({ name: ORIGIN + '/widget.js', initiatorType: 'script', duration: 80.06, transferSize: 12000 })]);
    emit([entry({ name: ORIGIN + '/widget.js' })]);
    expect(cap.events).toEqual([expect.objectContaining({ type: 'bundle', url: ORIGIN + '/widget.js', duration: 80.1, transferSize: 12000 })]);
  });

  it('sizes hidden by a missing Timing-Allow-Origin are omitted, not reported as 0', () => {
    bundle({ match: 'https://cdn.example/' }).start(config);
    emit([entry({ name: 'https://cdn.example/widget.js', transferSize: 0, decodedBodySize: 0 })]);
    expect(JSON.stringify(cap.events[0])).not.toContain('transferSize'); // absent on the wire
  });

  it('a script from the HTTP cache (nothing transferred, a body decoded) reports transferSize 0', () => {
    bundle({ match: 'https://cdn.example/' }).start(config);
    emit([entry({ name: 'https://cdn.example/widget.js', transferSize: 0, decodedBodySize: 5000 })]);
    expect(cap.events).toEqual([expect.objectContaining({ type: 'bundle', transferSize: 0 })]);
  });

  it('no current script and no match: off with a warning', () => {
    expect(bundle().start(config)).toBeUndefined();
    expect(cap.warnings.some((w) => w.includes('bundle'))).toBe(true);
  });
});

describe('started again (init after shutdown, a widget remounted)', () => {
  it('reports what happens from then on, not the entries the first start already reported', () => {
    const api = apiTiming({ match: '/api/' });
    const own = bundle({ match: /widget\.js$/ });
    emit([entry({ name: ORIGIN + '/widget.js', initiatorType: 'script' })]); // loaded before the first init
    let stops = [api.start(config)!, own.start(config)!];
    emit([entry({ name: ORIGIN + '/api/a' })]);
    for (const stop of stops) stop();
    stops = [api.start(config)!, own.start(config)!];
    emit([entry({ name: ORIGIN + '/api/b' })]);
    for (const stop of stops) stop();
    expect(cap.events.map((e) => [e.type, (e as { url?: string }).url])).toEqual([
      ['bundle', ORIGIN + '/widget.js'],
      ['api', ORIGIN + '/api/a'],
      ['api', ORIGIN + '/api/b'],
    ]);
  });
});

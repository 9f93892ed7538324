// Reliability, item 12 of issue 6: every public function of window.ChatVitals, and every function they
// hand back (end(), stop(), unsubscribe, store and channel methods), called 10,000 times in real
// Chromium with hostile arguments — undefined, NaN, cyclic objects, 1 MB strings, symbols, BigInt,
// Proxies whose every trap throws, objects whose getters throw — before init, while running and after
// shutdown. The host page must see no error, no unhandled rejection, and at most one warning per kind.
// Seeded, so a failure reproduces: FUZZ_SEED=<n> node e2e/run.mjs e2e/reliability-fuzz.
import type { Page } from '@playwright/test';
import { test, expect, openPage, useDevBuild } from './support/fixtures';

const SEED = Number(process.env.FUZZ_SEED) || 20_261_125;

interface FuzzReport {
  calls: number;
  /** function label → [times it threw, first message] */
  threw: Record<string, [number, string]>;
  /** uncaught errors, unhandled rejections, rejected promises returned by the API, console.error */
  errors: string[];
  warnings: string[];
}

/** Runs the fuzz in the page: `before` calls before init, `during` while on, `after` after shutdown. */
function fuzz(page: Page, endpoint: string, seed: number, phases = { before: 4000, during: 5000, after: 1000 }) {
  return page.evaluate(
    async ({ endpoint, seed, phases }): Promise<FuzzReport> => {
      const cv = (window as any).ChatVitals;
      // mulberry32: a small seeded PRNG, so a failing run can be replayed
      let s = seed;
      const rnd = () => {
        s = (s + 0x6d2b79f5) | 0;
        let t = Math.imul(s ^ (s >>> 15), 1 | s);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      const pick = <T>(list: T[]): T => list[(rnd() * list.length) | 0];

      const report: FuzzReport = { calls: 0, threw: {}, errors: [], warnings: [] };
      const warn = console.warn;
      const error = console.error;
      console.warn = (...a: unknown[]) => void report.warnings.push(String(a[0]));
      console.error = (...a: unknown[]) => void report.errors.push('console.error: ' + String(a[0]));
      const onRejection = (e: PromiseRejectionEvent) => report.errors.push('unhandled rejection: ' + String(e.reason));
      const onError = (e: ErrorEvent) => report.errors.push('uncaught: ' + e.message);
      addEventListener('unhandledrejection', onRejection);
      addEventListener('error', onError);

      const trap = () => {
        throw new Error('trap');
      };
      const traps = { get: trap, set: trap, has: trap, ownKeys: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap, defineProperty: trap, deleteProperty: trap, apply: trap, construct: trap };
      const cyclic: any = { messageId: 'c', renderTime: 1 };
      cyclic.self = cyclic;
      cyclic.list = [cyclic];
      // Every field name any public function reads (endpoint excepted: a random init must not succeed).
      const fields = ['messageId', 'renderTime', 'contentLength', 'timestamp', 'operation', 'success', 'duration', 'sessionId', 'error', 'lost', 'latency', 'channel', 'url', 'method', 'status', 'cached', 'app', 'release', 'environment', 'sampleRate', 'flushIntervalMs', 'maxQueueEvents', 'collectors', 'collect', 'beforeSend', 'thresholds', 'timeoutMs', 'start', 'name', 'then', 'toJSON', 'length'];
      const throwingGetters = Object.defineProperties({}, Object.fromEntries(fields.map((f) => [f, { get: trap, enumerable: true }])));
      const atoms: unknown[] = [
        undefined, null, NaN, 0, -0, -1, 1.5, 1e308, Infinity, -Infinity, 2 ** 53, '', 'x', 'x'.repeat(1 << 20),
        '\ud800', Symbol('s'), 10n, true, false, cyclic, [], [cyclic], Object.create(null), () => {}, trap,
        new Proxy({}, traps), new Proxy(function () {}, traps), throwingGetters,
        { toString: trap, valueOf: trap }, { [Symbol.toPrimitive]: trap }, new Date(NaN), new Date(), document.body,
        document.createElement('div'), window, new Error('e'), new WeakMap(), Promise.reject(new Error('x')).catch(() => 0),
        'save', 'restore', 'navigation', 'GET', 'http://x/?token=1', 404, 200,
      ];
      const almost = () => {
        const o: Record<string, unknown> = {};
        for (const f of fields) if (rnd() < 0.4) o[f] = pick(atoms);
        return o;
      };
      const arg = () => (rnd() < 0.35 ? almost() : pick(atoms));

      // Public functions, plus every function they hand back (kept in a bounded pool).
      const pub = Object.keys(cv).filter((k) => typeof cv[k] === 'function');
      const handles: [string, (...a: unknown[]) => unknown][] = [];
      const keep = (label: string, fn: (...a: unknown[]) => unknown) => {
        if (handles.length < 300) handles.push([label, fn]);
        else handles[(rnd() * 300) | 0] = [label, fn];
      };
      const collect = (label: string, r: unknown) => {
        if (typeof r === 'function') keep(label + '()', r as any);
        else if (r && typeof r === 'object' && !(r instanceof Promise))
          for (const [k, v] of Object.entries(r)) if (typeof v === 'function') keep(`${label}().${k}`, (v as any).bind(r));
      };
      const call = (label: string, fn: (...a: unknown[]) => unknown) => {
        report.calls++;
        try {
          const n = (rnd() * 4) | 0;
          const r = fn(...Array.from({ length: n }, arg));
          if (r instanceof Promise) r.catch((e) => report.errors.push(`${label} rejected: ${String(e)}`));
          else collect(label, r);
        } catch (e) {
          const t = (report.threw[label] ||= [0, String(e)]);
          t[0]++;
        }
      };
      const round = (n: number, names: string[]) => {
        for (let i = 0; i < n; i++) {
          if (handles.length && rnd() < 0.3) {
            const [label, fn] = pick(handles);
            call(label, fn);
          } else {
            const name = pick(names);
            call(name, cv[name]);
          }
        }
      };

      round(phases.before, pub.filter((k) => k !== 'shutdown'));
      cv.init({ endpoint, flushIntervalMs: 200 }); // every automatic collector on
      round(phases.during, pub.filter((k) => k !== 'shutdown'));
      await cv.flush();
      await new Promise((r) => setTimeout(r, 300)); // let timers, observers and the heap sampler run over what was left
      await cv.shutdown();
      round(phases.after, pub);
      await new Promise((r) => setTimeout(r, 300));
      console.warn = warn;
      console.error = error;
      removeEventListener('unhandledrejection', onRejection);
      removeEventListener('error', onError);
      return report;
    },
    { endpoint, seed, phases },
  );
}

// Both builds: production (what chat users get) warns nothing; development at most once per kind.
for (const dev of [false, true])
  test(`10,000 hostile calls to every public function: no page error, no unhandled rejection, ${dev ? 'one warning per kind (development build)' : 'no warning (production build)'}`, async ({ page, receiver, pageErrors }) => {
    test.setTimeout(120_000);
    if (dev) await useDevBuild(page);
    await openPage(page, receiver, 'reliability.html');
    const r = await fuzz(page, receiver.endpoint, SEED);
    const threw = Object.entries(r.threw);
    console.log(`fuzz seed ${SEED}: ${r.calls} calls, ${r.warnings.length} warnings, threw:`, JSON.stringify(r.threw));
    expect(r.calls).toBe(10_000);
    expect(pageErrors).toEqual([]);
    expect(r.errors).toEqual([]);
    // One warning per kind: the same message never twice; none at all from the production build.
    expect(r.warnings.filter((w, i) => r.warnings.indexOf(w) !== i)).toEqual([]);
    expect(r.warnings.length > 0).toBe(dev);
    // Nothing throws, whatever the argument (a Proxy whose traps throw, getters that throw, { toString() { throw } }).
    expect(threw).toEqual([]);
    // The events that made it through are well-formed enough for the ingest's schema.
    for (const e of receiver.events()) {
      expect(typeof e.id).toBe('string');
      expect(Number.isFinite(e.ts)).toBe(true);
    }
  });

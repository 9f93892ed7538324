// Reliability, browser side (issue 6, items 1–11): each fault real RUM SDKs have shipped a bug for,
// injected into real Chromium (addInitScript, CDP or the receiver), and what chat-vitals must still do:
// lose nothing silently, send nothing twice, never throw into the page. Item 12 (fuzzing) is in
// reliability-fuzz.spec.ts; docs/reliability.md maps every item to its test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, openPage, useDevBuild } from './support/fixtures';
import type { Receiver } from './support/receiver';
import { chromiumArgs } from './playwright.config';

// Playwright launches Chromium with --disable-back-forward-cache; a real browser has it, and item 7
// needs it. (Top level: a launch option cannot change per describe block.)
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: chromiumArgs,
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  },
});

/** Opens the reliability page; `fault` runs before any page script (so before the SDK loads). */
async function open(page: Page, receiver: Receiver, fault?: () => void) {
  if (fault) await page.addInitScript(fault);
  await openPage(page, receiver, 'reliability.html');
}

/** init with a short flush interval and no automatic collectors unless `extra` asks for them. */
const init = (page: Page, receiver: Receiver, extra: Record<string, unknown> = {}) =>
  page.evaluate(
    ([endpoint, extra]) =>
      (window as any).ChatVitals.init({
        endpoint,
        flushIntervalMs: 200,
        ...extra,
        collect: { heap: false, vitals: false, api: false, bundle: false, ...(extra.collect as object) },
      }),
    [receiver.endpoint, extra] as const,
  );

/** n trackRender calls in one task, messageIds `<tag>-<i>`. */
const track = (page: Page, tag: string, n: number) =>
  page.evaluate(
    ([tag, n]) => {
      const cv = (window as any).ChatVitals;
      for (let i = 0; i < n; i++) cv.trackRender({ messageId: `${tag}-${i}`, renderTime: (i % 40) + 0.5, contentLength: i });
    },
    [tag, n] as const,
  );

const flush = (page: Page) => page.evaluate(() => (window as any).ChatVitals.flush());

const renders = (receiver: Receiver, tag: string) =>
  receiver.events().filter((e: any) => e.type === 'render' && String(e.messageId).startsWith(tag + '-')) as any[];

/** Waits until every `<tag>-<i>` render has arrived; each render keeps one id however often it was sent. */
async function arrived(receiver: Receiver, tag: string, n: number, timeoutMs = 20_000) {
  await receiver.waitFor(() => new Set(renders(receiver, tag).map((e) => e.messageId)).size >= n, timeoutMs);
  const evs = renders(receiver, tag);
  expect(new Set(evs.map((e) => e.id)).size).toBe(n);
  return evs;
}

const dropped = (receiver: Receiver) => receiver.events().filter((e) => e.type === 'dropped') as any[];

/** Console warnings of the page, as text. */
function warnings(page: Page) {
  const seen: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && seen.push(m.text()));
  return seen;
}

/** Events in the SDK's IndexedDB queue, read through a connection of the test's own. */
const storedEvents = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((ok, fail) => {
        const req = indexedDB.open('chat-vitals');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('queue')) return db.close(), ok(0);
          const all = db.transaction('queue').objectStore('queue').getAll(IDBKeyRange.bound('b:', 'b;'));
          all.onsuccess = () => {
            db.close();
            ok(all.result.reduce((n: number, b: any) => n + b.e.length, 0));
          };
        };
      }),
  );

// ---------------------------------------------------------------------------------------------
// 1. IndexedDB missing, throwing, hanging, failing → the memory fallback; nothing tracked before lost.
const idbFaults: Record<string, () => void> = {
  'indexedDB is null': () => Object.defineProperty(window, 'indexedDB', { value: null, configurable: true }),
  'open() throws': () => {
    IDBFactory.prototype.open = () => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
  },
  // Safari 14: the open request stays pending forever.
  'open() never settles': () => {
    IDBFactory.prototype.open = () => ({}) as IDBOpenDBRequest;
  },
  // Firefox private browsing: the open request fails with InvalidStateError.
  'open() fails with InvalidStateError': () => {
    IDBFactory.prototype.open = () => {
      const req: any = {};
      setTimeout(() => {
        req.error = new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError');
        req.onerror?.(new Event('error'));
      });
      return req;
    };
  },
};

test.describe('1. IndexedDB unusable', () => {
  for (const [name, fault] of Object.entries(idbFaults))
    test(`${name}: events before init, during and after the fallback all arrive`, async ({ page, receiver, pageErrors }) => {
      await open(page, receiver, fault);
      await track(page, 'before', 30); // buffered before init
      await init(page, receiver);
      await track(page, 'during', 30); // while the first IndexedDB attempt is still out
      await flush(page);
      await track(page, 'after', 30);
      await flush(page);
      await arrived(receiver, 'before', 30);
      await arrived(receiver, 'during', 30);
      await arrived(receiver, 'after', 30);
      expect(dropped(receiver)).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
});

// ---------------------------------------------------------------------------------------------
// 2. IndexedDB over quota (a real quota: CDP Storage.overrideQuotaForOrigin).
test.describe('2. IndexedDB quota exceeded', () => {
  // A full disk is a storage failure like any other: the batches IndexedDB refuses stay in memory,
  // bounded like the rest of the queue, and go out once the ingest answers.
  test('writes fail with QuotaExceededError: no hang, what IndexedDB refused kept in memory, all of it delivered', async ({ page, receiver, pageErrors }) => {
    await useDevBuild(page); // for info().queue
    let down = true;
    receiver.respond = () => (down ? { status: 503, headers: { 'retry-after': '0' } } : undefined);
    await open(page, receiver);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: receiver.origin, quotaSize: 200_000 });
    await init(page, receiver, { flushIntervalMs: 60_000 });
    // Each round stores ~60 KB while the endpoint is down: the quota is hit after a few rounds.
    const rounds = 8;
    for (let r = 0; r < rounds; r++) {
      await track(page, `q${r}`, 600);
      await flush(page);
    }
    const stats = await page.evaluate(() => (window as any).ChatVitals.info().queue);
    down = false;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: receiver.origin });
    await flush(page);
    await flush(page);
    for (let r = 0; r < rounds; r++) await arrived(receiver, `q${r}`, 600);
    console.log('quota: stats before recovery', JSON.stringify(stats));
    expect(stats.queued).toBeGreaterThan(0); // the quota was really hit: IndexedDB refused some batches
    expect(dropped(receiver)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// 3. The database deleted under an open connection.
test.describe('3. database deleted while the page is open', () => {
  test('deleteDatabase from the page (versionchange): the next write recreates it, nothing lost', async ({ page, receiver, pageErrors }) => {
    await open(page, receiver);
    await init(page, receiver, { flushIntervalMs: 60_000 });
    await track(page, 'first', 20);
    await flush(page);
    await arrived(receiver, 'first', 20);
    await track(page, 'pending', 20); // in memory when the database goes
    const deleted = await page.evaluate(
      () => new Promise<string>((ok) => {
        const req = indexedDB.deleteDatabase('chat-vitals');
        req.onsuccess = () => ok('deleted');
        req.onblocked = () => ok('blocked');
        req.onerror = () => ok('error');
      }),
    );
    expect(deleted).toBe('deleted'); // the SDK let go of its connection instead of blocking the delete
    await track(page, 'later', 20);
    await flush(page);
    await arrived(receiver, 'pending', 20);
    await arrived(receiver, 'later', 20);
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toContain('chat-vitals');
    expect(pageErrors).toEqual([]);
  });

  test('"clear site data" (CDP Storage.clearDataForOrigin: the connection gets a close event) → recreated, nothing lost', async ({ page, receiver, pageErrors }) => {
    let down = true;
    receiver.respond = () => (down ? { status: 503, headers: { 'retry-after': '0' } } : undefined);
    await open(page, receiver, () => {
      // Record whether the browser really force-closed our connection (the `close` event).
      const orig = IDBFactory.prototype.open;
      IDBFactory.prototype.open = function (this: IDBFactory, ...args: [string, number?]) {
        const req = orig.apply(this, args);
        req.addEventListener('success', () => req.result.addEventListener('close', () => ((window as any).closedByBrowser = true)));
        return req;
      };
    });
    await init(page, receiver, { flushIntervalMs: 60_000 });
    await track(page, 'gone', 20);
    await flush(page); // stored (503), then wiped by the user: these are legitimately gone
    expect(await storedEvents(page)).toBe(20);
    await track(page, 'pending', 20); // in memory when the data is cleared
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Storage.clearDataForOrigin', { origin: receiver.origin, storageTypes: 'indexeddb' });
    await expect.poll(() => page.evaluate(() => (window as any).closedByBrowser === true)).toBe(true);
    down = false;
    await track(page, 'later', 20);
    await flush(page);
    await arrived(receiver, 'pending', 20);
    await arrived(receiver, 'later', 20);
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toContain('chat-vitals');
    expect(pageErrors).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Two tabs flushing one IndexedDB queue at the same instant, 20 times.
test.describe('4. two tabs, one queue', () => {
  test('20 simultaneous flushes from two tabs over shared stored batches: every event sent exactly once', async ({ page, context, receiver, pageErrors }) => {
    let down = true;
    // Retry-After 0: the next flush may try again at once, so each round's simultaneous flush really sends.
    receiver.respond = () => (down ? { status: 503, headers: { 'retry-after': '0' } } : undefined);
    const other = await context.newPage();
    const tabs = [page, other] as const;
    for (const p of tabs) {
      await open(p, receiver);
      await init(p, receiver, { flushIntervalMs: 60_000 });
    }
    const rounds = 20;
    const per = 50;
    for (let r = 0; r < rounds; r++) {
      down = true;
      // Both tabs store their events in the one queue while the endpoint refuses them …
      for (const [i, p] of tabs.entries()) {
        await track(p, `r${r}t${i}`, per);
        await flush(p);
      }
      down = false;
      // … then both flush at the same wall-clock instant, each able to see the other's batches.
      const at = Date.now() + 150;
      await Promise.all(
        tabs.map((p) =>
          p.evaluate((at) => new Promise((ok) => setTimeout(() => (window as any).ChatVitals.flush().then(ok), at - Date.now())), at),
        ),
      );
    }
    for (const p of tabs) await flush(p); // whatever a tab left for lack of the lock
    for (let r = 0; r < rounds; r++) for (let i = 0; i < 2; i++) await arrived(receiver, `r${r}t${i}`, per);
    const all = receiver.events().filter((e) => e.type === 'render');
    expect(all).toHaveLength(rounds * 2 * per); // not one sent twice
    expect(await storedEvents(page)).toBe(0);
    expect(dropped(receiver)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// 5. Eleven minutes of outage in simulated time: refused, 500, then 429 Retry-After: 2.

/**
 * Counts the page's I/O in flight (fetch, IndexedDB opens and transactions, Web Lock requests) in
 * window.__io, and logs every POST to /ingest as [fake Date.now(), status] (0: network error) in
 * window.__posts. Nothing is changed, only observed: the test advances the fake clock only while
 * __io is 0, so no IndexedDB call ever sees simulated seconds pass during one real operation.
 */
function watchIo() {
  const w = window as any;
  w.__io = 0;
  w.__posts = [];
  const hold = (p: Promise<unknown>) => {
    w.__io++;
    const done = () => w.__io--;
    p.then(done, done);
  };
  const fetch0 = window.fetch;
  window.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
    const t = Date.now();
    const p = fetch0.call(this, input, init);
    if (String(input).includes('/ingest'))
      p.then(
        (r) => w.__posts.push([t, r.status]),
        () => w.__posts.push([t, 0]),
      );
    hold(p);
    return p;
  } as typeof fetch;
  const settled = (t: EventTarget, names: string[]) => new Promise((ok) => names.forEach((n) => t.addEventListener(n, ok)));
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (this: IDBFactory, ...a: [string, number?]) {
    const req = open.apply(this, a);
    hold(settled(req, ['success', 'error', 'blocked']));
    return req;
  };
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...a: any[]) {
    const tx = (transaction as any).apply(this, a);
    hold(settled(tx, ['complete', 'abort', 'error']));
    return tx;
  } as any;
  const request = LockManager.prototype.request;
  LockManager.prototype.request = function (this: LockManager, ...a: any[]) {
    const p = (request as any).apply(this, a);
    hold(p);
    return p;
  } as any;
}

/** Waits (real time) until the page has no I/O in flight. */
async function settle(page: Page) {
  for (let i = 0; i < 4000; i++) {
    if ((await page.evaluate(() => (window as any).__io)) === 0) return;
    await page.waitForTimeout(5);
  }
  throw new Error('page I/O never settled');
}

type Phase = 'refused' | '500' | '429' | 'up';
const MIN = 60_000;

/**
 * Plays an outage in simulated time: `phases` says from which second on the endpoint refuses
 * connections, answers 500, answers 429 with Retry-After: 2, or is up. The chat tracks 20 renders
 * every 10 s until the endpoint is up; the clock moves 1 s at a time, only while no I/O is in flight.
 */
async function outage(page: Page, receiver: Receiver, phases: [number, Phase][], seconds: number, bound: number) {
  let phase: Phase = 'refused';
  // Connection refused is a network-level failure: Playwright aborts the request before it leaves.
  await page.route(/\/ingest/, (route) => (phase === 'refused' ? route.abort('connectionrefused') : route.fallback()));
  receiver.respond = () =>
    phase === '500' ? { status: 500 } : phase === '429' ? { status: 429, headers: { 'retry-after': '2' } } : undefined;
  await page.clock.install(); // Date, performance, setTimeout/Interval, rAF, AbortSignal.timeout: all simulated
  await useDevBuild(page); // for info().queue
  await open(page, receiver, watchIo);
  const t0 = Date.now() + 1000;
  await page.clock.pauseAt(t0); // from here the page's time moves only when the test says so
  await init(page, receiver, { flushIntervalMs: 1000, maxQueueEvents: bound });
  let tracked = 0;
  let maxQueued = 0;
  const left = phases.slice();
  for (let s = 0; s <= seconds; s++) {
    while (left.length && s * 1000 >= left[0][0]) phase = left.shift()![1];
    if (s % 10 === 0 && phase !== 'up') {
      await track(page, `o${s}`, 20);
      tracked += 20;
      const q = await page.evaluate(() => (window as any).ChatVitals.info().queue);
      maxQueued = Math.max(maxQueued, q.queued + (await storedEvents(page)));
    }
    await page.clock.runFor(1000);
    await settle(page);
  }
  const posts: [number, number][] = await page.evaluate(() => (window as any).__posts);
  // [seconds since init, status]
  const attempts = posts.map(([t, status]) => [Math.round((t - t0) / 100) / 10, status] as const);
  return { attempts, tracked, maxQueued };
}

test.describe('5. long outage, simulated time', () => {
  test('refused 4 min, 500 for 3 min, 429 Retry-After: 2 for 4 min, then up: backoff observed, all delivered or counted', async ({ page, receiver, pageErrors }) => {
    const bound = 500;
    const phases: [number, Phase][] = [
      [4 * MIN, '500'],
      [7 * MIN, '429'],
      [11 * MIN, 'up'],
    ];
    const { attempts, tracked } = await outage(page, receiver, phases, 11 * 60 + 30, bound);
    console.log(`outage: ${attempts.length} attempts [s, status]:`, JSON.stringify(attempts));
    const inPhase = (from: number, to: number) => attempts.filter(([t]) => t >= from / 1000 && t < to / 1000);
    // Backoff: a handful of quick retries, then one probe per 5 minutes while refused or 500.
    const early = inPhase(0, 7 * MIN);
    expect(early.length).toBeGreaterThanOrEqual(5);
    expect(early.length).toBeLessThanOrEqual(8);
    expect(early.every(([, st]) => st === 0 || st === 500)).toBe(true);
    expect(inPhase(4 * MIN, 7 * MIN).some(([, st]) => st === 500)).toBe(true);
    const gaps = early.slice(1).map(([t], i) => t - early[i][0]);
    expect(gaps.slice(4).every((g) => g >= 299)).toBe(true); // after five failures: slowed right down
    // 429 with Retry-After: 2 → each retry at least 2 s after the last, never a storm.
    const throttled = attempts.filter(([, st]) => st === 429);
    expect(throttled.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < throttled.length; i++) expect(throttled[i][0] - throttled[i - 1][0]).toBeGreaterThanOrEqual(2);
    // After recovery: everything tracked arrived, or was dropped by the bound and reported as dropped.
    const delivered = new Set(receiver.events().filter((e) => e.type === 'render').map((e: any) => e.messageId)).size;
    const lost = dropped(receiver).reduce((n, e) => n + e.count, 0);
    console.log(`outage: tracked ${tracked}, delivered ${delivered}, dropped (reported) ${lost}`);
    expect(delivered + lost).toBe(tracked);
    expect(delivered).toBe(bound); // the bound held at the last attempt: newest `bound` kept …
    expect(renders(receiver, `o${11 * 60 - 10}`)).toHaveLength(20); // … the newest of all among them
    expect(await storedEvents(page)).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  // Fixed: every flush while deliveries fail trims IndexedDB to the bound, not only a flush that sends.
  test('the queue stays within maxQueueEvents between probes, not only when a delivery is attempted', async ({ page, receiver }) => {
    const bound = 500;
    const { maxQueued } = await outage(page, receiver, [[6 * MIN, 'up']], 6 * 60 + 10, bound);
    console.log(`outage: most events queued at once ${maxQueued} (bound ${bound})`);
    expect(maxQueued).toBeLessThanOrEqual(bound + 20); // + the 20 of one flush interval, not yet trimmed
  });
});

// ---------------------------------------------------------------------------------------------
// 6. More to beacon at page hide than the 64 KiB keepalive budget allows.
test.describe('6. page hide over 64 KiB', () => {
  test('a real navigation away with six requests of events queued: beacons stay within 64 KiB, the rest arrives on the next visit', async ({ page, receiver, pageErrors }) => {
    await open(page, receiver);
    await init(page, receiver, { flushIntervalMs: 60_000 });
    await flush(page); // the start-up flush is over: what follows waits in memory for the exit
    const n = 3000;
    await page.evaluate((n) => {
      const cv = (window as any).ChatVitals;
      // ~80 bytes of JSON each; ids vary so nothing compresses away
      for (let i = 0; i < n; i++) cv.trackRender({ messageId: `big-${i}-${Math.random().toString(36).slice(2)}`, renderTime: i % 97, contentLength: i });
    }, n);
    const before = receiver.requests.length;
    await page.goto('about:blank'); // a real pagehide: the SDK beacons synchronously and persists
    await receiver.waitFor(() => receiver.requests.length > before); // the exit beacon landed
    const revisit = Date.now();
    await open(page, receiver);
    await init(page, receiver);
    const evs = await receiver.waitFor(() => new Set(renders(receiver, 'big').map((e) => e.messageId)).size >= n);
    const atExit = receiver.requests.slice(before).filter((r) => r.envelope && r.envelope.sentAt < revisit);
    const exitBytes = atExit.reduce((s, r) => s + r.bytes, 0);
    const exitEvents = atExit.reduce((s, r) => s + r.envelope!.events.length, 0);
    console.log(`page hide: ${atExit.length} beacons, ${exitBytes} bytes, ${exitEvents} events; the rest on the next visit`);
    expect(atExit.length).toBeGreaterThan(0); // something left at the exit …
    expect(exitBytes).toBeLessThanOrEqual(65_536); // … within the keepalive budget …
    expect(exitEvents).toBeLessThan(n); // … and not everything fitted
    expect(atExit.every((r) => r.encoding === 'plain')).toBe(true);
    const big = renders(receiver, 'big');
    expect(new Set(big.map((e) => e.id)).size).toBe(n); // one id per event, however often it was sent
    expect(evs.filter((e) => e.type === 'dropped')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// 7. Hidden three times in a row, and a real back/forward-cache round trip.

/**
 * Watches the page's own bookkeeping, without changing it: active listeners on window/document by
 * type (window.__listeners()), active intervals (window.__intervals), rAF callbacks requested per
 * frame at most (window.__rafMax), and pageshow.persisted (window.__restored).
 */
function watchLifecycle() {
  const w = window as any;
  const active = new Map<string, Set<unknown>>();
  const key = (t: EventTarget, type: string) => (t === window ? 'window:' : t === document ? 'document:' : '') + type;
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  EventTarget.prototype.addEventListener = function (this: EventTarget, type: string, fn: any, o?: any) {
    const k = key(this, type);
    if (k.includes(':') && fn) (active.get(k) ?? active.set(k, new Set()).get(k)!).add(fn);
    return add.call(this, type, fn, o);
  };
  EventTarget.prototype.removeEventListener = function (this: EventTarget, type: string, fn: any, o?: any) {
    active.get(key(this, type))?.delete(fn);
    return remove.call(this, type, fn, o);
  };
  w.__listeners = () => Object.fromEntries([...active].map(([k, s]) => [k, s.size]).filter(([, n]) => n));
  const intervals = new Set<number>();
  const si = window.setInterval;
  const ci = window.clearInterval;
  window.setInterval = ((fn: any, ms?: number, ...a: any[]) => {
    const id = si(fn, ms, ...a);
    intervals.add(id);
    return id;
  }) as any;
  window.clearInterval = ((id: number) => (intervals.delete(id), ci(id))) as any;
  w.__intervals = () => intervals.size;
  let outstanding = 0;
  w.__rafMax = 0;
  const raf = window.requestAnimationFrame;
  window.requestAnimationFrame = (cb) => {
    w.__rafMax = Math.max(w.__rafMax, ++outstanding);
    return raf((t) => {
      outstanding--;
      cb(t);
    });
  };
  add.call(window, 'pageshow', (e: Event) => (e as PageTransitionEvent).persisted && (w.__restored = (w.__restored || 0) + 1));
}

const hide = (page: Page, times: number) =>
  page.evaluate((times) => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    for (let i = 0; i < times; i++) document.dispatchEvent(new Event('visibilitychange'));
  }, times);

const show = (page: Page) =>
  page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    Object.defineProperty(document, 'hidden', { value: false, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });

/** Scrolls #feed a few pixels a frame for `frames` frames (real scroll events, real rAF). */
const scroll = (page: Page, frames: number) =>
  page.evaluate(
    (frames) =>
      new Promise<void>((done) => {
        const feed = document.getElementById('feed')!;
        let i = 0;
        const step = () => {
          if (++i > frames) return setTimeout(done, 300); // past the session's idle end
          feed.scrollBy(0, 3);
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
    frames,
  );

test.describe('7. hidden thrice, back/forward cache', () => {
  test('three hidden events, then a real bfcache round trip: no duplicate sends, no doubled listeners, timers and rAF once', async ({ page, receiver, pageErrors }) => {
    await open(page, receiver, watchLifecycle);
    await init(page, receiver, { flushIntervalMs: 60_000, collect: { heap: { intervalMs: 1000 } } });
    await page.evaluate(() => (window as any).ChatVitals.observeScroll(document.getElementById('feed')));
    await flush(page); // the start-up flush is over
    const listeners0 = await page.evaluate(() => (window as any).__listeners());
    const intervals0 = await page.evaluate(() => (window as any).__intervals());
    expect(intervals0).toBe(1); // the heap snapshot timer

    await track(page, 'hid', 30);
    const before = receiver.requests.length;
    await hide(page, 3);
    await arrived(receiver, 'hid', 30);
    await show(page);
    // three hidden events, one exit: each event went out once
    expect(renders(receiver, 'hid')).toHaveLength(30);
    expect(receiver.requests.slice(before).filter((r) => r.envelope?.events.some((e: any) => e.type === 'render'))).toHaveLength(1);

    // A real round trip through the back/forward cache.
    await page.goto(`${receiver.origin}/pages/reliability.html?away`);
    await page.goBack({ waitUntil: 'commit' }); // a restore fires pageshow, not load
    await expect.poll(() => page.evaluate(() => (window as any).__restored), { message: 'restored from the back/forward cache' }).toBe(1);
    expect(await page.evaluate(() => (window as any).__listeners())).toEqual(listeners0);
    expect(await page.evaluate(() => (window as any).__intervals())).toBe(intervals0);
    // The scroll sampler after the restore: one rAF loop, one scroll event for one session.
    const scrollsBefore = receiver.events().filter((e) => e.type === 'scroll').length;
    await page.evaluate(() => ((window as any).__rafMax = 0));
    await scroll(page, 30);
    expect(await page.evaluate(() => (window as any).__rafMax)).toBe(2); // the page's own loop + the sampler's
    await track(page, 'back', 10);
    await flush(page);
    await arrived(receiver, 'back', 10);
    await receiver.waitFor((evs) => evs.filter((e) => e.type === 'scroll').length > scrollsBefore);
    expect(receiver.events().filter((e) => e.type === 'scroll').length).toBe(scrollsBefore + 1);
    expect(renders(receiver, 'back')).toHaveLength(10);
    expect(pageErrors).toEqual([]);
  });

  // Fixed: the hide beacons and persists; the page remembers which batches the browser took and the next
  // flush deletes their persisted copies unsent (a page that dies leaves them for the next visit).
  test('hidden then shown again: the next flush does not resend what the hide already beaconed', async ({ page, receiver }) => {
    await open(page, receiver);
    await init(page, receiver, { flushIntervalMs: 60_000 });
    await flush(page);
    await track(page, 'hid', 30);
    await hide(page, 1);
    await arrived(receiver, 'hid', 30);
    await show(page);
    await track(page, 'shown', 5);
    await flush(page); // resolves once its requests are answered
    await arrived(receiver, 'shown', 5);
    expect(renders(receiver, 'hid')).toHaveLength(30);
  });
});

// ---------------------------------------------------------------------------------------------
// 8. A hidden tab in the middle of a scroll, in simulated time.

/**
 * With the fake clock every rAF is a timer; a real browser runs no rAF callback while the page is
 * hidden and runs the waiting ones at the first frame after it is shown again. This restores that.
 */
function hiddenPausesRaf() {
  const raf = window.requestAnimationFrame; // the clock's
  const waiting: FrameRequestCallback[] = [];
  window.requestAnimationFrame = (cb) => raf((t) => (document.hidden ? waiting.push(cb) : cb(t)));
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) for (const cb of waiting.splice(0)) raf(cb);
  });
  /** A scroll event on #feed in each of the next `frames` frames. */
  (window as any).scrollFor = (frames: number) => {
    const feed = document.getElementById('feed')!;
    const step = () => {
      if (frames-- <= 0) return;
      feed.dispatchEvent(new Event('scroll'));
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  };
}

test.describe('8. hidden mid-scroll', () => {
  for (const hiddenMs of [30_000, 600])
    test(`hidden for ${hiddenMs / 1000} s between two stretches of scrolling: no jank or FPS figure from the gap`, async ({ page, receiver, pageErrors }) => {
      await page.clock.install();
      await page.addInitScript(watchIo);
      await open(page, receiver, hiddenPausesRaf);
      await page.clock.pauseAt(Date.now() + 1000);
      await init(page, receiver, { flushIntervalMs: 3_600_000 }); // no flush timer inside the simulated span
      await settle(page); // the start-up read of IndexedDB is over before time moves
      await page.evaluate(() => (window as any).ChatVitals.observeScroll(document.getElementById('feed')));
      await page.evaluate(() => (window as any).scrollFor(60));
      await page.clock.runFor(60 * 16);
      await hide(page, 1);
      await page.clock.runFor(hiddenMs);
      await show(page);
      await page.evaluate(() => (window as any).scrollFor(60));
      await page.clock.runFor(60 * 16 + 500); // and past the session's idle end
      await flush(page);
      const scrolls = (await receiver.waitFor((evs) => evs.some((e) => e.type === 'scroll'))).filter((e) => e.type === 'scroll') as any[];
      console.log(`hidden ${hiddenMs} ms mid-scroll →`, JSON.stringify(scrolls));
      // Both stretches measured (each runs on 150 ms past its last scroll event) …
      expect(scrolls.reduce((n, s) => n + s.frames, 0)).toBeGreaterThanOrEqual(110);
      for (const s of scrolls) {
        expect(s.duration).toBe(s.frames * 16); // … every counted interval a real 16 ms frame, none the gap
        expect(s.jankPercentage).toBe(0);
        expect(s.minFps).toBeGreaterThan(55);
        expect(s.avgFps).toBeGreaterThan(55);
      }
      expect(pageErrors).toEqual([]);
    });
});

// ---------------------------------------------------------------------------------------------
// 9. Clocks that jump: the wall clock moved by an hour, the monotonic clock frozen across a sleep.
const HOUR = 3_600_000;

test.describe('9. clock jumps', () => {
  test('a sleep (Date.now +1 h, performance.now frozen) during a render: renderTime from the monotonic clock, ts from the wall clock', async ({ page, receiver, pageErrors }) => {
    await page.clock.install();
    await page.addInitScript(watchIo);
    await open(page, receiver);
    await page.clock.pauseAt(Date.now() + 1000);
    await init(page, receiver, { flushIntervalMs: 3_600_000 });
    await settle(page);
    await page.evaluate(() => ((window as any).end = (window as any).ChatVitals.startRender('sleep', 10)));
    await page.clock.runFor(5);
    // The machine sleeps an hour: the wall clock moves on, performance.now() does not.
    const woke = await page.evaluate(() => Date.now()) + HOUR;
    await page.clock.setSystemTime(woke);
    await page.evaluate(() => (window as any).end());
    await page.clock.runFor(50); // the next paint
    await flush(page);
    const [r] = (await receiver.waitFor((evs) => evs.some((e) => e.type === 'render'))) as any[];
    const sentAt = receiver.accepted()[0].sentAt;
    console.log('after a sleep:', JSON.stringify(r), 'sentAt', sentAt, 'woke', woke);
    expect(r.renderTime).toBeGreaterThanOrEqual(5);
    expect(r.renderTime).toBeLessThan(100); // not an hour
    expect(Math.abs(r.ts - woke)).toBeLessThan(1000); // stamped on the wall clock, not timeOrigin + now()
    expect(Math.abs(sentAt - r.ts)).toBeLessThan(60_000);
    expect(pageErrors).toEqual([]);
  });

  test("the page's clock an hour ahead, then an hour behind → the real ingest counts every event now; an impossible ts is rejected alone", async ({ page, receiver, pageErrors }) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cv-rel-clock-'));
    const { startIngestServer } = await import('../dist/ingest.mjs');
    const ingest = await startIngestServer({ port: 0, dataDir });
    try {
      await page.clock.install();
      await page.addInitScript(watchIo);
      await open(page, receiver);
      await page.clock.pauseAt(Date.now() + 1000);
      await page.evaluate((endpoint) => {
        (window as any).ChatVitals.init({
          endpoint,
          app: 'clock-jump',
          flushIntervalMs: 3_600_000,
          collect: { heap: false, vitals: false, api: false, bundle: false },
          // What no clock could explain: an event stamped two days after its own batch was sent.
          beforeSend: (e: any) => (e.messageId === 'impossible' ? { ...e, ts: e.ts + 2 * 86_400_000 } : e),
        });
      }, ingest.url + '/ingest');
      await settle(page);
      const realNow = Date.now();
      await page.clock.setSystemTime(realNow + HOUR);
      await track(page, 'ahead', 10);
      await flush(page);
      await page.clock.setSystemTime(realNow - HOUR);
      await track(page, 'behind', 10);
      await page.evaluate(() => (window as any).ChatVitals.trackRender({ messageId: 'impossible', renderTime: 1 }));
      await flush(page);
      const metrics = async () => (await (await fetch(`${ingest.url}/api/metrics?window=600000&app=clock-jump`)).json()).performance.renders.total;
      // Within the last 10 minutes of the ingest's own clock: sentAt corrected both skews.
      await expect.poll(metrics).toBe(20);
      // The impossible one alone was rejected (the ingest's own count); its batch was accepted, not retried.
      const prom = await (await fetch(`${ingest.url}/metrics`)).text();
      expect(prom).toMatch(/chat_vitals_ingest_events_total\{result="rejected"\} 1$/m);
      expect(prom).toMatch(/chat_vitals_ingest_events_total\{result="accepted"\} 20$/m);
      expect(await storedEvents(page)).toBe(0);
    } finally {
      await ingest.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(pageErrors).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// 10. localStorage denied, and every way browsers say "quota exceeded".
test.describe('10. localStorage faults', () => {
  test('a sandboxed frame (opaque origin: the browser denies localStorage and IndexedDB) → SecurityError recorded, events still delivered', async ({ page, receiver, pageErrors }) => {
    await openPage(page, receiver, 'reliability-sandbox.html');
    const frame = page.frames().find((f) => f.url().endsWith('reliability-frame.html'))!;
    await frame.waitForFunction(() => typeof (window as any).ChatVitals?.init === 'function');
    const out = await frame.evaluate(async (endpoint) => {
      let denied = '';
      try {
        void localStorage;
      } catch (e) {
        denied = (e as Error).name; // the browser's own answer, not an injected one
      }
      const cv = (window as any).ChatVitals;
      cv.init({ endpoint, flushIntervalMs: 200, collect: { heap: false, vitals: false, api: false, bundle: false } });
      const store = cv.persistentStore('conversation');
      const r = { denied, saved: store.save(['hi']), restored: store.restore(), removed: store.remove() };
      cv.trackRender({ messageId: 'sandboxed', renderTime: 3 });
      await cv.flush();
      return r;
    }, receiver.endpoint);
    expect(out).toEqual({ denied: 'SecurityError', saved: false, restored: undefined, removed: false });
    const evs = await receiver.waitFor((evs) => evs.filter((e) => e.type === 'persistence').length >= 3 && evs.some((e) => e.type === 'render'));
    expect(evs.filter((e: any) => e.type === 'persistence').map((e: any) => [e.operation, e.success, e.error])).toEqual([
      ['save', false, 'SecurityError'],
      ['restore', false, 'SecurityError'],
      ['delete', false, 'SecurityError'],
    ]);
    expect(pageErrors).toEqual([]);
  });

  // How each engine has signalled a full localStorage, thrown from setItem.
  const quotaErrors: Record<string, string> = {
    'DOMException QuotaExceededError (code 22)': `new DOMException('quota', 'QuotaExceededError')`,
    'legacy WebKit QUOTA_EXCEEDED_ERR, code 22': `Object.assign(new Error('quota'), { name: 'QUOTA_EXCEEDED_ERR', code: 22 })`,
    'old Firefox NS_ERROR_DOM_QUOTA_REACHED, code 1014': `Object.assign(new Error('quota'), { name: 'NS_ERROR_DOM_QUOTA_REACHED', code: 1014 })`,
    'the QuotaExceededError subclass': `new (class QuotaExceededError extends DOMException { constructor() { super('quota', 'QuotaExceededError'); } })()`,
  };
  test('each quota variant and a throwing window.localStorage getter → classified, counted, no throw', async ({ page, receiver, pageErrors }) => {
    await open(page, receiver, () => {
      const w = window as any;
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (this: Storage, k: string, v: string) {
        if (w.__quota) throw (0, eval)(w.__quota);
        return setItem.call(this, k, v);
      };
      const ls = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
      Object.defineProperty(window, 'localStorage', {
        configurable: true,
        get() {
          if (w.__denied) throw new DOMException('The operation is insecure.', 'SecurityError');
          return ls.get!.call(window);
        },
      });
    });
    await init(page, receiver);
    const results = await page.evaluate((errors) => {
      const w = window as any;
      const store = w.ChatVitals.persistentStore('draft');
      const out: unknown[] = [];
      for (const expr of Object.values(errors)) {
        w.__quota = expr;
        out.push(store.save({ text: 'hello' }));
      }
      w.__quota = '';
      w.__denied = true;
      out.push(store.save({ text: 'hello' }), store.restore());
      return out;
    }, quotaErrors);
    expect(results).toEqual([false, false, false, false, false, undefined]);
    await flush(page);
    const evs = await receiver.waitFor((evs) => evs.filter((e) => e.type === 'persistence').length >= 6);
    expect(evs.filter((e: any) => e.type === 'persistence').map((e: any) => [e.operation, e.success, e.error])).toEqual([
      ...Object.keys(quotaErrors).map(() => ['save', false, 'QuotaExceededError']),
      ['save', false, 'SecurityError'],
      ['restore', false, 'SecurityError'],
    ]);
    expect(pageErrors).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// 11. BroadcastChannel missing, used after close(), handed what it cannot clone.
test.describe('11. BroadcastChannel faults', () => {
  // Both builds: the same statuses; the development one also says so, once.
  for (const dev of [false, true])
    test(`no BroadcastChannel: post() is false, nothing false is reported, ${dev ? 'one warning (development build)' : 'silently (production build)'}`, async ({ page, receiver, pageErrors }) => {
      if (dev) await useDevBuild(page);
      const warned = warnings(page);
      await open(page, receiver, () => {
        delete (window as any).BroadcastChannel;
      });
      await init(page, receiver);
      const out = await page.evaluate(() => {
        const cv = (window as any).ChatVitals;
        const a = cv.syncChannel('conversation');
        const b = cv.syncChannel('presence');
        const off = a.onMessage(() => {});
        const r = [a.post({ draft: 'x' }), a.post('y'), b.post(1), typeof off];
        off();
        a.close();
        b.close();
        cv.trackRender({ messageId: 'marker', renderTime: 1 });
        return r;
      });
      expect(out).toEqual([false, false, false, 'function']);
      await flush(page);
      await receiver.waitFor((evs) => evs.some((e) => e.type === 'render'));
      expect(receiver.events().filter((e) => e.type === 'tabsync')).toEqual([]);
      expect(warned.filter((w) => w.includes('BroadcastChannel'))).toHaveLength(dev ? 1 : 0);
      expect(pageErrors).toEqual([]);
    });

  test('post after close() and uncloneable payloads: false with one warning each (development build), the channel keeps working for good ones', async ({ page, context, receiver, pageErrors }) => {
    await useDevBuild(page);
    const warned = warnings(page);
    const other = await context.newPage();
    for (const p of [page, other]) {
      await open(p, receiver);
      await init(p, receiver);
    }
    await other.evaluate(() => {
      const w = window as any;
      w.got = [];
      w.ChatVitals.syncChannel('c').onMessage((d: unknown) => w.got.push(d));
    });
    const out = await page.evaluate(async () => {
      const cv = (window as any).ChatVitals;
      const ch = cv.syncChannel('c', { timeoutMs: 200 });
      await new Promise((r) => setTimeout(r, 100)); // hello / here
      const uncloneable = [() => 1, Symbol('s'), document.body, new WeakMap(), { nested: () => 1 }];
      const results = uncloneable.map((d) => ch.post(d));
      const cyclic: any = { n: 1 };
      cyclic.self = cyclic; // structured clone handles cycles: this one goes
      results.push(ch.post(cyclic), ch.post({ ok: true }));
      const closed = cv.syncChannel('c');
      closed.close();
      results.push(closed.post('late'), closed.post('later'));
      closed.close(); // twice: harmless
      await new Promise((r) => setTimeout(r, 400)); // past the ack timeout of the good ones
      return results;
    });
    expect(out).toEqual([false, false, false, false, false, true, true, false, false]);
    await other.waitForFunction(() => (window as any).got.length === 2);
    expect(await other.evaluate(() => (window as any).got[1])).toEqual({ ok: true });
    for (const p of [page, other]) await flush(p);
    await receiver.waitFor((evs) => evs.filter((e) => e.type === 'tabsync').length >= 2);
    // the two good messages arrived and were acknowledged; the refused ones never counted as failures
    expect(receiver.events().filter((e: any) => e.type === 'tabsync' && !e.success)).toEqual([]);
    expect(warned.filter((w) => w.includes('post failed'))).toHaveLength(1);
    expect(warned.filter((w) => w.includes('post after close'))).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });
});

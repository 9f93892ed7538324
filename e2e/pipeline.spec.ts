// The delivery pipeline in real Chromium against a real HTTP receiver: real IndexedDB, Web Locks,
// sendBeacon, keepalive fetch, CompressionStream, reloads, tab close and a crashed renderer.
import type { Page } from '@playwright/test';
import { test, expect, openPage } from './support/fixtures';
import type { Receiver } from './support/receiver';

/** init on the page; a short flush interval keeps the test quick (the schedule is unit-tested). */
async function init(page: Page, receiver: Receiver, extra: Record<string, unknown> = {}) {
  await page.evaluate(
    ([endpoint, extra]) => (window as any).ChatVitals.init({ endpoint, flushIntervalMs: 200, ...extra }),
    [receiver.endpoint, extra] as const,
  );
}

/**
 * n trackRender calls in one task, messageIds `<tag>-<i>-<random>`, values as varied as real ones
 * (so the gzip figure is not flattered by repetition).
 */
const track = (page: Page, tag: string, n: number) =>
  page.evaluate(
    ([tag, n]) => {
      const cv = (window as any).ChatVitals;
      for (let i = 0; i < n; i++)
        cv.trackRender({
          messageId: `${tag}-${i}-${Math.random().toString(36).slice(2, 10)}`,
          renderTime: Math.round(Math.random() * 400) / 10,
          contentLength: Math.floor(Math.random() * 2000),
        });
    },
    [tag, n] as const,
  );

const flush = (page: Page) => page.evaluate(() => (window as any).ChatVitals.flush());

/** Resolves when every `<tag>-<i>-…` render has arrived; returns them (duplicates included). */
async function arrived(receiver: Receiver, tag: string, n: number, timeoutMs = 20_000) {
  const mine = (evs: any[]) => evs.filter((e) => e.type === 'render' && String(e.messageId).startsWith(tag + '-'));
  const evs = mine(await receiver.waitFor((evs) => new Set(mine(evs).map((e) => e.messageId)).size >= n, timeoutMs));
  // one id per render: a copy sent twice is the same event, never a new one
  const idOf = new Map<string, string>();
  for (const e of evs) {
    expect(idOf.get(e.messageId) ?? e.id).toBe(e.id);
    idOf.set(e.messageId, e.id);
  }
  expect(new Set(evs.map((e) => e.id)).size).toBe(n);
  return evs;
}

/** 503 with a 1 s Retry-After while `down()` holds: a deterministic outage. */
const outage = (receiver: Receiver, down: () => boolean) => {
  receiver.respond = () => (down() ? { status: 503, headers: { 'retry-after': '1' } } : undefined);
};

const storedEvents = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((ok) => {
        const req = indexedDB.open('chat-vitals');
        req.onsuccess = () => {
          const db = req.result;
          const all = db.transaction('queue').objectStore('queue').getAll(IDBKeyRange.bound('b:', 'b;'));
          all.onsuccess = () => {
            db.close();
            ok(all.result.reduce((n: number, b: any) => n + b.e.length, 0));
          };
        };
      }),
  );

test('503 for a while, the page reloaded, then 200: every event arrives', async ({ page, receiver, pageErrors }) => {
  let down = true;
  outage(receiver, () => down);
  await openPage(page, receiver);
  await init(page, receiver);
  await track(page, 'outage', 300);
  await flush(page);
  expect(receiver.requests.some((r) => r.status === 503)).toBe(true);
  expect(await storedEvents(page)).toBeGreaterThanOrEqual(300);
  await track(page, 'outage2', 50); // in memory only when the reload comes: persisted on pagehide
  await page.reload();
  down = false;
  await init(page, receiver);
  await arrived(receiver, 'outage', 300);
  await arrived(receiver, 'outage2', 50);
  await expect.poll(() => storedEvents(page)).toBe(0);
  expect(pageErrors).toEqual([]);
});

test('the page closed right after tracking: every event arrives (beacon or next visit)', async ({ page, context, receiver }) => {
  await openPage(page, receiver);
  await init(page, receiver, { flushIntervalMs: 60_000 });
  await track(page, 'closed', 40);
  await page.close({ runBeforeUnload: false });
  const next = await context.newPage();
  await openPage(next, receiver);
  await init(next, receiver);
  await arrived(receiver, 'closed', 40);
});

test('1,200 renders and the page closed at once: what the exit beacon could not carry arrives on the next visit', async ({ page, context, receiver }) => {
  await openPage(page, receiver);
  await init(page, receiver, { flushIntervalMs: 60_000 });
  await flush(page); // the start-up flush is over: the renders wait in memory for the exit
  await track(page, 'fast', 1200); // ~150 kB of JSON: the 64 KiB beacon budget carries about half
  await page.close({ runBeforeUnload: false }); // no await of a flush, no time for IndexedDB
  const beaconed = new Set(receiver.events().filter((e: any) => String(e.messageId).startsWith('fast-')).map((e: any) => e.id)).size;
  expect(beaconed).toBeLessThan(1200);
  const next = await context.newPage();
  await openPage(next, receiver);
  await init(next, receiver);
  await arrived(receiver, 'fast', 1200);
  // the localStorage bridge is gone once its batches are queued
  await expect.poll(() => next.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('chat-vitalsb:')))).toEqual([]);
});

test('the page closed at once while its IndexedDB never commits: the localStorage spill alone brings every render to the next visit', async ({ page, context, receiver }) => {
  // The closing page's IndexedDB never opens (as when the renderer goes before the write commits):
  // only the beacon and the synchronous spill can carry the renders.
  await page.addInitScript(() => (IDBFactory.prototype.open = () => ({}) as IDBOpenDBRequest));
  await openPage(page, receiver);
  await init(page, receiver, { flushIntervalMs: 60_000 });
  await flush(page); // gives up on IndexedDB after its bound; the renders wait in memory
  await track(page, 'spill', 1200);
  await page.close({ runBeforeUnload: false });
  const next = await context.newPage();
  await openPage(next, receiver);
  await init(next, receiver);
  await arrived(receiver, 'spill', 1200);
});

test('renderer crashed after a flush to IndexedDB: every event arrives on the next visit', async ({ page, context, receiver }) => {
  let down = true;
  outage(receiver, () => down);
  await openPage(page, receiver);
  await init(page, receiver);
  await track(page, 'crash', 200);
  await flush(page);
  expect(await storedEvents(page)).toBeGreaterThanOrEqual(200);
  const next = await context.newPage(); // opened first: the crash must not end the context
  const crashed = new Promise((ok) => page.on('crash', ok));
  const cdp = await context.newCDPSession(page);
  void cdp.send('Page.crash').catch(() => undefined); // the call itself dies with the renderer
  await crashed;
  down = false;
  await openPage(next, receiver);
  await init(next, receiver);
  await arrived(receiver, 'crash', 200);
});

test('indexedDB gone before the script loads: events still arrive, through an outage too', async ({ page, receiver, pageErrors }) => {
  await page.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true }));
  let down = true;
  outage(receiver, () => down);
  await openPage(page, receiver);
  expect(await page.evaluate(() => typeof indexedDB)).toBe('undefined');
  await init(page, receiver);
  await track(page, 'noidb', 100);
  await flush(page);
  expect(receiver.requests.some((r) => r.status === 503)).toBe(true);
  down = false;
  await arrived(receiver, 'noidb', 100);
  expect(pageErrors).toEqual([]);
});

test('the database deleted before the script loads: it is recreated and events arrive', async ({ page, receiver }) => {
  await openPage(page, receiver);
  await page.evaluate(() => new Promise((ok) => (indexedDB.deleteDatabase('chat-vitals').onsuccess = ok)));
  await init(page, receiver);
  await track(page, 'deleted', 20);
  await flush(page);
  await arrived(receiver, 'deleted', 20);
  expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toContain('chat-vitals');
});

test('10,000 trackRender calls in one task: all 10,000 arrive, every request under 64 KiB', async ({ page, receiver, pageErrors }) => {
  await openPage(page, receiver);
  await init(page, receiver);
  await track(page, 'burst', 10_000);
  await flush(page);
  await arrived(receiver, 'burst', 10_000, 40_000);
  expect(Math.max(...receiver.requests.map((r) => r.bytes))).toBeLessThan(65_536);
  expect(receiver.events().filter((e) => e.type === 'dropped')).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('two tabs flushing together: each stored batch is sent once (Web Locks)', async ({ page, context, receiver }) => {
  let down = true;
  outage(receiver, () => down);
  const other = await context.newPage();
  for (const [p, tag] of [
    [page, 'tabA'],
    [other, 'tabB'],
  ] as const) {
    await openPage(p, receiver);
    await init(p, receiver, { flushIntervalMs: 60_000 });
    await track(p, tag, 500);
    await flush(p);
  }
  expect(await storedEvents(page)).toBeGreaterThanOrEqual(1000);
  down = false;
  await page.waitForTimeout(1100); // past the 1 s Retry-After both tabs were given
  await Promise.all([flush(page), flush(other), flush(page), flush(other)]);
  await arrived(receiver, 'tabA', 500);
  await arrived(receiver, 'tabB', 500);
  const renders = receiver.events().filter((e) => e.type === 'render');
  expect(renders).toHaveLength(1000); // not one duplicate
  expect(await storedEvents(page)).toBe(0);
});

test('page exit beacons plain JSON; a bfcache restore registers nothing twice', async ({ page, receiver }) => {
  await openPage(page, receiver);
  await init(page, receiver, { flushIntervalMs: 60_000 });
  await flush(page); // the start-up flush is done: what follows stays in memory until the exit
  await track(page, 'exit', 30);
  // Going hidden twice must not resend the same events.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    document.dispatchEvent(new Event('visibilitychange'));
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
  });
  const evs = await arrived(receiver, 'exit', 30);
  const beacon = receiver.requests.find((r) => r.envelope?.events.some((e: any) => e.messageId?.startsWith('exit-0-')))!;
  expect(beacon.encoding).toBe('plain');
  expect(evs).toHaveLength(30);
  // a back/forward-cache restore keeps the page's listeners: one exit still means one beacon
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
  });
  await track(page, 'exit2', 5);
  await page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
  await arrived(receiver, 'exit2', 5);
  await page.waitForTimeout(300);
  expect(receiver.events().filter((e: any) => e.type === 'render' && e.messageId.startsWith('exit2-'))).toHaveLength(5);
});

test('bytes on the wire per event, 1,000 renders, plain and with compress: gzip (ESM build)', async ({ page, receiver }) => {
  const perEvent: Record<string, number> = {};
  for (const compress of [false, true]) {
    await openPage(page, receiver);
    // gzip is an export of the ESM build (the script tag leaves it out): that build stands in for
    // window.ChatVitals, so the helpers below drive it.
    await page.evaluate(
      async ([endpoint, compress]) => {
        const cv = await import('/dist/chat-vitals.mjs' as string);
        (window as any).ChatVitals = cv;
        cv.init({ endpoint, flushIntervalMs: 60_000, compress: compress ? cv.gzip : undefined });
      },
      [receiver.endpoint, compress] as const,
    );
    const tag = compress ? 'gz' : 'plain';
    const from = receiver.requests.length;
    await track(page, tag, 1000);
    await flush(page);
    await arrived(receiver, tag, 1000);
    const reqs = receiver.requests.slice(from).filter((r) => r.envelope?.events.some((e: any) => e.messageId?.startsWith(tag + '-')));
    expect(reqs.every((r) => r.encoding === (compress ? 'gzip' : 'plain'))).toBe(true);
    perEvent[tag] = reqs.reduce((n, r) => n + r.bytes, 0) / reqs.reduce((n, r) => n + r.envelope!.events.length, 0);
    await page.evaluate(() => (window as any).ChatVitals.shutdown());
  }
  console.log(`bytes on the wire per render event: plain ${perEvent.plain.toFixed(1)}, gzip ${perEvent.gz.toFixed(1)}`);
  expect(perEvent.gz).toBeLessThan(perEvent.plain);
});

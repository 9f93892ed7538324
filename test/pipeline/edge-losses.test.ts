// @vitest-environment happy-dom
// Edge cases that once lost or double-counted events (found by reading the pipeline), each proved by one test.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatVitalsEvent } from '../../src/types';
import type { Pipeline } from '../../src/pipeline';
import { clock, fakeIngest, options, render, shutAll, start, storedIds } from './fakes';

afterEach(async () => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  await shutAll();
  localStorage.clear();
});

/** What the core's _onDropped does: push a `dropped` event back into the pipeline. */
const likeCore = (c: { t: number }, get: () => Pipeline) => (count: number, reason: string) =>
  get().push({ id: 'drop-' + reason + '-' + count, type: 'dropped', ts: c.t, count, reason } as ChatVitalsEvent);

/** indexedDB.open() never settles (Safari 14, or a closing page whose IndexedDB never commits). */
const hangIndexedDB = () => vi.stubGlobal('indexedDB', { open: () => ({}) });

describe('edge cases once lost or double-counted', () => {
  it('a spill record with a key but no event array (another version, corrupt) does not make every later flush lose its events', async () => {
    const ingest = fakeIngest();
    const o = options({ _fetch: ingest.fetch });
    localStorage[o._dbName + 'b:~x'] = '[{"k":"b:1","e":null}]';
    const p = start(o);
    await p.flush();
    const ev = render(Date.now());
    p.push(ev);
    await p.flush();
    expect(ingest.ids.has(ev.id)).toBe(true);
  });

  it('drop counts handed over by the final flush of shutdown() reach the queue (the core pushes them back into the pipeline)', async () => {
    const c = clock();
    let p: Pipeline;
    const o = options({ _now: c.now, _fetch: fakeIngest(503).fetch });
    o._onDropped = likeCore(c, () => p);
    p = start(o);
    p.push(render(c.t - 86_000_000));
    p.push(render(c.t));
    await p.flush(); // 503: delivery failing, drop counts now wait in memory
    c.t += 500_000; // the first event is now past 24 h
    await p.flush();
    expect(p.stats().dropped).toBe(1);
    await p.shutdown(); // the last flush hands the count over: it must be stored for the next visit
    expect(await storedIds(o._dbName)).toContain('drop-expired-1');
  });

  it('hidden, an event, then pagehide while IndexedDB never commits: the spill still holds the events of the first hide', async () => {
    const c = clock();
    const o = options({ _now: c.now, _fetch: fakeIngest(0).fetch, _sendBeacon: () => false });
    hangIndexedDB();
    const p = start(o);
    const first = render(c.t);
    p.push(first);
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    const second = render(c.t); // e.g. a vital reported on hidden
    p.push(second);
    dispatchEvent(new Event('pagehide'));
    // the page is gone; IndexedDB never committed. The next visit:
    vi.unstubAllGlobals();
    const up = fakeIngest();
    await start({ ...o, _fetch: up.fetch, _sendBeacon: () => true }).flush();
    expect(up.ids.has(second.id)).toBe(true);
    expect(up.ids.has(first.id)).toBe(true);
  });

  it('pagehide while a flush is writing to an IndexedDB that never commits: the spill holds what that write carries', async () => {
    const c = clock();
    const o = options({ _now: c.now, _fetch: fakeIngest(0).fetch, _sendBeacon: () => false });
    // a previous page spilled a batch to localStorage; this page's IndexedDB never commits
    const spilledEv = render(c.t);
    localStorage[o._dbName + 'b:~old'] = JSON.stringify([{ h: {}, e: [spilledEv], s: 200, k: 'b:' + c.t + '0x' }]);
    hangIndexedDB();
    start(o); // takes the spill into memory, its first flush starts writing it
    await new Promise((r) => setTimeout(r, 20));
    dispatchEvent(new Event('pagehide')); // closed at once
    vi.unstubAllGlobals();
    const up = fakeIngest();
    await start({ ...o, _fetch: up.fetch }).flush();
    expect(up.ids.has(spilledEv.id)).toBe(true);
  });
  it('IndexedDB failing to write after a good read: what the bounds dropped is counted once, what was sent is not sent again', async () => {
    const c = clock();
    const ingest = fakeIngest(503);
    const o = options({ _now: c.now, _fetch: ingest.fetch });
    const p = start(o);
    const old = Array.from({ length: 3 }, () => render(c.t));
    const fresh = render(c.t + 86_000_000);
    old.forEach(p.push);
    await p.flush(); // 503: stored in IndexedDB
    c.t += 86_000_000; // `old` is past 24 h now
    p.push(fresh);
    await p.flush(); // stored too (still in backoff)
    expect(await storedIds(o._dbName)).toHaveLength(4);
    ingest.script.length = 0;
    ingest.script.push(202, 202, 202);
    c.t += 600_000; // the backoff is over; the ingest is back
    // from now on every IndexedDB write fails (reads still work)
    const tx = IDBDatabase.prototype.transaction;
    vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (this: IDBDatabase, ...a: Parameters<typeof tx>) {
      if (a[1] == 'readwrite') throw new DOMException('disk full', 'QuotaExceededError');
      return tx.apply(this, a);
    });
    await p.flush();
    await p.flush();
    await p.flush();
    const sends = ingest.calls.flatMap((x) => x.envelope.events.map((e) => e.id)).filter((id) => id == fresh.id);
    expect(sends).toHaveLength(1);
    expect(o.dropLog).toEqual([[3, 'expired']]);
    expect(p.stats().sent).toBe(1);
  });
});

// Delivery policy with fake-indexeddb and a fake ingest: what is stored, sent, retried, dropped.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CAP_MS, MAX_WAIT_MS } from '../../src/pipeline/backoff';
import { gzip } from '../../src/pipeline/gzip';
import { IDB_TIMEOUT_MS } from '../../src/pipeline/store';
import { clock, fakeIngest, options, render, shutAll, start, storedIds } from './fakes';

afterEach(async () => {
  vi.useRealTimers();
  await shutAll();
});

describe('pipeline delivery', () => {
  it('sends the SPEC §4 envelope with keepalive, as a string (text/plain by the Fetch default, no preflight), and empties the queue on 2xx', async () => {
    const c = clock();
    const ingest = fakeIngest();
    const o = options({ _now: c.now, _fetch: ingest.fetch });
    const p = start(o);
    const evs = [render(c.t), render(c.t), render(c.t)];
    evs.forEach(p.push);
    expect(p.stats().queued).toBe(3);
    await p.flush();
    expect(ingest.calls).toHaveLength(1);
    const { url, init, envelope } = ingest.calls[0];
    expect(url).toBe(o.endpoint);
    expect(init).toMatchObject({ method: 'POST', keepalive: true });
    expect(typeof init.body).toBe('string');
    expect(init.headers).toBeUndefined(); // a header of ours could make the request preflighted
    expect(envelope).toMatchObject({ v: 1, sdk: 'chat-vitals@test', app: 'widget', session: 's1', page: '/chat', sentAt: c.t });
    expect(envelope.events).toEqual(evs);
    expect(p.stats()).toMatchObject({ queued: 0, stored: 0, sent: 3, dropped: 0, failures: 0 });
    expect(await storedIds(o._dbName)).toEqual([]);
  });

  it('writes one IndexedDB batch per flush, not one record per event', async () => {
    const ingest = fakeIngest(503);
    const o = options({ _fetch: ingest.fetch });
    const p = start(o);
    await p.flush();
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    for (let i = 0; i < 500; i++) p.push(render(Date.now()));
    await p.flush();
    const batchPuts = put.mock.calls.filter(([, k]) => String(k).startsWith('b:'));
    put.mockRestore();
    expect(batchPuts).toHaveLength(1);
    expect(await storedIds(o._dbName)).toHaveLength(500);
  });

  it('keeps a batch in IndexedDB until a 2xx, and the next visit sends what an earlier one left', async () => {
    const c = clock();
    const down = fakeIngest(503);
    const o = options({ _now: c.now, _fetch: down.fetch });
    const first = start(o);
    const evs = Array.from({ length: 20 }, () => render(c.t));
    evs.forEach(first.push);
    await first.flush();
    expect(down.calls).toHaveLength(1);
    expect(first.stats()).toMatchObject({ stored: 20, sent: 0, failures: 1 });
    expect(await storedIds(o._dbName)).toEqual(evs.map((e) => e.id));
    await first.shutdown(); // the tab goes away

    c.t += 60_000;
    const up = fakeIngest(202);
    const next = start({ ...o, _fetch: up.fetch });
    await next.flush();
    expect([...up.ids]).toEqual(evs.map((e) => e.id));
    expect(up.calls[0].envelope.session).toBe('s1'); // sent under the header of the visit that made it
    expect(await storedIds(o._dbName)).toEqual([]);
    expect(next.stats()).toMatchObject({ stored: 0, failures: 0, nextAt: 0 });
  });

  it('drops a batch the ingest rejects with a 4xx and reports it', async () => {
    const ingest = fakeIngest();
    ingest.script.push(400);
    const o = options({ _fetch: ingest.fetch });
    const p = start(o);
    p.push(render(Date.now()));
    p.push(render(Date.now()));
    await p.flush();
    expect(o.dropLog).toEqual([[2, 'rejected-400']]);
    expect(p.stats()).toMatchObject({ dropped: 2, sent: 0, failures: 0 });
    expect(await storedIds(o._dbName)).toEqual([]);
  });

  it('backs off with jitter, then probes once per 5 minutes, over 10 simulated minutes; recovers on success', async () => {
    const c = clock();
    const ingest = fakeIngest(0); // network error: an ad-blocker or CSP
    const p = start(options({ _now: c.now, _fetch: ingest.fetch }));
    const ev = render(c.t);
    p.push(ev);
    const t0 = c.t;
    const at: number[] = [];
    for (let s = 0; s <= 600; s++) {
      c.t = t0 + s * 1000;
      const before = ingest.calls.length;
      await p.flush(); // as often as any caller likes: requests follow the schedule, not the calls
      if (ingest.calls.length > before) at.push(s);
    }
    // random() = 0.5: waits of 0.5, 1, 2, 4 s (rounded up to our 1 s ticks), then one probe per 300 s.
    expect(at).toEqual([0, 1, 2, 4, 8, 308]);
    expect(p.stats()).toMatchObject({ failures: 6, retries: 6, sent: 0 });
    expect(p.stats().nextAt).toBe(t0 + 308_000 + CAP_MS);

    ingest.script.push(202);
    c.t = p.stats().nextAt;
    await p.flush();
    expect([...ingest.ids]).toEqual([ev.id]);
    expect(p.stats()).toMatchObject({ failures: 0, nextAt: 0, queued: 0, stored: 0 });
  });

  it('honours Retry-After on 429 and 503', async () => {
    const c = clock();
    const ingest = fakeIngest();
    ingest.script.push({ status: 429, retryAfter: '120' });
    const p = start(options({ _now: c.now, _fetch: ingest.fetch }));
    p.push(render(c.t));
    await p.flush();
    expect(p.stats().nextAt).toBe(c.t + 120_000);
    c.t += 119_000;
    await p.flush();
    expect(ingest.calls).toHaveLength(1);
    ingest.script.push({ status: 503, retryAfter: '45' });
    c.t += 1000;
    await p.flush();
    expect(ingest.calls).toHaveLength(2);
    expect(p.stats().nextAt).toBe(c.t + 45_000);
    c.t += 45_000;
    await p.flush();
    expect(ingest.ids.size).toBe(1);
  });

  it('keeps the backoff across a reload, so reloading a page does not make a request storm', async () => {
    const c = clock();
    const ingest = fakeIngest(0);
    const o = options({ _now: c.now, _fetch: ingest.fetch });
    const first = start(o);
    first.push(render(c.t));
    for (let i = 0; i < 6; i++) {
      c.t = Math.max(c.t, first.stats().nextAt);
      await first.flush();
    }
    expect(first.stats().failures).toBe(6);
    const until = first.stats().nextAt;
    await first.shutdown();
    const calls = ingest.calls.length;

    c.t += 10_000; // reloaded 10 s later
    const next = start(o);
    next.push(render(c.t));
    await next.flush();
    expect(ingest.calls.length).toBe(calls);
    expect(next.stats()).toMatchObject({ failures: 6, nextAt: until });
  });

  it('a wall clock stepped back a day during a backoff delays delivery by at most an hour, not by the step', async () => {
    const c = clock();
    const ingest = fakeIngest(0);
    const p = start(options({ _now: c.now, _fetch: ingest.fetch, maxEventAgeMs: 7 * 86_400_000 }));
    const ev = render(c.t);
    p.push(ev);
    for (let i = 0; i < 6; i++) {
      c.t = Math.max(c.t, p.stats().nextAt);
      await p.flush();
    }
    expect(p.stats().nextAt - c.t).toBe(CAP_MS); // probing every 5 minutes
    c.t -= 86_400_000; // NTP, a VM resumed: the clock steps back a day
    ingest.script.length = 0;
    ingest.script.push(202);
    await p.flush();
    expect(p.stats().nextAt - c.t).toBeLessThanOrEqual(MAX_WAIT_MS);
    c.t += MAX_WAIT_MS;
    await p.flush();
    expect(ingest.ids.has(ev.id)).toBe(true);
  });

  it('while delivery fails, each flush bounds the queue per type, oldest out; the drop is reported once it works', async () => {
    const c = clock();
    const ingest = fakeIngest(503);
    const o = options({ _now: c.now, _fetch: ingest.fetch, maxQueueEvents: 10 });
    const p = start(o);
    const first = render(c.t);
    p.push(first);
    await p.flush(); // fails: the queue is now a backlog
    const evs = Array.from({ length: 15 }, () => render(c.t));
    evs.forEach(p.push);
    expect(p.stats()).toMatchObject({ queued: 15, dropped: 0 }); // the hot path only pushes
    await p.flush(); // not due: no request, but the bound is applied to what is stored
    expect(ingest.calls).toHaveLength(1);
    expect(await storedIds(o._dbName)).toEqual(evs.slice(5).map((e) => e.id));
    expect(p.stats()).toMatchObject({ queued: 0, stored: 10, dropped: 6 });
    expect(o.dropLog).toEqual([]); // counted; reported when delivery works, not one report per flush
    c.t = p.stats().nextAt;
    ingest.script.push(202);
    await p.flush();
    expect(o.dropLog).toEqual([[6, 'overflow']]);
    expect([...ingest.ids]).toEqual(evs.slice(5).map((e) => e.id));
  });

  it('between two probes every flush keeps IndexedDB within the bound, and the drops are reported once delivery works', async () => {
    const c = clock();
    const ingest = fakeIngest(0);
    const o = options({ _now: c.now, _fetch: ingest.fetch, maxQueueEvents: 10 });
    const p = start(o);
    const t0 = c.t;
    let most = 0;
    const evs = [];
    for (let s = 0; s < 400; s++) {
      c.t = t0 + s * 1000;
      const e = render(c.t);
      evs.push(e);
      p.push(e);
      await p.flush();
      most = Math.max(most, (await storedIds(o._dbName)).length);
    }
    expect(ingest.calls.length).toBe(6); // five quick retries and one probe: the trims sent nothing
    expect(most).toBe(10);
    expect(o.dropLog).toEqual([]); // counted, not yet one `dropped` report per flush in the queue
    expect(p.stats().dropped).toBe(390);
    ingest.script.push(...Array(20).fill(202));
    c.t = p.stats().nextAt;
    await p.flush();
    expect(o.dropLog).toEqual([[390, 'overflow']]);
    expect([...ingest.ids]).toEqual(evs.slice(-10).map((e) => e.id)); // the newest 10, as the bound says
    expect(await storedIds(o._dbName)).toEqual([]);
  });

  it('while delivery works, a burst of 10,000 in one task is delivered whole, each request under the limit', async () => {
    const ingest = fakeIngest();
    const p = start(options({ _fetch: ingest.fetch }));
    const evs = Array.from({ length: 10_000 }, () => render(Date.now()));
    for (const e of evs) p.push(e);
    await p.flush();
    expect(ingest.ids.size).toBe(10_000);
    expect(ingest.calls.length).toBeGreaterThan(10);
    expect(Math.max(...ingest.calls.map((x) => x.bytes))).toBeLessThan(60_000);
    expect(p.stats().dropped).toBe(0);
  });

  it('ages out stored events after maxEventAgeMs, counted as expired', async () => {
    const c = clock();
    const down = fakeIngest(503);
    const o = options({ _now: c.now, _fetch: down.fetch });
    const first = start(o);
    const evs = [render(c.t), render(c.t)];
    evs.forEach(first.push);
    await first.flush();
    await first.shutdown();
    c.t += 86_400_001;
    const up = fakeIngest();
    const next = start({ ...o, _fetch: up.fetch });
    next.push(render(c.t));
    await next.flush();
    await next.flush();
    expect(o.dropLog).toEqual([[2, 'expired']]);
    expect(evs.some((e) => up.ids.has(e.id))).toBe(false);
    // the `dropped` report itself is an event the core pushes back; it went out too
    expect(up.ids.size).toBe(1);
  });

  it('rewrites a stored batch that lost some events to the bounds, in IndexedDB too', async () => {
    const c = clock();
    const down = fakeIngest(503);
    const o = options({ _now: c.now, _fetch: down.fetch });
    const p = start(o);
    const old = render(c.t - 86_000_000);
    const fresh = render(c.t);
    p.push(old);
    p.push(fresh);
    await p.flush();
    c.t += 500_000; // `old` is now past 24 h, `fresh` is not
    await p.flush();
    expect(await storedIds(o._dbName)).toEqual([fresh.id]);
    expect(p.stats()).toMatchObject({ stored: 1, dropped: 1 });
    await p.shutdown(); // the counts wait while delivery fails; the last flush hands them over
    expect(o.dropLog).toEqual([[1, 'expired']]);
  });

  it('with compress: gzip, gzips regular flushes and names the encoding in the URL', async () => {
    const ingest = fakeIngest();
    const o = options({ _fetch: ingest.fetch, compress: gzip });
    const p = start(o);
    for (let i = 0; i < 200; i++) p.push(render(Date.now()));
    await p.flush();
    expect(ingest.calls[0].url).toBe(o.endpoint + '?enc=gzip');
    expect(ingest.calls[0].init.body).toBeInstanceOf(ArrayBuffer);
    expect(ingest.ids.size).toBe(200);
  });

  it('without compress, or where gzip fails (no CompressionStream), the body goes plain to the endpoint as given', async () => {
    for (const compress of [undefined, () => Promise.reject(new Error('no CompressionStream'))]) {
      const ingest = fakeIngest();
      const o = options({ _fetch: ingest.fetch, compress });
      const p = start(o);
      p.push(render(Date.now()));
      await p.flush();
      expect(ingest.calls[0].url).toBe(o.endpoint);
      expect(typeof ingest.calls[0].init.body).toBe('string');
      expect(ingest.ids.size).toBe(1);
    }
  });
});

describe('pipeline storage failures', () => {
  it('IndexedDB missing: delivers from memory', async () => {
    const idb = globalThis.indexedDB;
    // @ts-expect-error simulating a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const ingest = fakeIngest(503);
      const c = clock();
      const p = start(options({ _now: c.now, _fetch: ingest.fetch }));
      const ev = render(c.t);
      p.push(ev);
      await p.flush();
      expect(p.stats()).toMatchObject({ queued: 1, stored: 0 });
      ingest.script.push(202);
      c.t = p.stats().nextAt;
      await p.flush();
      expect([...ingest.ids]).toEqual([ev.id]);
      expect(p.stats().queued).toBe(0);
    } finally {
      globalThis.indexedDB = idb;
    }
  });

  it('IndexedDB open() hanging (Safari 14): falls back to memory within the bound, nothing lost', async () => {
    const idb = globalThis.indexedDB;
    globalThis.indexedDB = { open: () => ({}) } as unknown as IDBFactory; // a request that never settles
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const c = clock();
      const ingest = fakeIngest(503);
      const p = start(options({ _now: c.now, _fetch: ingest.fetch }));
      const evs = Array.from({ length: 50 }, () => render(c.t));
      evs.forEach(p.push);
      let settled = false;
      const f = p.flush().then(() => (settled = true));
      await vi.advanceTimersByTimeAsync(IDB_TIMEOUT_MS * 3);
      await f;
      expect(settled).toBe(true);
      expect(ingest.calls).toHaveLength(1); // sent despite the hung database
      expect(p.stats().queued).toBe(50); // ...and kept in memory when that failed
      ingest.script.push(202);
      c.t = p.stats().nextAt;
      await p.flush(); // IndexedDB is now known dead: no more waiting on it
      expect(ingest.ids.size).toBe(50);
      expect(p.stats().queued).toBe(0);
    } finally {
      globalThis.indexedDB = idb;
    }
  });

  it('IndexedDB rejecting every write: events stay in memory and are delivered', async () => {
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('broken', 'UnknownError');
    });
    try {
      const c = clock();
      const ingest = fakeIngest(0);
      const o = options({ _now: c.now, _fetch: ingest.fetch });
      const p = start(o);
      const ev = render(c.t);
      p.push(ev);
      await p.flush();
      expect(p.stats()).toMatchObject({ queued: 1, stored: 0 });
      ingest.script.push(202);
      c.t = p.stats().nextAt;
      await p.flush();
      expect([...ingest.ids]).toEqual([ev.id]);
    } finally {
      put.mockRestore();
    }
  });

  it('the database deleted while open: the deletion is not blocked and the next write recreates it', async () => {
    const c = clock();
    const ingest = fakeIngest(503);
    const o = options({ _now: c.now, _fetch: ingest.fetch });
    const p = start(o);
    p.push(render(c.t));
    await p.flush();
    expect(await storedIds(o._dbName)).toHaveLength(1);
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.deleteDatabase(o._dbName);
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('blocked: our connection did not close'));
    });
    expect(await storedIds(o._dbName)).toEqual([]);
    const ev = render(c.t);
    p.push(ev);
    await p.flush();
    expect(await storedIds(o._dbName)).toEqual([ev.id]);
  });

  it('QuotaExceededError: the new batch stays in memory, nothing is dropped, all of it is delivered later', async () => {
    const c = clock();
    const ingest = fakeIngest(503);
    const o = options({ _now: c.now, _fetch: ingest.fetch });
    const p = start(o);
    const old = [render(c.t), render(c.t)];
    old.forEach(p.push);
    await p.flush();
    const real = IDBObjectStore.prototype.put;
    let full = true;
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...a) {
      if (full && String(a[1]).startsWith('b:')) throw new DOMException('disk full', 'QuotaExceededError');
      return real.apply(this, a);
    });
    try {
      const ev = render(c.t);
      p.push(ev);
      await p.flush();
      expect(p.stats()).toMatchObject({ queued: 1, stored: 2, dropped: 0 });
      expect(await storedIds(o._dbName)).toEqual(old.map((e) => e.id));
      full = false; // space again, and the ingest answers (its backoff is over)
      ingest.script.push(202, 202);
      c.t += 3_600_000;
      await p.flush();
      expect([...ingest.ids].sort()).toEqual([...old, ev].map((e) => e.id).sort());
      await p.shutdown();
      expect(o.dropLog).toEqual([]);
    } finally {
      put.mockRestore();
    }
  });

  it('records under batch keys that are no batch (corrupt, another version) are deleted, and the rest is delivered', async () => {
    const c = clock();
    const o = options({ _now: c.now, _fetch: fakeIngest(503).fetch });
    const first = start(o);
    const ev = render(c.t);
    first.push(ev);
    await first.flush();
    await first.shutdown();
    const db = await new Promise<IDBDatabase>((ok) => (indexedDB.open(o._dbName).onsuccess = (e) => ok((e.target as IDBOpenDBRequest).result)));
    const tx = db.transaction('queue', 'readwrite');
    const garbage: [string, unknown][] = [['b:0', null], ['b:1', 5], ['b:2', { e: 'x', s: 9 }], ['b:3', { e: [], s: 9 }], ['b:4', { e: [render(1)] }]];
    for (const [k, v] of garbage) tx.objectStore('queue').put(v, k);
    await new Promise((ok) => (tx.oncomplete = ok));
    db.close();

    c.t += 60_000; // past the backoff
    const up = fakeIngest();
    const next = start({ ...o, _fetch: up.fetch });
    await next.flush();
    expect([...up.ids]).toEqual([ev.id]);
    expect(next.stats()).toMatchObject({ stored: 0, dropped: 0 });
    const db2 = await new Promise<IDBDatabase>((ok) => (indexedDB.open(o._dbName).onsuccess = (e) => ok((e.target as IDBOpenDBRequest).result)));
    const keys = await new Promise<IDBValidKey[]>((ok) => (db2.transaction('queue').objectStore('queue').getAllKeys().onsuccess = (e) => ok((e.target as IDBRequest<IDBValidKey[]>).result)));
    db2.close();
    expect(keys.filter((k) => String(k).startsWith('b:'))).toEqual([]);
  });

  it('during a backoff, what is tracked is persisted (and bounded) after the flush interval, not at the next probe', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const c = clock();
    const ingest = fakeIngest(0);
    const o = options({ _now: c.now, _fetch: ingest.fetch });
    const p = start(o);
    for (let i = 0; i < 6; i++) {
      p.push(render(c.t));
      c.t = Math.max(c.t, p.stats().nextAt);
      await p.flush();
    }
    expect(p.stats().nextAt - c.t).toBe(CAP_MS); // probing once per 5 minutes now
    const calls = ingest.calls.length;
    const ev = render(c.t);
    p.push(ev);
    c.t += o.flushIntervalMs;
    await vi.advanceTimersByTimeAsync(o.flushIntervalMs);
    await vi.waitFor(async () => expect(await storedIds(o._dbName)).toContain(ev.id));
    expect(ingest.calls.length).toBe(calls); // persisted, not sent: still in backoff
    expect(vi.getTimerCount()).toBe(1); // and the stored queue now waits for the probe
  });

  it('an idle pipeline keeps no timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const ingest = fakeIngest();
    const p = start(options({ _fetch: ingest.fetch }));
    await vi.advanceTimersByTimeAsync(0);
    await p.flush();
    expect(vi.getTimerCount()).toBe(0);
    p.push(render(Date.now()));
    p.push(render(Date.now()));
    expect(vi.getTimerCount()).toBe(1); // one timer for the batch, not one per event
    await vi.advanceTimersByTimeAsync(5000); // the flush interval
    await p.flush();
    expect(ingest.ids.size).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });
});

// @vitest-environment happy-dom
// Page exit policy: synchronous beacon within the 64 KiB budget, fallback, no resend, listeners removed.
// (That real Chromium delivers these beacons as the page goes away is proved in e2e/pipeline*.spec.ts.)
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gzip } from '../../src/pipeline/gzip';
import type { Envelope } from '../../src/types';
import { clock, fakeIngest, options, render, shutAll, start } from './fakes';

afterEach(shutAll);

function beacons(accept = true) {
  const sent: { url: string; body: string; env: Envelope }[] = [];
  const sendBeacon = (url: string, body: string) => {
    sent.push({ url, body, env: JSON.parse(body) });
    return accept;
  };
  return { sent, sendBeacon, ids: () => sent.flatMap((b) => b.env.events.map((e) => e.id)) };
}

const hide = () => {
  Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
};

describe('page exit', () => {
  it('beacons memory synchronously, plain JSON, every body and the total within 64 KiB; the rest reaches the next visit', async () => {
    const c = clock();
    const ingest = fakeIngest();
    const b = beacons();
    const o = options({ _now: c.now, _fetch: ingest.fetch, _sendBeacon: b.sendBeacon, compress: gzip });
    const p = start(o);
    await p.flush();
    const evs = Array.from({ length: 2000 }, () => render(c.t)); // ~240 KB: more than one exit can carry
    evs.forEach(p.push);
    dispatchEvent(new Event('pagehide'));
    // synchronously, before any await:
    expect(b.sent.length).toBeGreaterThan(0);
    const sizes = b.sent.map((x) => Buffer.byteLength(x.body));
    expect(Math.max(...sizes)).toBeLessThan(60_000);
    expect(sizes.reduce((a, n) => a + n, 0)).toBeLessThanOrEqual(65_536);
    expect(b.sent[0].url).toBe(o.endpoint); // no ?enc=gzip: the exit beacon is plain JSON
    expect(b.sent[0].env).toMatchObject({ v: 1, session: 's1' });
    expect(ingest.calls).toHaveLength(0);
    const beaconed = new Set(b.ids());
    expect(beaconed.size).toBeLessThan(2000);

    // the page dies; the IndexedDB write started in the handler completes; the next visit sends the rest
    await new Promise((r) => setTimeout(r, 50));
    await p.shutdown();
    const next = start({ ...o, _sendBeacon: beacons().sendBeacon });
    await next.flush();
    expect(evs.every((e) => beaconed.has(e.id) || ingest.ids.has(e.id))).toBe(true);
  });

  it('what a flush has taken into an IndexedDB write still in flight goes in the exit beacon too (closed right after tracking)', async () => {
    const b = beacons();
    vi.stubGlobal('indexedDB', { open: () => ({}) }); // the write never commits, as on a closing page
    try {
      const p = start(options({ _fetch: fakeIngest().fetch, _sendBeacon: b.sendBeacon }));
      const evs = Array.from({ length: 10 }, () => render(Date.now()));
      evs.forEach(p.push); // the first flush takes them from memory into a save...
      await new Promise((r) => setTimeout(r, 0));
      dispatchEvent(new Event('pagehide')); // ...and the page closes before it is done
      expect(b.ids()).toEqual(evs.map((e) => e.id));
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('falls back to a keepalive fetch, started in the handler, when sendBeacon refuses', () => {
    const ingest = fakeIngest();
    const b = beacons(false);
    const p = start(options({ _fetch: ingest.fetch, _sendBeacon: b.sendBeacon }));
    const ev = render(Date.now());
    p.push(ev);
    hide();
    expect(b.sent).toHaveLength(1);
    expect(ingest.calls).toHaveLength(1);
    expect(ingest.calls[0].init).toMatchObject({ keepalive: true, method: 'POST' });
    expect(ingest.calls[0].envelope.events.map((e) => e.id)).toEqual([ev.id]);
  });

  it('does not resend the same events on repeated hidden events, and sends new ones', async () => {
    const b = beacons();
    const p = start(options({ _fetch: fakeIngest().fetch, _sendBeacon: b.sendBeacon }));
    const first = render(Date.now());
    p.push(first);
    // A browser runs the microtasks after each event it dispatches (a dispatch from a test does not).
    const tick = () => new Promise((r) => setTimeout(r, 0));
    hide();
    await tick();
    hide();
    await tick();
    dispatchEvent(new Event('pagehide'));
    expect(b.ids()).toEqual([first.id]);
    const second = render(Date.now());
    p.push(second);
    await tick();
    dispatchEvent(new Event('pagehide'));
    expect(b.ids()).toEqual([first.id, second.id]);
  });

  it('events tracked while a delivery is in flight wait in memory, so a close before the next flush beacons them', async () => {
    const b = beacons();
    const ingest = fakeIngest();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inFlight!: () => void;
    const started = new Promise<void>((r) => (inFlight = r));
    // The first request waits until the test lets it answer: the delivery is in flight meanwhile.
    const fetch = (async (url: string, init: RequestInit) => {
      inFlight();
      await held;
      return ingest.fetch(url, init);
    }) as typeof globalThis.fetch;
    const p = start(options({ _fetch: fetch, _sendBeacon: b.sendBeacon }));
    await p.flush(); // the start-up delivery (nothing stored yet) is done
    const first = render(Date.now());
    p.push(first);
    const flushed = p.flush();
    await started;
    const during = render(Date.now());
    p.push(during);
    release();
    await flushed;
    expect([...ingest.ids]).toEqual([first.id]);
    dispatchEvent(new Event('pagehide')); // closed before the next flush (5 s)
    expect(b.ids()).toEqual([during.id]);
  });

  it('a batch beaconed at a hide is not beaconed again at the pagehide that follows while its write is still in flight', async () => {
    const b = beacons();
    vi.stubGlobal('indexedDB', { open: () => ({}) }); // the hide's IndexedDB write never commits
    try {
      const p = start(options({ _fetch: fakeIngest().fetch, _sendBeacon: b.sendBeacon }));
      const first = render(Date.now());
      p.push(first);
      hide();
      await new Promise((r) => setTimeout(r, 0));
      dispatchEvent(new Event('pagehide'));
      expect(b.ids()).toEqual([first.id]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('ignores visibilitychange to visible', () => {
    const b = beacons();
    const p = start(options({ _fetch: fakeIngest().fetch, _sendBeacon: b.sendBeacon }));
    p.push(render(Date.now()));
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    expect(b.sent).toHaveLength(0);
    expect(p.stats().queued).toBe(1);
  });

  it('while the ingest is failing, persists without beaconing', async () => {
    const c = clock();
    const ingest = fakeIngest(503);
    const b = beacons();
    const o = options({ _now: c.now, _fetch: ingest.fetch, _sendBeacon: b.sendBeacon });
    const p = start(o);
    p.push(render(c.t));
    await p.flush();
    p.push(render(c.t));
    dispatchEvent(new Event('pagehide'));
    expect(b.sent).toHaveLength(0);
    // the IndexedDB write started by the handler (memory holds the batch until it is done)
    await vi.waitFor(() => expect(p.stats()).toMatchObject({ queued: 0, stored: 2 }));
    expect(ingest.calls).toHaveLength(1); // and no request: still in backoff
  });

  it('a hide the page survives: the next flush deletes the beaconed batch unsent; what did not fit is sent once', async () => {
    const c = clock();
    const ingest = fakeIngest();
    const b = beacons();
    const o = options({ _now: c.now, _fetch: ingest.fetch, _sendBeacon: b.sendBeacon });
    const p = start(o);
    await p.flush();
    const evs = Array.from({ length: 1500 }, () => render(c.t)); // more than the 64 KiB budget carries
    evs.forEach(p.push);
    hide();
    const beaconed = new Set(b.ids());
    expect(beaconed.size).toBeGreaterThan(0);
    expect(beaconed.size).toBeLessThan(1500);
    await vi.waitFor(() => expect(p.stats().stored).toBe(1500)); // everything persisted, for a page that dies
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    await p.flush();
    const fetched = ingest.calls.flatMap((x) => x.envelope.events.map((e) => e.id));
    expect(fetched.filter((id) => beaconed.has(id))).toEqual([]); // not sent again
    expect(new Set(fetched).size).toBe(fetched.length);
    expect(evs.every((e) => beaconed.has(e.id) || fetched.includes(e.id))).toBe(true);
    expect(p.stats()).toMatchObject({ stored: 0, queued: 0 });
    await p.shutdown();
    const next = start({ ...o, _sendBeacon: beacons().sendBeacon });
    await next.flush();
    expect(ingest.calls.flatMap((x) => x.envelope.events)).toHaveLength(fetched.length); // nothing left behind
  });

  it('a page that dies after the hide leaves the persisted copy: the next visit sends it (the ingest dedupes)', async () => {
    const c = clock();
    const ingest = fakeIngest();
    const b = beacons();
    const o = options({ _now: c.now, _fetch: ingest.fetch, _sendBeacon: b.sendBeacon });
    const p = start(o);
    await p.flush();
    const ev = render(c.t);
    p.push(ev);
    hide();
    expect(b.ids()).toEqual([ev.id]);
    await vi.waitFor(() => expect(p.stats().stored).toBe(1));
    // the page is gone (no flush, no shutdown): a new one starts on the same database
    const next = start({ ...o, _sendBeacon: beacons().sendBeacon });
    await next.flush();
    expect([...ingest.ids]).toEqual([ev.id]);
  });

  it('a refused beacon whose fallback fetch failed is not forgotten: the next flush sends the batch', async () => {
    const ingest = fakeIngest();
    ingest.script.push(0); // the keepalive fallback meets a network error
    const p = start(options({ _fetch: ingest.fetch, _sendBeacon: beacons(false).sendBeacon }));
    await p.flush();
    const ev = render(Date.now());
    p.push(ev);
    hide();
    await vi.waitFor(() => expect(p.stats().stored).toBe(1));
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    expect(ingest.ids.size).toBe(0);
    await p.flush();
    expect([...ingest.ids]).toEqual([ev.id]);
  });

  it('pagehide spills the batches to localStorage synchronously; the next start queues them, and the spill goes', async () => {
    const c = clock();
    const ingest = fakeIngest(503);
    const o = options({ _now: c.now, _fetch: ingest.fetch, _sendBeacon: beacons().sendBeacon });
    const spilled = () => Object.keys(localStorage).filter((k) => k.startsWith(o._dbName + 'b:'));
    const p = start(o);
    const evs = Array.from({ length: 1000 }, () => render(c.t));
    evs.forEach(p.push);
    await p.flush(); // fails: no beacon at the exit, everything is kept
    const more = Array.from({ length: 1000 }, () => render(c.t));
    more.forEach(p.push);
    const write = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('the page is going away', 'AbortError'); // the IndexedDB write never lands
    });
    try {
      dispatchEvent(new Event('pagehide'));
      // synchronously, in the handler:
      expect(spilled()).toHaveLength(1);
      const kept = JSON.parse(localStorage[spilled()[0]]).flatMap((b: { e: { id: string }[] }) => b.e.map((e) => e.id));
      expect(kept).toEqual(more.map((e) => e.id));
      await vi.waitFor(() => expect(p.stats().queued).toBe(1000)); // the write failed: still spilled
      expect(spilled()).toHaveLength(1);
    } finally {
      write.mockRestore();
    }
    await p.shutdown();
    c.t = p.stats().nextAt;
    const up = fakeIngest();
    const next = start({ ...o, _fetch: up.fetch });
    expect(spilled()).toEqual([]); // taken at the start
    await next.flush();
    expect(evs.concat(more).every((e) => up.ids.has(e.id))).toBe(true);
  });

  it('IndexedDB refusing every write and the ingest down: the spill also holds what earlier flushes kept in memory', async () => {
    const c = clock();
    const o = options({ _now: c.now, _fetch: fakeIngest(503).fetch, _sendBeacon: beacons().sendBeacon });
    const spilled = () => Object.keys(localStorage).filter((k) => k.startsWith(o._dbName + 'b:'));
    const write = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('disk full', 'QuotaExceededError');
    });
    const evs = Array.from({ length: 30 }, () => render(c.t));
    try {
      const p = start(o);
      for (let i = 0; i < 3; i++) {
        evs.slice(i * 10, i * 10 + 10).forEach(p.push);
        await p.flush(); // refused by IndexedDB and by the ingest: kept in memory
        c.t += 10_000;
      }
      expect(p.stats().queued).toBe(30);
      dispatchEvent(new Event('pagehide')); // and again, as a tab hidden twice would: still one spill
      dispatchEvent(new Event('pagehide'));
      expect(spilled()).toHaveLength(1);
      await p.shutdown();
    } finally {
      write.mockRestore();
    }
    c.t += 3_600_000;
    const up = fakeIngest();
    await start({ ...o, _fetch: up.fetch }).flush();
    expect(evs.every((e) => up.ids.has(e.id))).toBe(true);
    expect(spilled()).toEqual([]);
  });

  it('when the IndexedDB write of the exit lands, the spill is removed; a garbage spill is dropped without harm', async () => {
    const c = clock();
    const b = beacons();
    const o = options({ _now: c.now, _fetch: fakeIngest().fetch, _sendBeacon: b.sendBeacon });
    const spilled = () => Object.keys(localStorage).filter((k) => k.startsWith(o._dbName + 'b:'));
    localStorage[o._dbName + 'b:0'] = '[null,5,{"k":7},"x",{"k":"b:5","e":[],"s":1}]'; // no batch in there
    localStorage[o._dbName + 'b:1'] = '[{"k":"b:6","e":['; // truncated
    const p = start(o);
    expect(spilled()).toEqual([]);
    await p.flush();
    p.push(render(c.t));
    dispatchEvent(new Event('pagehide'));
    expect(spilled()).toHaveLength(1);
    expect(b.sent).toHaveLength(1);
    await vi.waitFor(() => expect(spilled()).toEqual([]));
    expect(p.stats()).toMatchObject({ stored: 1, queued: 0 });
  });

  it('after shutdown, page exit does nothing', async () => {
    const b = beacons();
    const p = start(options({ _fetch: fakeIngest().fetch, _sendBeacon: b.sendBeacon }));
    await p.shutdown();
    p.push(render(Date.now()));
    dispatchEvent(new Event('pagehide'));
    expect(b.sent).toHaveLength(0);
  });
});

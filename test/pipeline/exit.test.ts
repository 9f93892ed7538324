// @vitest-environment happy-dom
// Page exit policy: synchronous beacon within the 64 KiB budget, fallback, no resend, listeners removed.
// (That real Chromium delivers these beacons as the page goes away is proved in e2e/pipeline*.spec.ts.)
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPipeline, type Pipeline } from '../../src/pipeline';
import type { Envelope } from '../../src/types';
import { clock, fakeIngest, options, render } from './fakes';

const open: Pipeline[] = [];
const start = (o: Parameters<typeof createPipeline>[0]) => {
  const p = createPipeline(o);
  open.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.shutdown()));
});

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
    const o = options({ now: c.now, fetch: ingest.fetch, sendBeacon: b.sendBeacon, compress: true });
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
    const next = start({ ...o, sendBeacon: beacons().sendBeacon });
    await next.flush();
    expect(evs.every((e) => beaconed.has(e.id) || ingest.ids.has(e.id))).toBe(true);
  });

  it('falls back to a keepalive fetch, started in the handler, when sendBeacon refuses', () => {
    const ingest = fakeIngest();
    const b = beacons(false);
    const p = start(options({ fetch: ingest.fetch, sendBeacon: b.sendBeacon }));
    const ev = render(Date.now());
    p.push(ev);
    hide();
    expect(b.sent).toHaveLength(1);
    expect(ingest.calls).toHaveLength(1);
    expect(ingest.calls[0].init).toMatchObject({ keepalive: true, method: 'POST' });
    expect(ingest.calls[0].envelope.events.map((e) => e.id)).toEqual([ev.id]);
  });

  it('does not resend the same events on repeated hidden events, and sends new ones', () => {
    const b = beacons();
    const p = start(options({ fetch: fakeIngest().fetch, sendBeacon: b.sendBeacon }));
    const first = render(Date.now());
    p.push(first);
    hide();
    hide();
    dispatchEvent(new Event('pagehide'));
    expect(b.ids()).toEqual([first.id]);
    const second = render(Date.now());
    p.push(second);
    dispatchEvent(new Event('pagehide'));
    expect(b.ids()).toEqual([first.id, second.id]);
  });

  it('ignores visibilitychange to visible', () => {
    const b = beacons();
    const p = start(options({ fetch: fakeIngest().fetch, sendBeacon: b.sendBeacon }));
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
    const o = options({ now: c.now, fetch: ingest.fetch, sendBeacon: b.sendBeacon });
    const p = start(o);
    p.push(render(c.t));
    await p.flush();
    p.push(render(c.t));
    dispatchEvent(new Event('pagehide'));
    expect(b.sent).toHaveLength(0);
    expect(p.stats().queued).toBe(0);
    await vi.waitFor(() => expect(p.stats().stored).toBe(2)); // the IndexedDB write started by the handler
    expect(ingest.calls).toHaveLength(1); // and no request: still in backoff
  });

  it('after shutdown, page exit does nothing', async () => {
    const b = beacons();
    const p = start(options({ fetch: fakeIngest().fetch, sendBeacon: b.sendBeacon }));
    await p.shutdown();
    p.push(render(Date.now()));
    dispatchEvent(new Event('pagehide'));
    expect(b.sent).toHaveLength(0);
  });
});

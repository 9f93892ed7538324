import { describe, expect, it } from 'vitest';
import { trim as trimInPlace } from '../../src/pipeline/trim';
import type { ChatVitalsEvent } from '../../src/types';
import type { Batch } from '../../src/pipeline/types';
import { render } from './fakes';

const h = { v: 1 as const, sdk: 't', session: 's' };
const api = (ts: number) => ({ id: 'a' + ts, type: 'api', ts, url: '/x', method: 'GET', status: 200, duration: 5 }) as ChatVitalsEvent;
const batch = (k: string, e: ChatVitalsEvent[], s = 100 * e.length): Batch => ({ h, e, s, k });
const lim = { maxQueueEvents: 3, maxQueueBytes: 10_000, maxEventAgeMs: 1000 };
const ids = (k: Batch[]) => k.flatMap((b) => b.e.map((e) => e.id));

/** trim() works in place: what it keeps, which keys changed, and the drops it reported. */
function trim(batches: Batch[], now: number, l: typeof lim, capped: boolean) {
  const drops: Record<string, number> = {};
  const changed = trimInPlace(batches, now, l, capped, (r, n = 1) => {
    if (n) drops[r] = (drops[r] || 0) + n;
  });
  return { keep: batches.filter((b) => b.e.length), changed: new Set(changed.map((b) => b.k)), drops };
}

describe('trim', () => {
  it('expires events older than maxEventAgeMs, always, and counts them', () => {
    const old = render(0);
    const fresh = render(9500);
    const t = trim([batch('b:1', [old, fresh]), batch('b:2', [render(100)])], 10_000, lim, false);
    expect(ids(t.keep)).toEqual([fresh.id]);
    expect(t.drops).toEqual({ expired: 2 });
    expect([...t.changed].sort()).toEqual(['b:1', 'b:2']);
    expect(t.keep[0].s).toBe(100); // size shrinks with the events
  });

  it('when capped, keeps the newest maxEventsPerType of each type, oldest out', () => {
    const r = Array.from({ length: 5 }, (_, i) => render(9000 + i));
    const a = [api(9001), api(9002)];
    const t = trim([batch('b:2', [r[2], r[3], r[4]]), batch('b:1', [r[0], a[0], r[1], a[1]])], 10_000, lim, true);
    expect(ids(t.keep)).toEqual([a[0].id, a[1].id, r[2].id, r[3].id, r[4].id]);
    expect(t.drops).toEqual({ overflow: 2 });
    expect([...t.changed]).toEqual(['b:1']);
  });

  it('when capped, drops the oldest batches over maxBytes', () => {
    const t = trim(
      [batch('b:3', [render(9003)], 4000), batch('b:1', [render(9001)], 4000), batch('b:2', [render(9002)], 4000)],
      10_000,
      { ...lim, maxQueueEvents: 100 },
      true,
    );
    expect(t.keep.map((b) => b.k)).toEqual(['b:2', 'b:3']);
    expect(t.drops).toEqual({ overflow: 1 });
    expect([...t.changed]).toEqual(['b:1']);
  });

  it('while delivery works, caps nothing: a burst goes out whole', () => {
    const burst = Array.from({ length: 50 }, (_, i) => render(9000 + i));
    const t = trim([batch('b:1', burst, 1e6)], 10_000, lim, false);
    expect(ids(t.keep)).toHaveLength(50);
    expect(t.changed.size).toBe(0);
    expect(t.drops).toEqual({});
  });
});

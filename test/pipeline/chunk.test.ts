import { describe, expect, it } from 'vitest';
import { body, chunk } from '../../src/pipeline/chunk';
import type { ChatVitalsEvent } from '../../src/types';
import { render } from './fakes';

const h = { v: 1 as const, sdk: 'chat-vitals@test', session: 's', page: '/p' };
let k = 0;
const key = () => 'b:' + ++k;

describe('chunk', () => {
  it('keeps every request body (multi-byte text included) under the limit and every event in exactly one batch', () => {
    const events = Array.from({ length: 3000 }, (_, i) => render(1e12 + i, { messageId: 'ü'.repeat(i % 50) + (i % 3 ? '' : '🎉日本') } as never));
    let oversize = 0;
    const batches = chunk(events, h, 20_000, key, () => oversize++);
    expect(oversize).toBe(0);
    expect(batches.length).toBeGreaterThan(5);
    for (const b of batches) {
      const real = Buffer.byteLength(body(b, Date.now()));
      expect(real).toBeLessThan(20_000);
      expect(b.s).toBeGreaterThanOrEqual(real); // the stored estimate is safe
    }
    expect(batches.flatMap((b) => b.e.map((e) => e.id))).toEqual(events.map((e) => e.id));
    expect(new Set(batches.map((b) => b.k)).size).toBe(batches.length); // each batch named by its own key
  });

  it('drops and counts an event that alone exceeds the limit, and one JSON cannot carry', () => {
    const cyclic = render(1) as ChatVitalsEvent & { self?: unknown };
    cyclic.self = cyclic;
    const huge = render(2, { messageId: 'x'.repeat(5000) } as never);
    const ok = render(3);
    let oversize = 0;
    const batches = chunk([huge, ok, cyclic], h, 2000, key, () => oversize++);
    expect(oversize).toBe(2);
    expect(batches).toHaveLength(1);
    expect(batches[0].e.map((e) => e.id)).toEqual([ok.id]);
  });

  it('makes no batch for no events', () => {
    expect(chunk([], h, 60_000, key, () => undefined)).toEqual([]);
  });
});

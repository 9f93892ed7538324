// The small pure parts: API token compare, rate limiter, cardinality cap, URL normalisation, the JSON pre-scan, memory-store parity.
import { describe, expect, test } from 'vitest';
import { createMemoryStore } from '../../src/ingest';
import { createLabelCap, OTHER } from '../../src/ingest/cardinality';
import { HttpError } from '../../src/ingest/errors';
import { normalizeUrl } from '../../src/ingest/labels';
import { parseJsonBody } from '../../src/ingest/parse';
import { createRateLimiter } from '../../src/ingest/rate-limit';
import { sameSecret } from '../../src/ingest/secret';
import type { RenderEvent } from '../../src/types';

describe('API token compare', () => {
  test('equal only when equal: prefixes, extensions, empty strings and odd characters all differ', () => {
    const secret = 'Bearer s3cr3t-ä\u0000x';
    expect(sameSecret(secret, secret)).toBe(true);
    for (const guess of ['', 'Bearer', 'Bearer s3cr3t-ä', secret + 'y', secret.slice(0, -1) + 'y', 'bearer s3cr3t-ä\u0000x', 'Bearer s3cr3t-ä\u0000'])
      expect(sameSecret(guess, secret), guess).toBe(false);
    expect(sameSecret('', '')).toBe(true);
    expect(sameSecret('\u0000', '')).toBe(false);
  });
});

describe('rate limiter', () => {
  test('burst, then Retry-After in whole seconds, refilled by time; clients are independent', () => {
    const rl = createRateLimiter(2, 3);
    expect([0, 0, 0].map(() => rl.take('a', 1000))).toEqual([0, 0, 0]);
    expect(rl.take('a', 1000)).toBe(1);
    expect(rl.take('b', 1000)).toBe(0);
    expect(rl.take('a', 1500)).toBe(0); // half a second at 2/s refills one token
    expect(rl.take('a', 1500)).toBeGreaterThanOrEqual(1);
  });

  test('the client table stays bounded', () => {
    const rl = createRateLimiter(1, 1, 100);
    for (let i = 0; i < 10_000; i++) rl.take(`spoofed-${i}`, 0);
    // The first clients were evicted, so they start with a full bucket again rather than the table growing.
    expect(rl.take('spoofed-0', 0)).toBe(0);
  });
});

describe('cardinality cap', () => {
  test('releases beyond the cap per app, and apps beyond theirs, fold into "other"', () => {
    const cap = createLabelCap(2, 2);
    expect(cap.resolve('a', '1')).toEqual({ app: 'a', release: '1' });
    expect(cap.resolve('a', '2')).toEqual({ app: 'a', release: '2' });
    expect(cap.resolve('a', '3')).toEqual({ app: 'a', release: OTHER });
    expect(cap.resolve('a', '1')).toEqual({ app: 'a', release: '1' });
    expect(cap.resolve('b', '1')).toEqual({ app: 'b', release: '1' });
    expect(cap.resolve('c', '1')).toEqual({ app: OTHER, release: OTHER });
  });

  test('seeded from stored scopes, so a restart keeps the same names', () => {
    const cap = createLabelCap(1, 1);
    cap.seed([{ app: 'kept', release: 'r1' }]);
    expect(cap.resolve('new', 'x')).toEqual({ app: OTHER, release: OTHER });
    expect(cap.resolve('kept', 'r2')).toEqual({ app: 'kept', release: OTHER });
  });
});

test('URLs lose query, fragment and id-like path segments', () => {
  expect(normalizeUrl('/api/chat/123/messages?token=x#y')).toBe('/api/chat/:id/messages');
  expect(normalizeUrl('https://api.test/v1/conv/550e8400-e29b-41d4-a716-446655440000')).toBe('https://api.test/v1/conv/:id');
  expect(normalizeUrl('/a/' + 'z'.repeat(300))).toBe('/a/:id');
  expect(normalizeUrl('/x'.repeat(500))).toHaveLength(256);
});

describe('JSON pre-scan', () => {
  const reason = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e instanceof HttpError ? `${e.status} ${e.message}` : String(e);
    }
    return 'ok';
  };
  test('depth and value counts are bounded; brackets and commas inside strings do not count', () => {
    expect(reason(() => parseJsonBody('{"a":' + '['.repeat(17) + ']'.repeat(17) + '}', 16, 100))).toMatch(/^400 JSON nested deeper than 16/);
    expect(reason(() => parseJsonBody('{"a":"' + '[,'.repeat(1000) + '"}', 2, 10))).toBe('ok');
    expect(reason(() => parseJsonBody('{"a":"\\"[[[[[[","b":1}', 1, 10))).toBe('ok');
    expect(reason(() => parseJsonBody('{"a":[1,2,3,4]}', 4, 3))).toMatch(/^400 JSON has more than 3 values/);
  });
});

test('the memory store dedupes and buckets like the SQLite one', async () => {
  const store = createMemoryStore();
  const ev = (id: string, ts: number): RenderEvent => ({ id, type: 'render', ts, messageId: 'm', renderTime: 20 });
  const batch = { app: 'a', release: 'r', session: 's', page: '/', events: [ev('1', 60_000), ev('2', 130_000)] };
  expect(await store.commit(batch, 0, 16)).toMatchObject({ accepted: 2, duplicates: 0 });
  expect(await store.commit(batch, 0, 16)).toMatchObject({ accepted: 0, duplicates: 2 });
  expect(await store.commit({ ...batch, events: [ev('3', 130_000)] }, 200_000, 16)).toMatchObject({ accepted: 1 });
  const rows = await store.buckets({ fromMinute: 0, toMinute: 10 });
  expect(rows.map((r) => [r.minute, r.agg.render.dur.n, r.agg.render.slow])).toEqual([
    [1, 1, 1],
    [2, 2, 2],
  ]);
  // Raw events by receipt time, buckets by their minute.
  expect(await store.cleanup(100_000, 120_000)).toEqual({ events: 2, buckets: 1 });
  expect(await store.countEvents()).toBe(1);
});

test('the SQLite store: retention by receipt deletes exactly the rows received before the cutoff', async () => {
  const { createSqliteStore } = await import('../../src/ingest/store/sqlite');
  const store = createSqliteStore({ file: ':memory:' });
  const ev = (id: string): RenderEvent => ({ id, type: 'render', ts: 60_000, messageId: 'm', renderTime: 1 });
  for (let r = 0; r < 100; r++) store.commit({ app: 'a', release: 'r', session: 's', page: '/', events: [ev(`a${r}`), ev(`b${r}`)] }, r * 1000, 16);
  expect(await store.cleanup(37_000, 0)).toEqual({ events: 74, buckets: 0 });
  expect(await store.countEvents()).toBe(126);
  expect(await store.cleanup(37_000, 0)).toEqual({ events: 0, buckets: 0 });
  expect(await store.cleanup(1e9, 1e9)).toEqual({ events: 126, buckets: 1 });
  await store.close();
});

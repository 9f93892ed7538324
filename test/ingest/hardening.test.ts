// Hostile clients and a wall clock that steps back: each test is a bug once found (see the commit that fixed it).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createIngest, createMemoryStore, type AlertTransition } from '../../src/ingest';
import { countStored, envelope, persistence, post, quiet, render, startTestServer, uid } from './helpers';

describe('an event whose type is an object that cannot become a string', () => {
  let s: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  test('is rejected with a reason (202), not a 500, and the good events of the batch are kept', async () => {
    const good = render(3);
    const now = Date.now();
    for (const type of ['{"toString":1}', '[{"toString":1}]', '{"toString":{},"valueOf":{}}']) {
      const body = `{"v":1,"sentAt":${now},"app":"audit-type","events":[{"id":"${uid()}","type":${type},"ts":${now}},${JSON.stringify(good)}]}`;
      const r = await post(s.url, body);
      expect(r.status, type).toBe(202);
      expect(r.json).toMatchObject({ rejected: 1 });
      expect(r.json!.errors[0]).toMatch(/unknown type/);
    }
    expect(await countStored(s.dir, "app = 'audit-type'")).toBe(1);
  });
});

describe('rate limit without ingest keys', () => {
  let s: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    s = await startTestServer({ rateLimit: { perSecond: 1, burst: 2 } });
  });
  afterAll(() => s.close());

  test('a client cannot get a fresh bucket per request by inventing ?key= values', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(s.url, envelope([render(1)]), { query: `?key=made-up-${i}` })).status);
    expect(statuses).toEqual([202, 202, 429, 429, 429]);
    // Nor with the header.
    expect((await post(s.url, envelope([render(1)]), { headers: { 'x-chat-vitals-key': 'another' } })).status).toBe(429);
  });
});

describe('behind a trusted proxy (trustProxy)', () => {
  test('a client cannot get a fresh bucket by forging the X-Forwarded-For entries before its own', async () => {
    const ingest = createIngest({ store: createMemoryStore(), trustProxy: true, rateLimit: { perSecond: 1, burst: 2 }, log: quiet, channels: [] });
    // The proxy appends the address it saw (203.0.113.7); what comes before is whatever the client sent.
    const send = (forged: string, seen = '203.0.113.7') =>
      ingest.POST(
        new Request('http://x/ingest', { method: 'POST', headers: { 'x-forwarded-for': `${forged}, ${seen}` }, body: JSON.stringify(envelope([render(3)])) }),
      );
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await send(`10.0.0.${i}`)).status);
      expect(statuses).toEqual([202, 202, 429, 429]);
      // Another real client (a different address appended by the proxy) has its own bucket.
      expect((await send('10.0.0.9', '198.51.100.4')).status).toBe(202);
    } finally {
      await ingest.close();
    }
  });
});

describe('the wall clock stepping back (NTP step, VM resume)', () => {
  test('does not lock a client out of the rate limiter for the size of the step', async () => {
    const t0 = Date.now();
    let clock = t0;
    const ingest = createIngest({ store: createMemoryStore(), now: () => clock, rateLimit: { perSecond: 20, burst: 100 }, log: quiet, channels: [] });
    const send = () =>
      ingest.POST(new Request('http://x/ingest', { method: 'POST', body: JSON.stringify(envelope([{ ...render(2), ts: clock }], {}, clock)) }));
    try {
      expect((await send()).status).toBe(202);
      clock = t0 - 3_600_000; // the clock goes back an hour; this client has used 1 of 100 requests
      const r = await send();
      expect([r.status, r.headers.get('retry-after')]).toEqual([202, null]);
    } finally {
      await ingest.close();
    }
  });

  test('does not hold alert evaluation after commits back for the size of the step', async () => {
    const t0 = Date.now();
    let clock = t0;
    const seen: AlertTransition[] = [];
    const ingest = createIngest({ store: createMemoryStore(), now: () => clock, rateLimit: false, alertIntervalMs: 20, log: quiet, channels: [(t) => void seen.push(t)] });
    const send = (events: unknown[]) =>
      ingest.POST(new Request('http://x/ingest', { method: 'POST', body: JSON.stringify(envelope(events, { app: 'clock' }, clock)) }));
    try {
      expect((await send([{ ...render(2), ts: clock }])).status).toBe(202);
      await new Promise((r) => setTimeout(r, 100)); // the first evaluation runs (at t0)
      clock = t0 - 3_600_000;
      expect((await send([{ ...persistence('save', false, 5, { error: 'QuotaExceededError', lost: 3 }), ts: clock }])).status).toBe(202);
      for (let i = 0; i < 100 && !seen.some((t) => t.alert.ruleId === 'data-loss'); i++) await new Promise((r) => setTimeout(r, 10));
      expect(seen.map((t) => [t.kind, t.alert.ruleId])).toContainEqual(['opened', 'data-loss']);
    } finally {
      await ingest.close();
    }
  });
});

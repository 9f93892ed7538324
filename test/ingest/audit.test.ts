// Audit findings: each test is one demonstrated bug (see the commit that fixed it).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { countStored, envelope, post, render, startTestServer, uid } from './helpers';

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

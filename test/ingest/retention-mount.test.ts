// Retention deletes raw events and buckets past their age (on demand and on its timer); the handler mounts as a
// plain (Request) => Response under a base path, as a Next.js catch-all route would use it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createIngest, createMemoryStore } from '../../src/ingest';
import { countStored, envelope, getJson, post, quiet, render, startTestServer } from './helpers';

const DAY = 86_400_000;

describe('retention', () => {
  let clock = Date.now();
  let s: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    s = await startTestServer({ now: () => clock, eventRetentionMs: 2 * DAY, maxEventAgeMs: DAY, bucketRetentionMs: 3 * DAY, cleanupIntervalMs: 20 });
  });
  afterAll(() => s.close());

  test('old raw events go first, then old buckets; recent ones stay', async () => {
    const t0 = clock;
    await post(s.url, envelope([{ ...render(4), ts: t0 }, { ...render(6), ts: t0 }], { app: 'old', sentAt: t0 }));
    clock = t0 + 2.5 * DAY;
    await post(s.url, envelope([{ ...render(8), ts: clock }], { app: 'new', sentAt: clock }));
    // The timer runs every 20 ms against the injected clock: wait for its effect, not for a duration.
    for (let i = 0; i < 300 && (await countStored(s.dir, "app = 'old'")) > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await countStored(s.dir, "app = 'old'")).toBe(0);
    expect(await countStored(s.dir, "app = 'new'")).toBe(1);
    // Buckets outlive raw events: the old minute still answers over a 3-day window.
    expect((await getJson(s.url, `/api/metrics?app=old&window=${3 * DAY}`)).json.performance.renders.total).toBe(2);
    clock = t0 + 3.5 * DAY;
    for (let i = 0; i < 300 && (await getJson(s.url, `/api/metrics?app=old&window=${3 * DAY}`)).json.window.buckets > 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect((await getJson(s.url, `/api/metrics?app=old&window=${3 * DAY}`)).json.performance.renders.total).toBe(0);
    expect((await getJson(s.url, `/api/metrics?app=new&window=${3 * DAY}`)).json.performance.renders.total).toBe(1);
  });
});

describe('mounted as a Web-standard handler', () => {
  const ingest = createIngest({ store: createMemoryStore(), basePath: '/api/vitals', log: quiet, channels: [], rateLimit: false });
  afterAll(() => ingest.close());

  test('POST and GET through Request objects under a base path (Next.js: export const { GET, POST } = ingest)', async () => {
    const { GET, POST } = ingest;
    const body = JSON.stringify(envelope([render(5), render(7)]));
    const res = await POST(new Request('http://app.local/api/vitals/ingest', { method: 'POST', headers: { 'content-type': 'text/plain' }, body }));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 2 });
    const m = await GET(new Request('http://app.local/api/vitals/api/metrics?app=widget'));
    expect((await m.json()).performance.renders).toMatchObject({ total: 2, avgTime: 6 });
    expect((await GET(new Request('http://app.local/ingest'))).status).toBe(404);
  });

  test('a body stream larger than the limit is refused even when Content-Length lies', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(64 * 1024).fill(32));
        if (pulled > 1000) c.close();
      },
    });
    const req = new Request('http://app.local/api/vitals/ingest', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'content-length': '10' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const res = await ingest.fetch(req);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(10);
  });
});

describe('basePath with a trailing slash', () => {
  test.each([
    ['/vitals/', '/vitals'],
    ['/vitals//', '/vitals'],
    ['/', ''],
  ])('%s serves the same routes as %s', async (basePath, prefix) => {
    const i = createIngest({ store: createMemoryStore(), basePath, log: quiet, channels: [], rateLimit: false });
    try {
      const get = async (path: string) => (await i.fetch(new Request(`http://app.local${path}`))).status;
      const body = JSON.stringify(envelope([render(5)]));
      const posted = await i.fetch(new Request(`http://app.local${prefix}/ingest`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body }));
      expect(posted.status).toBe(202);
      // The page at the bare prefix (what Next.js and Hono's mount show) and with its slash, and the API.
      expect([await get(prefix || '/'), await get(prefix + '/'), await get(prefix + '/api/metrics'), await get(prefix + '/healthz')]).toEqual([200, 200, 200, 200]);
    } finally {
      await i.close();
    }
  });
});

// Who may post and read: ingest key, origin allowlist, API token, rate limit with Retry-After, slow clients.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createIngest, createMemoryStore } from '../../src/ingest';
import { countStored, envelope, post, render, startTestServer } from './helpers';

let clock = Date.now();
let s: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  s = await startTestServer({
    ingestKeys: ['pk_live_1'],
    allowedOrigins: ['https://shop.example'],
    apiToken: 'secret-token',
    rateLimit: { perSecond: 1, burst: 3 },
    now: () => clock,
    bodyTimeoutMs: 200,
  });
});
afterAll(() => s.close());

const body = () => envelope([{ ...render(2), ts: clock }], { sentAt: clock });

describe('ingest key (submit-only)', () => {
  test('missing key → 401, wrong key → 403, right key (query or header) → 202', async () => {
    const n = await countStored(s.dir);
    expect((await post(s.url, body())).status).toBe(401);
    expect((await post(s.url, body(), { query: '?key=nope' })).status).toBe(403);
    expect(await countStored(s.dir)).toBe(n);
    expect((await post(s.url, body(), { query: '?key=pk_live_1' })).status).toBe(202);
    expect((await post(s.url, body(), { headers: { 'x-chat-vitals-key': 'pk_live_1' } })).status).toBe(202);
    expect(await countStored(s.dir)).toBe(n + 2);
  });

  test('the ingest key does not open the read API; the API token does', async () => {
    expect((await fetch(`${s.url}/api/metrics?key=pk_live_1`)).status).toBe(401);
    expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${s.url}/api/alerts/x/resolve`, { method: 'POST' })).status).toBe(401);
    const ok = await fetch(`${s.url}/api/metrics`, { headers: { authorization: 'Bearer secret-token' } });
    expect(ok.status).toBe(200);
  });
});

describe('origin allowlist', () => {
  test('a listed origin gets CORS headers; another origin is refused with 403 and nothing stored', async () => {
    clock += 10_000; // refill the rate limiter
    const pre = await fetch(`${s.url}/ingest`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const n = await countStored(s.dir);
    const evil = await post(s.url, body(), { query: '?key=pk_live_1', headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect(evil.json?.error).toMatch(/origin/);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const good = await post(s.url, body(), { query: '?key=pk_live_1', headers: { origin: 'https://shop.example' } });
    expect(good.status).toBe(202);
    expect(await countStored(s.dir)).toBe(n + 1);
  });
});

describe('allowlist entries as operators write them', () => {
  // A browser's Origin is scheme://host[:port], lower case, no slash: an entry copied from the address bar
  // ('https://Shop.example/') never matched it, so every widget was refused (403) and nothing said why.
  const answer = async (allowedOrigins: '*' | string[], origin: string) => {
    const warnings: string[] = [];
    const ingest = createIngest({ store: createMemoryStore(), allowedOrigins, rateLimit: false, channels: [], log: { ...console, info() {}, warn: (m: string) => warnings.push(m) } });
    try {
      const req = new Request('http://x/ingest', { method: 'POST', headers: { origin }, body: JSON.stringify(envelope([{ ...render(2), ts: Date.now() }], { sentAt: Date.now() })) });
      return { status: (await ingest.POST(req)).status, warnings };
    } finally {
      await ingest.close();
    }
  };

  test('an entry written as a URL (trailing slash, a path, capitals) is read as its origin, with a warning', async () => {
    const r = await answer(['https://Shop.example/', 'https://admin.example/app'], 'https://shop.example');
    expect(r.status).toBe(202);
    expect(r.warnings).toEqual([
      '[chat-vitals] allowedOrigins: "https://Shop.example/" read as https://shop.example (an origin is scheme://host[:port])',
      '[chat-vitals] allowedOrigins: "https://admin.example/app" read as https://admin.example (an origin is scheme://host[:port])',
    ]);
    expect((await answer(['https://shop.example/'], 'https://evil.example')).status).toBe(403);
  });

  test("'*' in a list allows any origin; an entry that is no URL is ignored with a warning, and a list left empty says so", async () => {
    expect(await answer(['*'], 'https://any.example')).toEqual({ status: 202, warnings: [] });
    const r = await answer(['shop.example'], 'https://shop.example');
    expect(r.status).toBe(403);
    expect(r.warnings).toEqual([
      '[chat-vitals] allowedOrigins: "shop.example" is not an origin (scheme://host[:port]); ignored',
      '[chat-vitals] allowedOrigins lists no origin: every browser is refused',
    ]);
  });
});

describe('rate limit', () => {
  test('past the burst → 429 with Retry-After; allowed again once that time has passed', async () => {
    clock += 60_000;
    const statuses: number[] = [];
    let retryAfter = '';
    for (let i = 0; i < 5; i++) {
      const r = await post(s.url, body(), { query: '?key=pk_live_1' });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after') ?? '';
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    clock += Number(retryAfter) * 1000; // the injected clock stands in for waiting
    expect((await post(s.url, body(), { query: '?key=pk_live_1' })).status).toBe(202);
  });
});

describe('slow clients', () => {
  test('a body that stalls mid-way is cut off (408) and the server keeps answering', async () => {
    clock += 60_000;
    const reply = await new Promise<string>((resolve, reject) => {
      const sock = connect(s.port, '127.0.0.1', () => {
        sock.write(`POST /ingest?key=pk_live_1 HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n{"v":1,`);
      });
      let data = '';
      sock.on('data', (d) => (data += d));
      sock.on('close', () => resolve(data));
      sock.on('end', () => sock.end());
      sock.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(reply).toMatch(/timed out/);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });
});

// Untrusted input: every bad body gets the right 4xx with a reason, the server keeps answering, nothing of
// the bad input is stored, and no key reaches Object.prototype.
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { countStored, envelope, getJson, post, render, startTestServer, uid } from './helpers';

let s: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  s = await startTestServer({ maxBodyBytes: 64 * 1024, maxDecompressedBytes: 256 * 1024, maxEvents: 200 });
});
afterAll(() => s.close());

const protoKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();
const before = protoKeys();
afterEach(async () => {
  expect(protoKeys()).toEqual(before);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((await getJson(s.url, '/healthz')).json).toEqual({ ok: true });
});

describe('whole-body rejections', () => {
  const deep = '{"v":1,"events":' + '['.repeat(30_000) + ']'.repeat(30_000) + '}'; // 60 KB, under the wire limit
  const cases: Array<[string, () => Promise<{ status: number; json: Record<string, any> | null }>, number, RegExp]> = [
    ['wrong content type', () => post(s.url, envelope([render(1)]), { contentType: 'application/x-www-form-urlencoded' }), 415, /content-type/],
    ['unknown encoding', () => post(s.url, envelope([render(1)]), { query: '?enc=br' }), 415, /encoding/],
    ['malformed JSON', () => post(s.url, '{"v":1,"events":[{]}'), 400, /malformed JSON/],
    ['truncated JSON', () => post(s.url, JSON.stringify(envelope([render(1)])).slice(0, 40)), 400, /malformed JSON/],
    ['empty body', () => post(s.url, ''), 400, /malformed JSON/],
    ['array body', () => post(s.url, '[1,2,3]'), 400, /JSON object/],
    ['string body', () => post(s.url, '"hello"'), 400, /JSON object/],
    ['null body', () => post(s.url, 'null'), 400, /JSON object/],
    ['30,000-deep nesting', () => post(s.url, deep), 400, /nested deeper/],
    ['too many values', () => post(s.url, `{"v":1,"events":[],"x":[${'0,'.repeat(20_000)}0]}`), 400, /more than \d+ values/],
    ['wrong version', () => post(s.url, { ...envelope([render(1)]), v: 2 }), 400, /version/],
    ['events not an array', () => post(s.url, { ...envelope([]), events: { 0: render(1) } }), 400, /events/],
    ['too many events', () => post(s.url, envelope(Array.from({ length: 201 }, () => render(1)))), 400, /more than 200 events/],
    ['invalid UTF-8', () => post(s.url, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 400, /UTF-8/],
    ['not gzip under ?enc=gzip', () => post(s.url, JSON.stringify(envelope([render(1)])), { query: '?enc=gzip' }), 400, /unreadable body/],
    ['truncated gzip', () => post(s.url, gzipSync(JSON.stringify(envelope([render(1)]))).subarray(0, 20), { query: '?enc=gzip' }), 400, /unreadable body/],
  ];
  for (const [name, send, status, reason] of cases)
    test(`${name} → ${status}`, async () => {
      const n = await countStored(s.dir);
      const r = await send();
      expect(r.status).toBe(status);
      expect(r.json?.error).toMatch(reason);
      expect(await countStored(s.dir)).toBe(n);
    });

  test('body over the limit with Content-Length → 413', async () => {
    const big = JSON.stringify(envelope([render(1)], { pad: 'x'.repeat(100 * 1024) }));
    const r = await post(s.url, big);
    expect(r.status).toBe(413);
    expect(r.json?.error).toMatch(/larger than/);
  });

  test('chunked body without Content-Length is cut off at the limit, not buffered to the end', async () => {
    // Offer up to 64 MiB in 16 KiB chunks; the server must answer 413 long before we could finish.
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      let done = false;
      const req = request(`${s.url}/ingest`, { method: 'POST', headers: { 'content-type': 'text/plain' } }, (res) => {
        done = true;
        res.resume();
        resolve({ status: res.statusCode!, sent });
      });
      req.on('error', (e) => (done ? undefined : reject(e)));
      const pump = () => {
        while (!done && sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!done) req.end();
      };
      pump();
    });
    expect(status).toBe(413);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  test('gzip bomb → 413 once the decompressed size passes the limit', async () => {
    // 8 MiB of spaces inside a valid envelope compresses to ~8 KiB, under the wire limit.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"v":1,"events":[],"pad":"'), Buffer.alloc(8 * 1024 * 1024, 0x20), Buffer.from('"}')]), { level: 9 });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const r = await post(s.url, bomb, { query: '?enc=gzip' });
    expect(r.status).toBe(413);
    expect(r.json?.error).toMatch(/decompressed/);
  });

  test('a valid gzip body is accepted', async () => {
    const e = render(3);
    const r = await post(s.url, gzipSync(JSON.stringify(envelope([e]))), { query: '?enc=gzip' });
    expect(r).toMatchObject({ status: 202, json: { accepted: 1 } });
  });

  test('a gzip body with no content-type (how the SDK sends one: an ArrayBuffer body) is accepted', async () => {
    const body = gzipSync(JSON.stringify(envelope([render(4)])));
    const r = await fetch(`${s.url}/ingest?enc=gzip`, { method: 'POST', body: new Uint8Array(body) });
    expect(r.headers.get('content-type')).toMatch(/json/);
    expect([r.status, await r.json()]).toEqual([202, { accepted: 1, duplicates: 0, rejected: 0 }]);
  });
});

describe('per-event validation: bad events rejected, the rest kept', () => {
  const bad: Array<[string, Record<string, unknown>]> = [
    ['unknown type', { id: uid(), type: 'keylogger', ts: Date.now() }],
    ['missing id', { type: 'render', ts: Date.now(), messageId: 'm', renderTime: 1 }],
    ['oversized id', { id: 'x'.repeat(65), type: 'render', ts: Date.now(), messageId: 'm', renderTime: 1 }],
    ['id with odd characters', { id: 'a b<script>', type: 'render', ts: Date.now(), messageId: 'm', renderTime: 1 }],
    ['NaN as string', { id: uid(), type: 'render', ts: Date.now(), messageId: 'm', renderTime: 'NaN' }],
    ['Infinity (1e400)', { id: uid(), type: 'render', ts: Date.now(), messageId: 'm', renderTime: '__INF__' }],
    ['negative duration', { id: uid(), type: 'render', ts: Date.now(), messageId: 'm', renderTime: -5 }],
    ['absurd duration', { id: uid(), type: 'render', ts: Date.now(), messageId: 'm', renderTime: 1e12 }],
    ['missing field', { id: uid(), type: 'persistence', ts: Date.now(), operation: 'save', duration: 3 }],
    ['bad enum', { id: uid(), type: 'persistence', ts: Date.now(), operation: 'explode', success: true, duration: 3 }],
    ['boolean as string', { id: uid(), type: 'tabsync', ts: Date.now(), latency: 3, success: 'true' }],
    ['ts too old', { id: uid(), type: 'render', ts: Date.now() - 3 * 86_400_000, messageId: 'm', renderTime: 1 }],
    ['ts in the future', { id: uid(), type: 'render', ts: Date.now() + 3_600_000, messageId: 'm', renderTime: 1 }],
    ['not an object', [1, 2] as unknown as Record<string, unknown>],
  ];

  test('each bad event is rejected with a reason, the good ones are stored', async () => {
    const good = [render(4), render(5)];
    const body = JSON.stringify(envelope([good[0], ...bad.map(([, e]) => e), good[1]], { app: 'mixed' })).replace('"__INF__"', '1e400');
    const r = await post(s.url, body);
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ accepted: 2, duplicates: 0, rejected: bad.length });
    expect(r.json!.errors).toHaveLength(10);
    expect(r.json!.errors.join('\n')).toMatch(/unknown type/);
    expect(await countStored(s.dir, "app = 'mixed'")).toBe(2);
    const stored = await countStored(s.dir, `id IN ('${good[0]!.id}', '${good[1]!.id}')`);
    expect(stored).toBe(2);
  });

  test('__proto__ and constructor keys never reach a prototype nor the store', async () => {
    const id = uid('proto');
    const body = `{"v":1,"sentAt":${Date.now()},"app":"proto","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},
      "events":[{"id":"${id}","type":"render","ts":${Date.now()},"messageId":"m","renderTime":3,"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}}},
                {"__proto__":{"type":"render"},"id":"${uid()}","ts":${Date.now()},"messageId":"m","renderTime":3}]}`;
    const r = await post(s.url, body);
    expect(r.json).toMatchObject({ accepted: 1, rejected: 1 });
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(`${s.dir}/chat-vitals.db`, { readonly: true });
    const row = db.prepare('SELECT data FROM events WHERE id = ?').get(id) as { data: string };
    db.close();
    expect(Object.keys(JSON.parse(row.data)).sort()).toEqual(['id', 'messageId', 'renderTime', 'ts', 'type']);
  });

  test('huge strings are clamped, URLs lose query strings and ids', async () => {
    const e = { id: uid('api'), type: 'api', ts: Date.now(), url: `https://x.test/api/chat/12345/messages/${'f'.repeat(32)}?token=secret#frag` + 'y'.repeat(5000), method: 'GET', status: 200, duration: 12 };
    const p = { id: uid('p'), type: 'persistence', ts: Date.now(), operation: 'save', success: false, duration: 1, error: 'E'.repeat(10_000) };
    const r = await post(s.url, envelope([e, p], { app: 'A'.repeat(1000), release: 'R\u0000\n'.repeat(100), page: '/chat?user=secret' }));
    expect(r.json).toMatchObject({ accepted: 2, rejected: 0 });
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(`${s.dir}/chat-vitals.db`, { readonly: true });
    const rows = db.prepare('SELECT app, release, page, data FROM events WHERE id IN (?, ?)').all(e.id, p.id) as Array<Record<string, string>>;
    db.close();
    const api = JSON.parse(rows.find((x) => x.data.includes('"api"'))!.data);
    expect(api.url).toBe('https://x.test/api/chat/:id/messages/:id');
    expect(JSON.parse(rows.find((x) => x.data.includes('"persistence"'))!.data).error).toHaveLength(64);
    expect(rows[0]!.app).toHaveLength(64);
    expect(rows[0]!.release).toMatch(/^R+$/);
    expect(rows[0]!.page).toBe('/chat');
  });

  test('client clock skew is corrected from sentAt', async () => {
    const clientAhead = 2 * 3_600_000; // the client's clock runs 2 h fast
    const now = Date.now();
    const e = { ...render(3), ts: now + clientAhead - 1000 };
    const r = await post(s.url, envelope([e], { sentAt: now + clientAhead }));
    expect(r.json).toMatchObject({ accepted: 1, rejected: 0 });
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(`${s.dir}/chat-vitals.db`, { readonly: true });
    const { ts } = db.prepare('SELECT ts FROM events WHERE id = ?').get(e.id) as { ts: number };
    db.close();
    expect(Math.abs(ts - (now - 1000))).toBeLessThan(60_000);
  });
});

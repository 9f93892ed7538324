// The same batch twice counts once; /api/metrics answers seed 001's shape with the right figures.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { countStored, envelope, getJson, persistence, post, render, startTestServer, uid } from './helpers';

let s: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('dedupe', () => {
  test('a batch posted twice is stored and counted once', async () => {
    const batch = envelope([render(5), render(6), render(7)], { app: 'dedupe' });
    const first = await post(s.url, batch);
    expect(first).toMatchObject({ status: 202, json: { accepted: 3, duplicates: 0, rejected: 0 } });
    const again = await post(s.url, batch);
    expect(again).toMatchObject({ status: 202, json: { accepted: 0, duplicates: 3, rejected: 0 } });
    expect(await countStored(s.dir, "app = 'dedupe'")).toBe(3);
    const m = await getJson(s.url, '/api/metrics?app=dedupe');
    expect(m.json.performance.renders.total).toBe(3);
    expect(m.json.events.total).toBe(3);
  });

  test('a retry that overlaps a previous batch counts only the new events', async () => {
    const a = render(5);
    const b = render(6);
    await post(s.url, envelope([a], { app: 'overlap' }));
    const r = await post(s.url, envelope([a, b, b], { app: 'overlap' }));
    expect(r.json).toMatchObject({ accepted: 1, duplicates: 2 });
    expect(await countStored(s.dir, "app = 'overlap'")).toBe(2);
  });
});

describe('GET /api/metrics', () => {
  test('known batch → seed 001 shape and figures', async () => {
    const renders = [2, 4, 6, 8, 10, 12, 14, 16, 18, 20].map((t) => render(t));
    const ops = [
      persistence('save', true, 40),
      persistence('save', true, 50),
      persistence('save', false, 60, { error: 'QuotaExceededError', lost: 2 }),
      persistence('restore', true, 100),
      persistence('restore', true, 200),
    ];
    const api = [200, 200, 500, 200].map((status, i) => ({ id: uid('a'), type: 'api', ts: Date.now(), url: `/api/chat/${i}?q=secret`, method: 'POST', status, duration: 100 * (i + 1), cached: i === 0 }));
    const scroll = { id: uid('sc'), type: 'scroll', ts: Date.now(), avgFps: 58, minFps: 40, jankPercentage: 4, frames: 600, duration: 10_000, refreshRate: 60 };
    const memory = { id: uid('mem'), type: 'memory', ts: Date.now(), usedHeap: 30 * 1024 * 1024, totalHeap: 40 * 1024 * 1024, heapLimit: 2 ** 31 };
    expect((await post(s.url, envelope([...renders, ...ops, ...api, scroll, memory], { app: 'known', release: '2.0.0' }))).json).toMatchObject({
      accepted: 21,
      rejected: 0,
    });
    const { status, json: m } = await getJson(s.url, '/api/metrics?app=known&release=2.0.0&window=300000');
    expect(status).toBe(200);
    expect(m.health.status).toMatch(/^(healthy|degraded|unhealthy)$/);
    expect(m.health.overall).toBeGreaterThanOrEqual(0);
    expect(m.health.overall).toBeLessThanOrEqual(100);
    for (const k of ['persistence', 'performance', 'memory', 'api']) expect(typeof m.health.scores[k]).toBe('number');
    expect(m.performance.renders).toMatchObject({ total: 10, avgTime: 11, slowRenders: 2, slowRenderRate: 20 });
    // p95 within the sketch's 1 % of the true order statistic (18 by floor rank of 10 values).
    expect(Math.abs(m.performance.renders.p95Time - 18) / 18).toBeLessThanOrEqual(0.01);
    expect(m.persistence.operations).toMatchObject({ total: 5, failures: 1, successRate: 80, avgDuration: 90 });
    expect(m.persistence.restoration).toMatchObject({ total: 2, successRate: 100, avgDuration: 150 });
    expect(m.persistence.dataLoss).toMatchObject({ incidents: 1, itemsLost: 2, errorsByType: { QuotaExceededError: 1 } });
    expect(m.api).toMatchObject({ total: 4, avgDuration: 250, errorRate: 25, cacheHitRate: 25 });
    expect(m.performance.scroll).toMatchObject({ avgFps: 58, jankPercentage: 4 });
    expect(m.memory.peakMB).toBe(30);
    expect(m.window).toMatchObject({ ms: 300000 });
    expect(m.filters).toEqual({ app: 'known', release: '2.0.0' });
    // Data loss is critical at once: the alert is among the active ones for this app.
    expect(m.alerts.active.map((a: { ruleId: string; scope: string }) => [a.ruleId, a.scope])).toContainEqual(['data-loss', 'known']);
    expect(m.alerts.stats.open).toBeGreaterThanOrEqual(1);
  });

  test('filters: another app or release sees none of it', async () => {
    expect((await getJson(s.url, '/api/metrics?app=known&release=9.9.9')).json.events.total).toBe(0);
    expect((await getJson(s.url, '/api/metrics?app=nobody')).json.events.total).toBe(0);
  });

  test('window must be a sane number of ms', async () => {
    for (const w of ['abc', '-5', '10', '1e99', '1.5']) {
      const r = await getJson(s.url, `/api/metrics?window=${w}`);
      expect(r.status, w).toBe(400);
      expect(r.json.error).toMatch(/window/);
    }
  });

  test('healthz and dashboard answer', async () => {
    expect((await getJson(s.url, '/healthz')).json).toEqual({ ok: true });
    const page = await fetch(s.url + '/');
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/<html/i);
  });
});

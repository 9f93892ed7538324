// Alerts end to end: evaluation after commits opens alerts, the Slack-compatible webhook receives open and
// resolve (manual and automatic), an open alert is not re-sent, and a dead webhook never blocks ingest.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { envelope, getJson, persistence, post, quiet, render, startTestServer } from './helpers';

interface Hook {
  text: string;
  attachments: Array<{ title: string; footer: string; fields: Array<{ title: string; value: string }> }>;
}

let clock = Date.now();
let received: Hook[] = [];
let receiver: Server;
let hang: Server;
let s: Awaited<ReturnType<typeof startTestServer>>;

const listen = (srv: Server) => new Promise<string>((r) => srv.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(srv.address() as AddressInfo).port}`)));

/** Polls until `cond` holds (what it waits for happens on another request; no duration is asserted). */
async function until(cond: () => boolean, what: string) {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond(), what).toBe(true);
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.end('ok');
    });
  });
  hang = createServer(() => {}); // accepts and never answers
  const url = await listen(receiver);
  await listen(hang);
  s = await startTestServer({ webhookUrl: `${url}/hook`, channels: undefined, log: quiet, alertIntervalMs: 0, now: () => clock });
});
afterAll(async () => {
  await s.close();
  hang.closeAllConnections();
  await new Promise((r) => hang.close(r));
  await new Promise((r) => receiver.close(r));
});

const at = <T extends { ts: number }>(e: T): T => ({ ...e, ts: clock });

describe('webhook', () => {
  test('slow renders open an alert after the commit (no GET needed); the webhook gets Slack JSON', async () => {
    received = [];
    const r = await post(s.url, envelope(Array.from({ length: 30 }, () => at(render(30))), { app: 'hooked', sentAt: clock }));
    expect(r.json).toMatchObject({ accepted: 30 });
    await until(() => received.some((h) => h.text.includes('Slow Message Renders')), 'open notification');
    const hook = received.find((h) => h.text.includes('Slow Message Renders'))!;
    expect(hook.text).toMatch(/^ERROR: Slow Message Renders — P95 render time is (?:29\.\d+|30)ms, above threshold of 16ms$/);
    expect(hook.attachments[0]!.fields).toContainEqual({ title: 'Scope', value: 'hooked', short: true });
  });

  test('still firing: counted on the open alert, not sent again; manual resolve is sent once', async () => {
    await post(s.url, envelope(Array.from({ length: 5 }, () => at(render(30))), { app: 'hooked', sentAt: clock }));
    const { json } = await getJson(s.url, '/api/alerts?status=open');
    const open = json.alerts.filter((a: { ruleId: string; scope: string }) => a.ruleId === 'render-p95' && a.scope === 'hooked');
    expect(open).toHaveLength(1);
    expect(open[0].count).toBeGreaterThanOrEqual(2);

    const res = await fetch(`${s.url}/api/alerts/${open[0].id}/resolve`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: open[0].id, status: 'resolved', resolvedBy: 'manual' });
    await until(() => received.some((h) => h.text.startsWith('Resolved: Slow Message Renders')), 'resolve notification');
    expect(received.filter((h) => h.attachments[0]!.footer.endsWith(open[0].id))).toHaveLength(2); // open + resolve
    expect((await fetch(`${s.url}/api/alerts/no-such-id/resolve`, { method: 'POST' })).status).toBe(404);
  });

  test('data loss opens a critical alert, which resolves by itself once a window without loss passes', async () => {
    received = [];
    await post(s.url, envelope([at(persistence('save', false, 3, { error: 'QuotaExceededError', lost: 3 }))], { app: 'lossy', sentAt: clock }));
    await until(() => received.some((h) => h.text.startsWith('CRITICAL: Data Loss Detected')), 'data-loss notification');
    clock += 10 * 60_000; // the injected clock moves past the 5-minute window
    await post(s.url, envelope(Array.from({ length: 3 }, () => at(persistence('save', true, 3))), { app: 'lossy', sentAt: clock }));
    await until(() => received.some((h) => h.text.startsWith('Resolved: Data Loss Detected')), 'auto-resolve notification');
    const { json } = await getJson(s.url, '/api/alerts');
    const loss = json.alerts.find((a: { ruleId: string; scope: string }) => a.ruleId === 'data-loss' && a.scope === 'lossy');
    expect(loss).toMatchObject({ status: 'resolved', resolvedBy: 'auto' });
  });

  test('an app that goes quiet: its alert resolves by itself (no-data) two windows after it was last seen', async () => {
    received = [];
    await post(s.url, envelope(Array.from({ length: 30 }, () => at(render(40))), { app: 'quiet', sentAt: clock }));
    await until(() => received.some((h) => h.text.startsWith('ERROR: Slow Message Renders') && h.attachments[0]!.fields.some((f) => f.value === 'quiet')), 'open notification');
    clock += 9 * 60_000; // nothing from 'quiet' since: under two 5-minute windows, still open
    let quiet = (await getJson(s.url, '/api/alerts')).json.alerts.find((a: { scope: string }) => a.scope === 'quiet');
    expect(quiet).toMatchObject({ status: 'open' });
    clock += 2 * 60_000;
    quiet = (await getJson(s.url, '/api/alerts')).json.alerts.find((a: { scope: string }) => a.scope === 'quiet');
    expect(quiet).toMatchObject({ status: 'resolved', resolvedBy: 'no-data' });
    await until(() => received.some((h) => h.text.startsWith('Resolved: Slow Message Renders') && h.attachments[0]!.footer.endsWith(quiet.id)), 'resolve notification');
  });
});

test('a webhook that never answers blocks neither ingest nor reads', async () => {
  const port = (hang.address() as AddressInfo).port;
  const t = await startTestServer({ webhookUrl: `http://127.0.0.1:${port}/`, webhookTimeoutMs: 60_000, channels: undefined, alertIntervalMs: 0 });
  try {
    const ev = { ...persistence('save', false, 3, { lost: 1 }) };
    expect((await post(t.url, envelope([ev]))).status).toBe(202);
    const alerts = await getJson(t.url, '/api/alerts');
    expect(alerts.json.alerts.some((a: { ruleId: string }) => a.ruleId === 'data-loss')).toBe(true);
    expect((await post(t.url, envelope([persistence('save', true, 1)]))).status).toBe(202);
  } finally {
    hang.closeAllConnections(); // lets the pending webhook fail so close() returns
    await t.close();
  }
});

// Cross-site request forgery: resolving an alert changes state and, without apiToken, needs no credentials, and a
// bodyless POST needs no CORS preflight. A page on another site (or another port of the same host) must not be able
// to resolve alerts through the operator's browser; the dashboard (same origin) and non-browser clients (curl) can.
import { afterEach, describe, expect, test } from 'vitest';
import { createIngest, createMemoryStore, type Ingest } from '../../src/ingest';
import { quiet } from './helpers';

let ingest: Ingest | undefined;
afterEach(async () => {
  await ingest?.close();
  ingest = undefined;
});

/** An ingest at http://vitals.local<basePath> with the render-p95 alert open; returns the alert's id. */
async function withOpenAlert(opts: Parameters<typeof createIngest>[0] = {}) {
  const i = (ingest = createIngest({ store: createMemoryStore(), log: quiet, channels: [], rateLimit: false, ...opts }));
  const base = `http://vitals.local${opts.basePath ?? ''}`;
  const now = Date.now();
  const events = Array.from({ length: 60 }, (_, n) => ({ id: `r${n}`, type: 'render', ts: now - 1000, messageId: `m${n}`, renderTime: 200 }));
  const posted = await i.fetch(new Request(`${base}/ingest`, { method: 'POST', body: JSON.stringify({ v: 1, app: 'widget', sentAt: now, events }) }));
  expect(posted.status).toBe(202);
  const auth: Record<string, string> = opts.apiToken ? { authorization: `Bearer ${opts.apiToken}` } : {};
  const alerts = async () => (await (await i.fetch(new Request(`${base}/api/alerts?status=open`, { headers: auth }))).json()).alerts as { id: string }[];
  const [alert] = await alerts();
  expect(alert).toBeDefined();
  const resolve = (headers: Record<string, string>) =>
    i.fetch(new Request(`${base}/api/alerts/${alert!.id}/resolve`, { method: 'POST', headers: { ...auth, ...headers } }));
  return { resolve, stillOpen: async () => (await alerts()).some((a) => a.id === alert!.id) };
}

describe('POST /api/alerts/:id/resolve without an API token', () => {
  test.each([
    ['a cross-site page (Fetch Metadata)', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
    // localhost:3000 → localhost:8787, or a sibling subdomain: same site, but not the dashboard.
    ['a same-site page on another port', { 'sec-fetch-site': 'same-site', origin: 'http://vitals.local:3000' }],
    ['a browser without Fetch Metadata, another Origin', { origin: 'https://evil.example' }],
    ['an opaque origin (sandboxed frame, data: URL)', { origin: 'null' }],
  ])('from %s: 403 with a JSON error, and the alert stays open', async (_, headers) => {
    const { resolve, stillOpen } = await withOpenAlert();
    const res = await resolve(headers);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: expect.stringMatching(/cross-origin/) });
    expect(await stillOpen()).toBe(true);
  });

  test.each([
    ['the dashboard (same origin)', { 'sec-fetch-site': 'same-origin', origin: 'http://vitals.local' }],
    ['a browser without Fetch Metadata, on the same origin', { origin: 'http://vitals.local' }],
    // Behind a TLS-terminating proxy the handler sees http://, the page is https:// on the same host.
    ['a same-origin page behind a TLS-terminating proxy (old browser)', { origin: 'https://vitals.local' }],
    ['curl or a script (no browser headers)', {}],
  ])('from %s: resolved', async (_, headers) => {
    const { resolve, stillOpen } = await withOpenAlert();
    const res = await resolve(headers);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'resolved', resolvedBy: 'manual' });
    expect(await stillOpen()).toBe(false);
  });
});

describe('under a basePath, with an API token', () => {
  const opts = { basePath: '/vitals', apiToken: 'secret-token' };

  test('the dashboard resolves (same origin, with the token)', async () => {
    const { resolve, stillOpen } = await withOpenAlert(opts);
    expect((await resolve({ 'sec-fetch-site': 'same-origin', origin: 'http://vitals.local' })).status).toBe(200);
    expect(await stillOpen()).toBe(false);
  });

  test('a cross-site page is refused even if it had the token', async () => {
    const { resolve, stillOpen } = await withOpenAlert(opts);
    expect((await resolve({ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' })).status).toBe(403);
    expect(await stillOpen()).toBe(true);
  });
});

test('reads and the ingest POST are not affected: a cross-site page may still post events and read metrics', async () => {
  const i = (ingest = createIngest({ store: createMemoryStore(), log: quiet, channels: [], rateLimit: false }));
  const crossSite = { 'sec-fetch-site': 'cross-site', origin: 'https://shop.example' };
  const body = JSON.stringify({ v: 1, app: 'widget', sentAt: Date.now(), events: [{ id: 'a', type: 'render', ts: Date.now(), messageId: 'm', renderTime: 3 }] });
  expect((await i.fetch(new Request('http://vitals.local/ingest', { method: 'POST', headers: crossSite, body }))).status).toBe(202);
  expect((await i.fetch(new Request('http://vitals.local/api/metrics', { headers: crossSite }))).status).toBe(200);
});

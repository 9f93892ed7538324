// @vitest-environment happy-dom
// The dashboard page (src/dashboard/page.ts) with its client script (src/dashboard/client.ts) in happy-dom,
// reading an in-process ingest (or a scripted fetch) instead of the network.
import { afterEach, expect, test, vi } from 'vitest';

// page.ts inlines the built client only when rollup defined this; a stand-in gives the page its panel root.
vi.hoisted(() => {
  (globalThis as { __DASHBOARD_CLIENT__?: string }).__DASHBOARD_CLIENT__ = ' ';
});
import { createIngest, type Ingest } from '../../src/ingest/app';
import { createMemoryStore } from '../../src/ingest/store/memory';
import { quiet } from './helpers';

const flush = async () => {
  for (let i = 0; i < 30; i++) await new Promise((r) => setTimeout(r, 0));
};
const foot = () => document.querySelector('[data-foot]')!.textContent ?? '';
const panelText = () => document.querySelector('[data-panel]')!.textContent ?? '';

type Handler = (req: Request) => Promise<Response>;

/** Loads the page `handler` serves at `path` (same origin as the test document) and runs the client script against it. */
async function boot(path: string, handler: Handler) {
  vi.resetModules();
  const page = await handler(new Request(new URL(path, location.href)));
  expect(page.status).toBe(200);
  document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(await page.text())![1]!;
  history.replaceState(null, '', path);
  const calls: { url: string; method: string; auth: string | null }[] = [];
  vi.stubGlobal('fetch', async (u: URL | string, init?: RequestInit) => {
    const req = new Request(String(u), init);
    calls.push({ url: req.url, method: req.method, auth: req.headers.get('authorization') });
    return handler(req);
  });
  await import('../../src/dashboard/client');
  await flush();
  return calls;
}

let ingest: Ingest | undefined;
afterEach(async () => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
  await ingest?.close();
  ingest = undefined;
});

function makeIngest(opts: Parameters<typeof createIngest>[0] = {}) {
  ingest = createIngest({ store: createMemoryStore(), log: quiet, channels: [], rateLimit: false, ...opts });
  return ingest;
}

/** 60 slow renders for `app`: enough to open the render-p95 alert. */
async function slowRenders(i: Ingest, app: string, base = '') {
  const now = Date.now();
  const events = Array.from({ length: 60 }, (_, n) => ({ id: `${app}-r${n}`, type: 'render', ts: now - 1000, messageId: `m${n}`, renderTime: 200 }));
  const res = await i.fetch(
    new Request(`http://localhost:3000${base}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ v: 1, sdk: 't', app, release: '1', session: 's', page: '/', sentAt: now, events }),
    }),
  );
  expect(res.status).toBe(202);
}

test('under a basePath the page also answers at the documented /vitals/', async () => {
  const i = makeIngest({ basePath: '/vitals' });
  // docs/ingest.md, Mounting: "the dashboard is /vitals/".
  for (const path of ['/vitals/', '/vitals']) {
    const page = await i.fetch(new Request('http://localhost:3000' + path));
    expect(page.status, path).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  }
});

test('opened at /vitals (no trailing slash), the page reads /vitals/api/metrics, not the site root', async () => {
  // Next.js (trailingSlash: false) and Hono's mount show the page without the slash; the script's relative
  // URLs must still land under the mount.
  const i = makeIngest({ basePath: '/vitals' });
  const calls = await boot('/vitals?window=900000', (r) => i.fetch(r));
  expect(calls.map((c) => new URL(c.url).pathname)).toEqual(['/vitals/api/metrics']);
  expect(foot()).toMatch(/^Updated /);
});

test('without a basePath the URLs stay relative to the page (the demo serves it at /dashboard, the API at /api)', async () => {
  const i = makeIngest();
  const calls = await boot('/dashboard?window=900000', (r) => {
    const u = new URL(r.url);
    // demo/server.mjs: /dashboard is the ingest's root, /api/* goes to the ingest as is.
    if (u.pathname === '/dashboard') u.pathname = '/';
    return u.pathname === '/' || u.pathname.startsWith('/api/') ? i.fetch(new Request(u, r)) : Promise.resolve(new Response('{}', { status: 404 }));
  });
  expect(calls.map((c) => new URL(c.url).pathname)).toEqual(['/api/metrics']);
  expect(foot()).toMatch(/^Updated /);
});

test('with an app filter the alert statistics count that app only, like the alert list', async () => {
  const i = makeIngest();
  await slowRenders(i, 'widget');
  await boot('/?app=other-app', (r) => i.fetch(r));
  (document.querySelector('[data-tab="alerts"]') as HTMLElement).click();
  expect(panelText()).toContain('No active alerts');
  // The widget's open alert is not this app's: "open 1" beside an empty list contradicts it.
  const stats = document.querySelector('.stats')!;
  expect(stats.textContent).toMatch(/open0/);
  expect(stats.textContent).toMatch(/critical0/);
});

test('a Resolve the ingest refuses (500) is reported, not swallowed by the refresh that follows', async () => {
  const i = makeIngest();
  await slowRenders(i, 'widget');
  const calls = await boot('/', async (r) => (r.url.includes('/resolve') ? new Response('{"error":"internal error"}', { status: 500 }) : i.fetch(r)));
  (document.querySelector('[data-tab="alerts"]') as HTMLElement).click();
  calls.length = 0;
  (document.querySelector('[data-resolve]') as HTMLElement).click();
  await flush();
  expect(calls.map((c) => c.method + ' ' + new URL(c.url).pathname)).toEqual(['POST /api/alerts/render-p95-1/resolve', 'GET /api/metrics']);
  expect(foot()).toMatch(/500/);
  // The alert is still there to retry.
  expect(document.querySelector('[data-resolve]')).not.toBeNull();
});

test('a slow answer for the old filters does not replace the answer for the new ones', async () => {
  const i = makeIngest();
  await slowRenders(i, 'widget');
  const held: Array<() => void> = [];
  await boot('/?refresh=0', async (r) => {
    const res = await i.fetch(r);
    // The first (unfiltered) request is slow; later ones answer at once.
    const u = new URL(r.url);
    if (u.pathname === '/api/metrics' && !u.searchParams.has('app')) await new Promise<void>((go) => held.push(go));
    return res;
  });
  expect(held).toHaveLength(1);
  const form = document.querySelector('form[data-filters]') as HTMLFormElement;
  (form.elements.namedItem('app') as HTMLInputElement).value = 'other-app';
  form.dispatchEvent(new Event('change'));
  await flush();
  expect(document.querySelector('[data-score]')!.textContent).toBe('–'); // other-app has no data
  held[0]!();
  await flush();
  // Still other-app's (empty) figures, not the widget's from the stale unfiltered request.
  expect(document.querySelector('[data-score]')!.textContent).toBe('–');
  expect(foot()).toContain('app other-app');
});

/** As the browser sends them with the page's own fetches: the ingest's cross-origin guard sees a same-origin call. */
const sameOrigin = (handler: Handler): Handler => (r) => {
  const headers = new Headers(r.headers);
  headers.set('sec-fetch-site', 'same-origin');
  if (r.method === 'POST') headers.set('origin', location.origin);
  return handler(new Request(r, { headers }));
};

test('under a basePath with an API token, Resolve asks for the token once and resolves (the cross-origin guard lets the page through)', async () => {
  const i = makeIngest({ basePath: '/vitals', apiToken: 'secret-token' });
  await slowRenders(i, 'widget', '/vitals');
  const prompt = vi.fn(() => 'secret-token');
  vi.stubGlobal('prompt', prompt);
  const calls = await boot('/vitals/', sameOrigin((r) => i.fetch(r)));
  (document.querySelector('[data-tab="alerts"]') as HTMLElement).click();
  (document.querySelector('[data-resolve]') as HTMLElement).click();
  await flush();
  expect(prompt).toHaveBeenCalledTimes(1);
  expect(calls.filter((c) => c.method === 'POST').map((c) => [new URL(c.url).pathname, c.auth])).toEqual([
    ['/vitals/api/alerts/render-p95-1/resolve', 'Bearer secret-token'],
  ]);
  expect(document.querySelector('[data-resolve]')).toBeNull();
  expect(foot()).toMatch(/^Updated /);
});

test('a 403 on Resolve is reported, not answered with a token prompt (a token does not cure it)', async () => {
  const i = makeIngest();
  await slowRenders(i, 'widget');
  const prompt = vi.fn(() => null);
  vi.stubGlobal('prompt', prompt);
  await boot('/', async (r) => (r.url.includes('/resolve') ? new Response('{"error":"cross-origin request refused"}', { status: 403 }) : i.fetch(r)));
  (document.querySelector('[data-tab="alerts"]') as HTMLElement).click();
  (document.querySelector('[data-resolve]') as HTMLElement).click();
  await flush();
  expect(prompt).not.toHaveBeenCalled();
  expect(foot()).toMatch(/403/);
});

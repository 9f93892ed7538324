// The SDK in real Chromium → the real ingest (built dist/ingest.mjs, real SQLite in a temp dir) →
// GET /api/metrics shows exactly what the page produced (issue 4), and retries count once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, openPage } from './support/fixtures';

interface Running {
  url: string;
  close(): Promise<void>;
}

let ingest: Running;
let dataDir: string;

test.beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cv-e2e-ingest-'));
  const { startIngestServer } = await import('../dist/ingest.mjs');
  ingest = await startIngestServer({ port: 0, dataDir });
});

test.afterEach(async () => {
  await ingest.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('renders and persistence outcomes from the page show up in /api/metrics with the right counts and health', async ({ page, receiver, pageErrors }) => {
  await openPage(page, receiver);
  await page.evaluate(async (endpoint) => {
    const cv = (window as any).ChatVitals;
    cv.init({ endpoint, app: 'e2e-ingest', release: '9.9.9', collectors: [] });
    for (let i = 0; i < 40; i++) cv.trackRender({ messageId: 'm' + i, renderTime: i < 30 ? 5 : 40, contentLength: 100 });
    for (let i = 0; i < 19; i++) cv.trackPersistence({ operation: 'save', success: true, duration: 10 });
    cv.trackPersistence({ operation: 'save', success: false, duration: 3, error: 'QuotaExceededError' });
    cv.trackPersistence({ operation: 'restore', success: true, duration: 120 });
    await cv.flush();
  }, ingest.url + '/ingest');

  await expect
    .poll(async () => (await (await fetch(`${ingest.url}/api/metrics?window=600000&app=e2e-ingest`)).json()).performance.renders.total)
    .toBe(40);
  const m = await (await fetch(`${ingest.url}/api/metrics?window=600000&app=e2e-ingest&release=9.9.9`)).json();
  expect(m.performance.renders.total).toBe(40);
  expect(m.performance.renders.slowRenders).toBe(10);
  expect(m.performance.renders.slowRenderRate).toBeCloseTo(25, 1);
  expect(m.persistence.operations.total).toBe(21);
  expect(m.persistence.operations.successRate).toBeCloseTo((20 / 21) * 100, 1);
  expect(m.persistence.operations.errorsByType).toMatchObject({ QuotaExceededError: 1 });
  expect(m.persistence.restoration.total).toBe(1);
  expect(m.persistence.restoration.avgDuration).toBeCloseTo(120, 0);
  expect(['healthy', 'degraded', 'unhealthy']).toContain(m.health.status);
  expect(m.health.scores.performance).toBeLessThan(100);
  expect(pageErrors).toEqual([]);
});

test('events from the page plus a batch posted twice (an at-least-once retry) are each counted once', async ({ page, receiver }) => {
  await openPage(page, receiver);
  const endpoint = ingest.url + '/ingest';
  await page.evaluate(async (endpoint) => {
    const cv = (window as any).ChatVitals;
    cv.init({ endpoint, app: 'e2e-dedupe', collectors: [] });
    for (let i = 0; i < 25; i++) cv.trackRender({ messageId: 'd' + i, renderTime: 3 });
    await cv.flush();
  }, endpoint);
  await expect
    .poll(async () => (await (await fetch(`${ingest.url}/api/metrics?window=600000&app=e2e-dedupe`)).json()).performance.renders.total)
    .toBe(25);
  // Resend exactly what arrived, as an at-least-once retry would.
  const seen = await (await fetch(`${ingest.url}/api/metrics?window=600000&app=e2e-dedupe`)).json();
  const events = Array.from({ length: 25 }, (_, i) => ({ id: 'x' + i, type: 'render', ts: Date.now(), messageId: 'r' + i, renderTime: 3 }));
  const envelope = { v: 1, sdk: 'chat-vitals@test', app: 'e2e-dedupe', session: 'aaaaaaaaaaaaaaaa', sentAt: Date.now(), events };
  for (let i = 0; i < 2; i++) {
    const r = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(envelope) });
    expect(r.status).toBe(202);
    expect(await r.json()).toMatchObject(i === 0 ? { accepted: 25, duplicates: 0 } : { accepted: 0, duplicates: 25 });
  }
  const after = await (await fetch(`${ingest.url}/api/metrics?window=600000&app=e2e-dedupe`)).json();
  expect(after.performance.renders.total).toBe(seen.performance.renders.total + 25);
});

/** Posts 60 renders of 200 ms to the ingest at `base` (enough samples to open the render-p95 alert). */
async function postSlowRenders(base: string, app: string, prefix: string) {
  const now = Date.now();
  const events = Array.from({ length: 60 }, (_, i) => ({ id: prefix + i, type: 'render', ts: now - 1000, messageId: 'm' + i, renderTime: 200 }));
  const posted = await fetch(base + '/ingest', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ v: 1, app, sentAt: now, events }) });
  expect(posted.status).toBe(202);
}

test('the dashboard works under its Content-Security-Policy (under a basePath): no violation, data shown, Resolve resolves', async ({ page, pageErrors }) => {
  const dir = mkdtempSync(join(tmpdir(), 'cv-e2e-dashboard-'));
  const { startIngestServer } = await import('../dist/ingest.mjs');
  const vitals: Running = await startIngestServer({ port: 0, dataDir: dir, basePath: '/vitals' });
  try {
    const base = vitals.url + '/vitals';
    await postSlowRenders(base, 'e2e-csp', 'csp');

    // Chromium reports a blocked script, style or fetch both as a securitypolicyviolation event and on the console.
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`)),
    );
    const res = await page.goto(base + '/');
    expect(res!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res!.headers()['content-security-policy']).not.toContain('unsafe-inline');

    // The inline script ran (it fetched the API and drew the panel) and the inline stylesheet applied.
    await expect(page.locator('[data-score]')).toHaveText(/^\d+$/);
    await expect(page.locator('[data-foot]')).toContainText('Updated');
    expect(await page.locator('header').evaluate((el) => getComputedStyle(el).display)).toBe('flex');

    await page.locator('[data-tab=alerts]').click();
    const alert = page.locator('[data-alert^="render-p95-"]');
    await expect(alert).toBeVisible();
    await alert.getByRole('button', { name: /Resolve/ }).click();
    await expect(alert).toHaveCount(0);
    const resolved = await (await fetch(base + '/api/alerts?status=resolved')).json();
    expect(resolved.alerts).toContainEqual(expect.objectContaining({ ruleId: 'render-p95', resolvedBy: 'manual' }));

    expect(problems).toEqual([]);
    expect(pageErrors).toEqual([]);

    // And the policy is really enforced: a script injected into the page does not run, and is reported.
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.injected = true';
      document.body.append(s);
      return (window as { injected?: boolean }).injected === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => problems.some((p) => p.startsWith('CSP violation: script-src'))).toBe(true);
  } finally {
    await vitals.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pages of other sites cannot resolve alerts through the browser; the dashboard can, also with an API token', async ({ page, receiver, pageErrors }) => {
  // The ingest of beforeEach: no API token, so resolving needs no credentials.
  await postSlowRenders(ingest.url, 'e2e-csrf', 'csrf');
  const [open] = (await (await fetch(ingest.url + '/api/alerts?status=open')).json()).alerts;
  expect(open.ruleId).toBe('render-p95');
  // A form-like POST: no preflight, so the browser sends it; the page cannot read the answer (no CORS on /api).
  const attack = ([url, id]: string[]) =>
    fetch(`${url}/api/alerts/${id}/resolve`, { method: 'POST', mode: 'no-cors' }).then(
      (r) => r.type,
      (e) => String(e),
    );
  const stillOpen = async () => (await (await fetch(ingest.url + '/api/alerts?status=open')).json()).alerts.some((a: { id: string }) => a.id === open.id);
  // The receiver's page is on 127.0.0.1 too, another port: the same site (Sec-Fetch-Site: same-site), another origin.
  await openPage(page, receiver);
  expect(await page.evaluate(attack, [ingest.url, open.id])).toBe('opaque'); // sent, and answered
  expect(await stillOpen()).toBe(true);
  // Opened as localhost it is another site altogether.
  await page.goto(receiver.origin.replace('127.0.0.1', 'localhost') + '/pages/sdk.html');
  expect(await page.evaluate(attack, [ingest.url, open.id])).toBe('opaque');
  expect(await stillOpen()).toBe(true);
  // Nor can such a page read the metrics: the default "any origin may post" does not extend to reads.
  const read = (url: string) => fetch(`${url}/api/metrics`).then((r) => r.status, (e) => String(e));
  expect(await page.evaluate(read, ingest.url)).toMatch(/TypeError/);

  // The dashboard itself (same origin) under a basePath, on an ingest with an API token: it asks for the token.
  const dir = mkdtempSync(join(tmpdir(), 'cv-e2e-token-'));
  const { startIngestServer } = await import('../dist/ingest.mjs');
  const vitals: Running = await startIngestServer({ port: 0, dataDir: dir, basePath: '/vitals', apiToken: 'e2e-token' });
  try {
    const base = vitals.url + '/vitals';
    await postSlowRenders(base, 'e2e-token', 'tok');
    page.on('dialog', (d) => void d.accept('e2e-token'));
    await page.goto(base + '/');
    await page.locator('[data-tab=alerts]').click();
    const alert = page.locator('[data-alert^="render-p95-"]');
    await expect(alert).toBeVisible();
    await alert.getByRole('button', { name: /Resolve/ }).click();
    await expect(alert).toHaveCount(0);
    const resolved = await (await fetch(base + '/api/alerts?status=resolved', { headers: { authorization: 'Bearer e2e-token' } })).json();
    expect(resolved.alerts).toContainEqual(expect.objectContaining({ ruleId: 'render-p95', resolvedBy: 'manual' }));
    expect(pageErrors).toEqual([]);
  } finally {
    await vitals.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

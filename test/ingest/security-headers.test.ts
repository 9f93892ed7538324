// Response security headers: nosniff on every answer; on the dashboard page a CSP whose hashes match the page's
// own inline script and stylesheet, no framing, no Referer; the ingest POST keeps its CORS answer as it was.
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, test, vi } from 'vitest';

// page.ts inlines the built client only when rollup defined this. A stand-in with "</script" in it, which the
// page escapes: the hash must be of the text as served.
vi.hoisted(() => {
  (globalThis as { __DASHBOARD_CLIENT__?: string }).__DASHBOARD_CLIENT__ = 'window.x = "</script>";';
});
import { createIngest, createMemoryStore } from '../../src/ingest';
import { envelope, quiet, render } from './helpers';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values.join(' ')]));

describe.each([
  ['at the root', '', ['/']],
  ['under a basePath', '/vitals', ['/vitals', '/vitals/']],
])('%s', (_, basePath, pagePaths) => {
  let clock = Date.now();
  const ingest = createIngest({ store: createMemoryStore(), basePath, now: () => clock, rateLimit: { perSecond: 1, burst: 2 }, log: quiet, channels: [] });
  afterAll(() => ingest.close());
  const url = (path: string) => `http://app.local${basePath}${path}`;
  const post = (body: string, headers: Record<string, string> = {}) =>
    ingest.fetch(new Request(url('/ingest'), { method: 'POST', headers: { 'content-type': 'text/plain', origin: 'https://shop.example', ...headers }, body }));

  test('every answer says nosniff: page, API, metrics, 202/400/429, preflight, 404 inside and outside the basePath', async () => {
    const answers = [
      await post(JSON.stringify(envelope([render(3)]))),
      await post('{'),
      await post('{'), // past the burst of 2: 429
      await ingest.fetch(new Request(url('/ingest'), { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } })),
      ...(await Promise.all(['/api/metrics', '/api/alerts', '/metrics', '/healthz', '/nope', ...pagePaths.map((p) => p.slice(basePath.length))].map((p) => ingest.fetch(new Request(url(p)))))),
      await ingest.fetch(new Request('http://app.local/elsewhere')),
    ];
    expect(answers.map((r) => r.status)).toEqual([202, 400, 429, 204, 200, 200, 200, 200, 404, ...pagePaths.map(() => 200), 404]);
    for (const r of answers) expect(r.headers.get('x-content-type-options'), `${r.status} ${r.url}`).toBe('nosniff');
  });

  test.each(pagePaths)('the page at %s: a CSP with the hashes of its own inline script and style, no framing, no Referer', async (path) => {
    const res = await ingest.fetch(new Request(`http://app.local${path}`));
    expect(res.status).toBe(200);
    const html = await res.text();
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(script).toContain('<\\/script>'); // the escaped stand-in: the hash below is of what the browser gets
    const csp = directives(res.headers.get('content-security-policy') ?? '');
    expect(Object.fromEntries(csp)).toEqual({
      'default-src': "'none'",
      'script-src': sha256(script),
      'style-src': sha256(style),
      'connect-src': "'self'",
      'base-uri': "'none'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    });
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    // The one inline script and stylesheet are all there is: nothing else inline that the CSP would block.
    expect(html.match(/<script|<style|\sstyle=|\son[a-z]+=/gi)).toEqual(['<style', '<script']);
  });

  test('the ingest POST answers with the CORS headers it always had, and nothing that would stop a cross-origin beacon', async () => {
    clock += 10_000; // the rate limiter refills
    const res = await post(JSON.stringify(envelope([render(3)])));
    expect(res.status).toBe(202);
    expect(Object.fromEntries(res.headers)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'Retry-After',
      'content-type': 'application/json',
      'x-content-type-options': 'nosniff',
    });
  });

  test('reads carry no CORS headers under the default "any origin may post": another site cannot read them', async () => {
    for (const path of ['/api/metrics', '/api/alerts', '/metrics']) {
      const res = await ingest.fetch(new Request(url(path), { headers: { origin: 'https://evil.example' } }));
      expect(res.status, path).toBe(200);
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
    }
    const pre = await ingest.fetch(new Request(url('/api/metrics'), { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } }));
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });
});

test('with an explicit allowlist, listed origins may read too (a browser tool of the operator\'s own)', async () => {
  const ingest = createIngest({ store: createMemoryStore(), allowedOrigins: ['https://ops.example'], log: quiet, channels: [] });
  try {
    const read = (origin: string) => ingest.fetch(new Request('http://app.local/api/metrics', { headers: { origin } }));
    expect((await read('https://ops.example')).headers.get('access-control-allow-origin')).toBe('https://ops.example');
    expect((await read('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  } finally {
    await ingest.close();
  }
});

test('a page built without its client script allows no script at all', async () => {
  vi.resetModules();
  delete (globalThis as { __DASHBOARD_CLIENT__?: string }).__DASHBOARD_CLIENT__;
  const { dashboardHeaders } = await import('../../src/dashboard/page');
  expect((await dashboardHeaders())['Content-Security-Policy']).toContain("script-src 'none'");
});

// The public API in real Chromium, against a real HTTP receiver: wire shape (SPEC §4), script-tag
// auto-init with the loader snippet, and garbage arguments that must never reach the page as errors.
import { test, expect, openPage, useDevBuild } from './support/fixtures';

test('script tag auto-inits from data-* and delivers queued and later calls in the SPEC §4 envelope', async ({ page, receiver, pageErrors }) => {
  await openPage(page, receiver, 'autoinit.html');
  await page.waitForFunction(() => typeof (window as any).ChatVitals?.flush === 'function');
  await page.evaluate(async () => {
    const cv = (window as any).ChatVitals;
    cv.trackPersistence({ operation: 'restore', success: true, duration: 12.5, sessionId: 'conv-1' });
    cv.trackApi({ url: '/api/messages?cursor=abc', method: 'GET', status: 200, duration: 40, cached: true });
    await cv.flush();
  });
  const events = await receiver.waitFor((evs) => evs.length >= 3);
  const req = receiver.requests.find((r) => r.envelope)!;
  // No header of ours (no CORS preflight): plain JSON goes as text/plain, a gzipped body with none.
  expect(req.contentType).toBe(req.encoding === 'gzip' ? '' : 'text/plain;charset=UTF-8');
  const env = req.envelope!;
  expect(env).toMatchObject({ v: 1, app: 'e2e-widget', release: '1.2.3', page: '/pages/autoinit.html' });
  expect(env.sdk).toMatch(/^chat-vitals@\d+\.\d+\.\d+/);
  expect(env.session).toMatch(/^[0-9a-z]{16}$/);
  expect(Math.abs(env.sentAt - Date.now())).toBeLessThan(60_000);
  expect(events.find((e) => e.type === 'render')).toMatchObject({ messageId: 'early-1', renderTime: 7 });
  expect(events.find((e) => e.type === 'persistence')).toMatchObject({ operation: 'restore', success: true, duration: 12.5 });
  expect(events.find((e) => e.type === 'api')).toMatchObject({ url: '/api/messages', cached: true });
  for (const e of events) {
    expect(typeof e.id).toBe('string');
    expect(Math.abs(e.ts - Date.now())).toBeLessThan(60_000);
  }
  expect(pageErrors).toEqual([]);
});

// Both builds: production (what chat users get) is silent; development warns, once per kind.
for (const dev of [false, true])
  test(`garbage arguments to every public function cause no page error and send nothing false (${dev ? 'development' : 'production'} build)`, async ({ page, receiver, pageErrors }) => {
    if (dev) await useDevBuild(page);
    await openPage(page, receiver);
    const warnings = await page.evaluate(async (endpoint) => {
      const cv = (window as any).ChatVitals;
      const seen: string[] = [];
      const orig = console.warn;
      console.warn = (...a: unknown[]) => seen.push(String(a[0]));
      window.addEventListener('unhandledrejection', (e) => seen.push('UNHANDLED ' + String(e.reason)));
      const cyclic: any = {};
      cyclic.self = cyclic;
      const junk = [undefined, null, NaN, -1, Infinity, '', 'x'.repeat(100_000), Symbol('s'), cyclic, [], () => {}, { renderTime: NaN }, new Proxy({}, { get() { throw new Error('trap'); } })];
      const names = Object.keys(cv).filter((k) => typeof cv[k] === 'function' && !['init', 'shutdown'].includes(k));
      // Automatic collectors off: their real bundle/vital events are not what this test is about.
      cv.init({ endpoint, collect: { heap: false, vitals: false, api: false, bundle: false } });
      for (const name of names) for (const j of junk) {
        try {
          const r = cv[name](j, j);
          if (r && typeof r.then === 'function') await r;
        } catch (e) {
          seen.push('THREW ' + name + ' ' + String(e));
        }
      }
      await cv.flush();
      console.warn = orig;
      return seen;
    }, receiver.endpoint);
    expect(pageErrors).toEqual([]);
    expect(warnings.filter((w) => w.startsWith('THREW') || w.startsWith('UNHANDLED'))).toEqual([]);
    if (dev) {
      // One warning per kind, not one per call; each says what was wrong.
      expect(new Set(warnings).size).toBe(warnings.length);
      expect(warnings).toContain('[chat-vitals] trackRender: bad messageId; ignored.');
    } else expect(warnings).toEqual([]);
    expect(receiver.events().filter((e) => e.type !== 'dropped')).toEqual([]);
  });

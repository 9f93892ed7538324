// The collectors in real Chromium against ground truth the test creates: busy-waited renders, janky
// and smooth scrolls, two tabs on one sync channel, localStorage at quota and tampered with, a page
// without performance.memory, real fetches. Events travel the real path (record → pipeline → POST)
// to the rig's receiver.
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { rollup, type Plugin } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import ts from 'typescript';
import { test, expect, openPage } from './support/fixtures';
import type { Receiver } from './support/receiver';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// The script-tag build, compiled here from src/iife.ts without type-checking (so a teammate's
// half-done file elsewhere does not stop this suite) and served as /collectors-sdk.js: the same code
// as dist/chat-vitals.iife.js, window.ChatVitals with every collector.
const IIFE = ROOT + 'src/iife.ts';

const transpile = (): Plugin => ({
  name: 'transpile-ts',
  // The package says sideEffects: false; the script-tag entry is the one module that has them.
  resolveId: (id) => (id === IIFE ? { id, moduleSideEffects: true } : null),
  transform(code, id) {
    if (!id.endsWith('.ts')) return null;
    const out = ts.transpileModule(code, {
      compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true, sourceMap: false },
    });
    return out.outputText;
  },
});

let sdk = '';
test.beforeAll(async () => {
  const bundle = await rollup({ input: IIFE, plugins: [transpile(), resolve({ browser: true, extensions: ['.ts', '.js', '.mjs'] })] });
  sdk = (await bundle.generate({ format: 'iife' })).output[0].code;
  await bundle.close();
});

/** Opens the collectors page with the SDK served at /collectors-sdk.js; `before` runs before any page script. */
async function open(page: Page, receiver: Receiver, before?: () => void, path = 'collectors.html') {
  await page.route(/\/collectors-sdk\.js$/, (route) => route.fulfill({ body: sdk, contentType: 'text/javascript' }));
  if (before) await page.addInitScript(before);
  await openPage(page, receiver, path);
  await page.waitForFunction(() => typeof (window as any).ChatVitals?.startRender === 'function');
}

/** init with a short flush interval and only the automatic collectors named in `collect` (default none). */
async function init(page: Page, receiver: Receiver, collect: Record<string, unknown> = {}) {
  await page.evaluate(
    ([endpoint, collect]) =>
      (window as any).ChatVitals.init({
        endpoint,
        flushIntervalMs: 200,
        collect: { heap: false, vitals: false, api: false, bundle: false, ...collect },
      }),
    [receiver.endpoint, collect] as const,
  );
}

const flush = (page: Page) => page.evaluate(() => (window as any).ChatVitals.flush());
/** Accepted events of `type`, each id once (delivery is at-least-once; the ingest dedupes by id). */
const ofType = (receiver: Receiver, type: string) => {
  const seen = new Set<string>();
  return receiver.events().filter((e) => e.type === type && !seen.has(e.id) && seen.add(e.id)) as any[];
};
/** Waits until `n` distinct events of `type` (matching `pred`) have arrived; returns them in arrival order. */
async function waitType(receiver: Receiver, type: string, n = 1, pred: (e: any) => boolean = () => true) {
  await receiver.waitFor(() => ofType(receiver, type).filter(pred).length >= n).catch((e) => {
    console.log('events so far:', JSON.stringify(receiver.events()));
    throw e;
  });
  return ofType(receiver, type).filter(pred);
}

test.describe('render', () => {
  test('a render that busy-waits 30 ms: renderTime ≥ 30 and under 30 + two frames', async ({ page, receiver, pageErrors }) => {
    await open(page, receiver);
    await init(page, receiver);
    // Five separate renders, each in its own task started mid-frame like a message arriving from the
    // network: every one must take at least its 30 ms; the median must end within two frames of it
    // (the median, so one scheduling hiccup of a loaded CI machine does not decide the result).
    await page.evaluate(async () => {
      const cv = (window as any).ChatVitals;
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 5)));
        const end = cv.startRender('busy-' + i, 120);
        (window as any).busy(30);
        const li = document.createElement('li');
        li.textContent = 'message ' + i;
        document.getElementById('messages')!.append(li);
        end();
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    await flush(page);
    const renders = await waitType(receiver, 'render', 5);
    const times = renders.map((r) => r.renderTime).sort((a, b) => a - b);
    console.log('render busy 30 ms →', JSON.stringify(times));
    for (const r of renders) {
      expect(r.contentLength).toBe(120);
      expect(r.renderTime).toBeGreaterThanOrEqual(30);
    }
    expect(times[2]).toBeLessThan(30 + 2 * (1000 / 60));
    expect(pageErrors).toEqual([]);
  });

  test('observeMessages times each message node the widget adds', async ({ page, receiver, pageErrors }) => {
    await open(page, receiver);
    await init(page, receiver);
    await page.evaluate(() => {
      const cv = (window as any).ChatVitals;
      const list = document.getElementById('messages')!;
      cv.observeMessages(list);
      for (let i = 0; i < 3; i++) {
        const li = document.createElement('li');
        li.dataset.messageId = 'obs-' + i;
        li.textContent = 'x'.repeat(10 + i);
        list.append(li);
      }
    });
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    await flush(page);
    const renders = await waitType(receiver, 'render', 3);
    expect(renders.map((r) => [r.messageId, r.contentLength]).sort()).toEqual([
      ['obs-0', 10],
      ['obs-1', 11],
      ['obs-2', 12],
    ]);
    for (const r of renders) expect(r.renderTime).toBeGreaterThanOrEqual(0);
    expect(pageErrors).toEqual([]);
  });
});

test.describe('scroll', () => {
  test('every 10th frame made to take 100 ms: jank 10 ± 3 %, minFps < 15, one event per session', async ({ page, receiver, pageErrors }) => {
    await open(page, receiver);
    await init(page, receiver);
    await page.evaluate(() => (window as any).ChatVitals.observeScroll(document.getElementById('feed')));
    // Every session is checked against the page's own log of the same frames (what the collector must
    // agree with, whatever the machine does). The ground truth, 10 % induced jank, holds only when the
    // shared CPU adds no dropped frames of its own: a session where the page itself saw other than
    // 10 ± 3 % is rerun, up to four sessions.
    let s: any;
    let pageJank = NaN;
    let sessions = 0;
    for (let session = 1; session <= 4; session++) {
      sessions = session;
      await page.evaluate(() => (window as any).scrollFrames(document.getElementById('feed'), 150, 10, 100));
      await flush(page);
      s = (await waitType(receiver, 'scroll', session))[session - 1];
      pageJank = await page.evaluate(() => (window as any).pageJank());
      console.log(`janky scroll #${session}`, JSON.stringify(s), 'page-measured jank', pageJank.toFixed(1));
      expect(Math.abs(s.jankPercentage - pageJank)).toBeLessThanOrEqual(3);
      expect(s.minFps).toBeLessThan(15);
      expect(s.frames).toBeGreaterThanOrEqual(150);
      if (Math.abs(pageJank - 10) <= 3) break;
      await page.waitForTimeout(500);
    }
    expect(s.jankPercentage, `the page itself measured ${pageJank.toFixed(1)} % jank (machine under load?)`).toBeGreaterThanOrEqual(7);
    expect(s.jankPercentage).toBeLessThanOrEqual(13);
    // One event per session, none while idle in between.
    await page.waitForTimeout(300);
    await flush(page);
    expect(new Set(ofType(receiver, 'scroll').map((e) => e.id)).size).toBe(sessions);
    expect(pageErrors).toEqual([]);
  });

  test('a smooth scroll of the page: jank ≤ 2 %, refresh rate measured; no rAF while idle', async ({ page, receiver, pageErrors }) => {
    await open(page, receiver);
    await init(page, receiver);
    const idle = await page.evaluate(async () => {
      const cv = (window as any).ChatVitals;
      // Count the rAF requests the SDK makes, before and after the scroll.
      let rafs = 0;
      const raf = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (cb) => (rafs++, raf(cb));
      cv.observeScroll();
      await new Promise((r) => setTimeout(r, 300));
      const beforeScroll = rafs;
      await (window as any).scrollFrames(window, 120, 0, 0);
      await new Promise((r) => setTimeout(r, 400)); // the session ends 150 ms after the last scroll
      const afterEnd = rafs;
      await new Promise((r) => setTimeout(r, 300));
      return { beforeScroll, during: afterEnd, afterIdle: rafs - afterEnd };
    });
    expect(idle.beforeScroll).toBe(0);
    expect(idle.afterIdle).toBe(0);
    // As above: every session agrees with the page's own frame log; a session in which the loaded
    // machine itself dropped frames (page-measured jank over 2 %) is rerun, up to three sessions.
    let s: any;
    for (let session = 1; session <= 3; session++) {
      if (session > 1) {
        await page.evaluate(() => (window as any).scrollFrames(window, 120, 0, 0));
        await page.waitForTimeout(400);
      }
      await flush(page);
      s = (await waitType(receiver, 'scroll', session))[session - 1];
      const pageJank = await page.evaluate(() => (window as any).pageJank());
      console.log(`smooth scroll #${session}`, JSON.stringify(s), 'page-measured jank', pageJank.toFixed(1));
      expect(Math.abs(s.jankPercentage - pageJank)).toBeLessThanOrEqual(3);
      if (pageJank <= 2) break;
    }
    expect(s.jankPercentage).toBeLessThanOrEqual(2);
    expect(s.refreshRate).toBe(60);
    expect(s.avgFps).toBeGreaterThan(50);
    expect(pageErrors).toEqual([]);
  });
});

test.describe('tab sync', () => {
  test('two pages on one channel: latency 0–100 ms, success; a receiver that stops answering → success false', async ({ page, context, receiver, pageErrors }) => {
    const other = await context.newPage();
    await open(page, receiver);
    await open(other, receiver);
    await init(page, receiver);
    await init(other, receiver);
    await other.evaluate(() => {
      const w = window as any;
      w.got = [];
      w.sync = w.ChatVitals.syncChannel('conversation', { timeoutMs: 300 });
      w.sync.onMessage((d: unknown) => w.got.push(d));
    });
    await page.evaluate(() => {
      const w = window as any;
      w.sync = w.ChatVitals.syncChannel('conversation', { timeoutMs: 300 });
    });
    await page.waitForTimeout(100); // hello / here
    for (let i = 0; i < 5; i++) await page.evaluate((i) => (window as any).sync.post({ draft: 'hello ' + i }), i);
    await other.waitForFunction(() => (window as any).got.length === 5);
    expect(await other.evaluate(() => (window as any).got[4])).toEqual({ draft: 'hello 4' });
    await flush(other);
    const ok = await waitType(receiver, 'tabsync', 5);
    for (const e of ok) {
      expect(e).toMatchObject({ success: true, channel: 'conversation' });
      expect(e.latency).toBeGreaterThanOrEqual(0);
      expect(e.latency).toBeLessThan(100);
    }
    // Every message was acknowledged within the timeout: the sender reports nothing.
    await page.waitForTimeout(500);
    await flush(page);
    expect(ofType(receiver, 'tabsync').filter((e) => !e.success)).toHaveLength(0);

    // A receiver that hangs (a long task): a known listener that cannot answer in time → one failure.
    void other.evaluate(() => (window as any).busy(1000));
    await page.waitForTimeout(50);
    await page.evaluate(() => (window as any).sync.post({ draft: 'while hung' }));
    const [hung] = await waitType(receiver, 'tabsync', 1, (e) => !e.success);
    expect(hung).toMatchObject({ success: false, channel: 'conversation', latency: 300 });
    // Once free it gets the message (late, still delivered) and answers, so it is expected again.
    await other.waitForFunction(() => (window as any).got.length === 6);

    // A receiver closed without a goodbye (its renderer crashed): the next message fails.
    const crashed = new Promise((ok) => other.on('crash', ok));
    const cdp = await context.newCDPSession(other);
    void cdp.send('Page.crash').catch(() => undefined); // the call itself dies with the renderer
    await crashed;
    await page.evaluate(() => (window as any).sync.post({ draft: 'to a closed tab' }));
    await waitType(receiver, 'tabsync', 2, (e) => !e.success);
    expect(pageErrors).toEqual([]);
  });

  test('a receiver closed with close(): no false failures', async ({ page, context, receiver }) => {
    const other = await context.newPage();
    await open(page, receiver);
    await open(other, receiver);
    await init(page, receiver);
    await other.evaluate(() => ((window as any).sync = (window as any).ChatVitals.syncChannel('c2', { timeoutMs: 200 })));
    await page.evaluate(() => ((window as any).sync = (window as any).ChatVitals.syncChannel('c2', { timeoutMs: 200 })));
    await page.waitForTimeout(100);
    await other.evaluate(() => (window as any).sync.close());
    await page.waitForTimeout(100);
    expect(await page.evaluate(() => (window as any).sync.post('anyone?'))).toBe(true);
    await page.waitForTimeout(400);
    await flush(page);
    await page.waitForTimeout(200);
    expect(ofType(receiver, 'tabsync')).toHaveLength(0);
  });
});

test.describe('persistence', () => {
  test('localStorage filled to quota → save fails with QuotaExceededError; the earlier value is intact', async ({ page, receiver, pageErrors }) => {
    await open(page, receiver);
    await init(page, receiver);
    const result = await page.evaluate(() => {
      const cv = (window as any).ChatVitals;
      localStorage.clear();
      const store = cv.persistentStore('conversation');
      const savedSmall = store.save([{ id: 1, text: 'hi' }]);
      // Fill the origin's quota: halve the chunk until not even one character fits.
      let n = 0;
      for (let size = 1 << 20; size >= 1; ) {
        try {
          localStorage.setItem('filler-' + n++, 'x'.repeat(size));
        } catch {
          size >>= 1;
        }
      }
      const savedBig = store.save(Array.from({ length: 100 }, (_, i) => ({ id: i, text: 'message ' + i })));
      const restored = store.restore();
      for (let i = 0; i < n; i++) localStorage.removeItem('filler-' + i);
      return { savedSmall, savedBig, restored };
    });
    expect(result.savedSmall).toBe(true);
    expect(result.savedBig).toBe(false);
    expect(result.restored).toEqual([{ id: 1, text: 'hi' }]);
    await flush(page);
    const evs = await waitType(receiver, 'persistence', 3);
    expect(evs.map((e) => [e.operation, e.success, e.error])).toEqual([
      ['save', true, undefined],
      ['save', false, 'QuotaExceededError'],
      ['restore', true, undefined],
    ]);
    expect(pageErrors).toEqual([]);
  });

  test('data removed behind the store → restore reports lost > 0 (DataLoss); a next page restores as navigation', async ({ page, receiver, pageErrors }) => {
    await open(page, receiver);
    await init(page, receiver);
    await page.evaluate(() => {
      const store = (window as any).ChatVitals.persistentStore('chat');
      localStorage.clear();
      store.save(Array.from({ length: 10 }, (_, i) => 'm' + i));
      // Someone else (an eviction, another script) truncates the conversation.
      localStorage.setItem('chat', JSON.stringify(['m0', 'm1', 'm2']));
      (window as any).restored = store.restore();
    });
    expect(await page.evaluate(() => (window as any).restored)).toEqual(['m0', 'm1', 'm2']);
    await flush(page);
    const [loss] = await waitType(receiver, 'persistence', 1, (e) => e.lost > 0);
    expect(loss).toMatchObject({ operation: 'restore', success: false, error: 'DataLoss', lost: 7 });

    // Cross-page preservation: save, follow a link to another page of the site, restore there.
    await page.evaluate(() => (window as any).ChatVitals.persistentStore('chat').save(['a', 'b']));
    await page.evaluate(() => {
      const a = document.createElement('a');
      a.href = 'collectors.html?page=2';
      document.body.append(a);
      a.click();
    });
    await page.waitForURL(/page=2/);
    await page.waitForFunction(() => typeof (window as any).ChatVitals?.startRender === 'function');
    await init(page, receiver);
    expect(await page.evaluate(() => (window as any).ChatVitals.persistentStore('chat').restore())).toEqual(['a', 'b']);
    await flush(page);
    const [nav] = await waitType(receiver, 'persistence', 1, (e) => e.operation === 'navigation');
    expect(nav).toMatchObject({ success: true });
    expect(nav.lost).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });
  test('storage denied (sandboxed iframe, an opaque origin) → SecurityError, nothing thrown', async ({ page, receiver, pageErrors }) => {
    await open(page, receiver);
    const frameErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && frameErrors.push(m.text()));
    // The SDK inline: request routing does not reach a sandboxed frame's subresources.
    await page.evaluate(([endpoint, sdk]) => {
      const f = document.createElement('iframe');
      f.setAttribute('sandbox', 'allow-scripts');
      f.srcdoc = `<script>${sdk.replace(/<\/script/gi, '<\\/script')}</script><script>
        ChatVitals.init({ endpoint: ${JSON.stringify(endpoint)}, flushIntervalMs: 200, collect: { heap: false, vitals: false, api: false, bundle: false } });
        const store = ChatVitals.persistentStore('chat');
        parent.postMessage({ saved: store.save([1, 2]), restored: store.restore() === undefined }, '*');
        ChatVitals.flush();
      </script>`;
      document.body.append(f);
    }, [receiver.endpoint, sdk] as const);
    const [save, restore] = await waitType(receiver, 'persistence', 2);
    expect(save).toMatchObject({ operation: 'save', success: false, error: 'SecurityError' });
    expect(restore).toMatchObject({ success: false, error: 'SecurityError' });
    expect(pageErrors).toEqual([]);
    expect(frameErrors.filter((e) => !/localStorage|IndexedDB|indexedDB|sandbox/i.test(e))).toEqual([]);
  });
});

test.describe('heap', () => {
  test('performance.memory deleted before load → no memory events, one warning', async ({ page, receiver, pageErrors }) => {
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await open(page, receiver, () => {
      delete (Performance.prototype as any).memory;
      delete (performance as any).memory;
    });
    expect(await page.evaluate(() => 'memory' in performance)).toBe(false);
    await init(page, receiver, { heap: { intervalMs: 1000 } });
    await page.evaluate(() => (window as any).ChatVitals.trackRender({ messageId: 'marker', renderTime: 1 }));
    await page.waitForTimeout(2500);
    await flush(page);
    await waitType(receiver, 'render');
    expect(ofType(receiver, 'memory')).toHaveLength(0);
    expect(warnings.filter((w) => w.includes('no memory API'))).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });

  test('with performance.memory: snapshots with used, total and limit', async ({ page, receiver }) => {
    await open(page, receiver);
    await init(page, receiver, { heap: { intervalMs: 1000 } });
    const [m] = await waitType(receiver, 'memory');
    expect(m.usedHeap).toBeGreaterThan(0);
    expect(m.totalHeap).toBeGreaterThanOrEqual(m.usedHeap);
    expect(m.heapLimit).toBeGreaterThan(m.totalHeap);
  });
});

test.describe('resource timing', () => {
  test('apiTiming: matching fetch/XHR with status, no query string, latency to the first byte of a streamed reply; never the SDK endpoint; bundle: the script', async ({ page, receiver, pageErrors }) => {
    await open(page, receiver);
    // Match everything on the origin (the default), so only the endpoint rule keeps the SDK's own POSTs
    // out; bundle() was made by the script tag itself, from document.currentScript.
    await init(page, receiver, { api: true, bundle: true });
    const streamMs = await page.evaluate(async () => {
      // Bodies read, as a widget does: Chromium adds a fetch's entry only once its body has arrived.
      await (await fetch('collectors.html?token=secret')).text();
      const t0 = performance.now();
      await (await fetch('/stream?ms=800')).text();
      const streamMs = performance.now() - t0;
      await (await fetch('/pages/missing.json')).text();
      await new Promise((done) => {
        const x = new XMLHttpRequest();
        x.open('GET', '/pages/collectors.html?via=xhr');
        x.onloadend = done;
        x.send();
      });
      await (window as any).ChatVitals.flush(); // a POST to the endpoint that must not be reported
      return streamMs;
    });
    await page.waitForTimeout(300);
    await flush(page);
    const api = await waitType(receiver, 'api', 3);
    await page.waitForTimeout(300);
    await flush(page);
    const all = ofType(receiver, 'api');
    expect(all.every((e) => !e.url.includes('/ingest'))).toBe(true);
    const page200 = all.filter((e) => e.url === `${receiver.origin}/pages/collectors.html`);
    expect(page200).toHaveLength(2);
    for (const e of page200) {
      expect(e).toMatchObject({ status: 200, cached: false });
      expect('method' in e).toBe(false); // Resource Timing has no request method: none is made up
    }
    expect(all.find((e) => e.url.endsWith('/pages/missing.json'))).toMatchObject({ status: 404 });
    expect(all.some((e) => e.url.includes('?'))).toBe(false);
    for (const e of api) expect(e.duration).toBeGreaterThanOrEqual(0);
    // A reply streamed over 800 ms: its latency is the wait for the first byte, far less than the stream.
    const streamed = all.find((e) => e.url === `${receiver.origin}/stream`);
    expect(streamMs).toBeGreaterThanOrEqual(800);
    expect(streamed.duration).toBeLessThan(400);
    const [b] = await waitType(receiver, 'bundle');
    expect(b.url).toBe(`${receiver.origin}/collectors-sdk.js`);
    expect(b.duration).toBeGreaterThanOrEqual(0);
    console.log('bundle', JSON.stringify(b));
    expect(pageErrors).toEqual([]);
  });

  test('vitals: FCP, TTFB, LCP; INP from a slow click handler; CLS; final values at page hide', async ({ page, receiver, pageErrors }) => {
    await open(page, receiver);
    await init(page, receiver, { vitals: true });
    // A click whose handler blocks 120 ms: INP must see at least that.
    await page.evaluate(() => document.getElementById('tall')!.addEventListener('click', () => (window as any).busy(120)));
    await page.click('#tall');
    await page.waitForTimeout(200);
    await page.evaluate(() => {
      // Page hide makes web-vitals report its final values.
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await flush(page);
    const vitals = await waitType(receiver, 'vital', 5);
    console.log('vitals', JSON.stringify(vitals.map((v) => [v.name, v.value, v.rating, v.id])));
    const byName = new Map(vitals.map((v) => [v.name, v]));
    expect([...byName.keys()].sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
    expect(byName.get('INP').value).toBeGreaterThanOrEqual(120);
    expect(byName.get('CLS').value).toBe(0);
    for (const v of vitals) {
      expect(v.value).toBeGreaterThanOrEqual(0);
      expect(['good', 'needs-improvement', 'poor']).toContain(v.rating);
    }
    // Each metric once, also after a while.
    await page.waitForTimeout(300);
    await flush(page);
    expect(ofType(receiver, 'vital')).toHaveLength(5);
    expect(pageErrors).toEqual([]);
  });
});

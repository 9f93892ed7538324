// chat-vitals' own hot-path costs in Chromium (issues 2 and 3; not part of the peer table):
//   1. one trackRender call: median over 100 batches of 1,000 calls (100,000 calls);
//   2. observeScroll while scrolling: main-thread time in its rAF callbacks and scroll listeners, per frame;
//   3. observeScroll while idle: rAF callbacks, timeouts scheduled and interval ticks over 5 s.
// Built from src/ (so collectors count even before the shipped index exports them). Prints numbers.
//   node bench/sdk-costs.mjs
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSource } from './lib/source-build.mjs';
import { launch, sleep } from './lib/browser.mjs';
import { median } from './lib/stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

// observeScroll lives in src/collectors; use whichever module exports it today.
const scrollFrom = [join(src, 'index.ts'), join(src, 'collectors', 'index.ts'), join(src, 'collectors', 'scroll.ts')].find(
  (f) => existsSync(f) && /export\s*\{[^}]*\bobserveScroll\b|export function observeScroll/.test(readFileSync(f, 'utf8')),
);
const source = `
import { init, trackRender, flush } from ${JSON.stringify(join(src, 'index.ts'))};
${scrollFrom ? `import { observeScroll } from ${JSON.stringify(scrollFrom)};` : 'const observeScroll = undefined;'}
window.__sdk = { init, trackRender, flush, observeScroll };`;

// Counters installed before the SDK loads: every rAF callback and 'scroll' listener is timed, and
// every timeout and interval tick counted. The scroll driver below uses the native rAF, so only the
// SDK's own callbacks are counted.
const probes = `
const c = (window.__c = { raf: 0, rafMs: 0, scroll: 0, scrollMs: 0, timeouts: 0, intervalTicks: 0 });
const raf = (window.__raf = requestAnimationFrame.bind(window));
window.requestAnimationFrame = (cb) => raf((t) => { const s = performance.now(); try { cb(t); } finally { c.rafMs += performance.now() - s; c.raf++; } });
const st = (window.__setTimeout = setTimeout.bind(window));
window.setTimeout = (f, ...a) => { c.timeouts++; return st(f, ...a); };
const si = setInterval.bind(window);
window.setInterval = (f, ...a) => si(typeof f === 'function' ? (...x) => { c.intervalTicks++; f(...x); } : f, ...a);
const wrapped = new WeakMap();
const add = EventTarget.prototype.addEventListener, remove = EventTarget.prototype.removeEventListener;
EventTarget.prototype.addEventListener = function (type, l, o) {
  if (type === 'scroll' && typeof l === 'function') {
    if (!wrapped.has(l)) wrapped.set(l, function (e) { const s = performance.now(); try { return l.call(this, e); } finally { c.scrollMs += performance.now() - s; c.scroll++; } });
    return add.call(this, type, wrapped.get(l), o);
  }
  return add.call(this, type, l, o);
};
EventTarget.prototype.removeEventListener = function (type, l, o) { return remove.call(this, type, (l && wrapped.get(l)) || l, o); };
`;

const script = await bundleSource(source, src);
const page = `<!doctype html><meta charset="utf-8"><title>sdk-costs</title>
<style>#list{height:400px;overflow:auto}#list div{height:40px}</style>
<body><div id="list">${'<div>message</div>'.repeat(2000)}</div>
<script>${probes}</script><script>${script.replaceAll('</script', '<\\/script')}</script></body>`;
const server = createServer((req, res) => {
  if (req.method === 'POST') return req.resume().on('end', () => res.writeHead(202).end('{"accepted":0,"duplicates":0}'));
  res.writeHead(200, {
    'content-type': 'text/html',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  });
  res.end(page);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launch();

const fresh = async () => {
  const context = await browser.newContext();
  const p = await context.newPage();
  await p.goto(origin, { waitUntil: 'load' });
  await p.evaluate((endpoint) => window.__sdk.init({ endpoint, app: 'bench' }), `${origin}/ingest`);
  return { context, page: p };
};

try {
  console.log(`Chromium ${browser.version()}; chat-vitals built from src/\n`);

  // 1. trackRender
  {
    const { context, page: p } = await fresh();
    const batches = await p.evaluate(async () => {
      const out = [];
      for (let b = 0; b < 100; b++) {
        const t = performance.now();
        for (let i = 0; i < 1000; i++) window.__sdk.trackRender({ messageId: `m${b}-${i}`, renderTime: 5 + (i % 20) });
        out.push(((performance.now() - t) * 1000) / 1000);
        await new Promise((r) => window.__setTimeout(r, 0));
      }
      return out;
    });
    const sorted = [...batches].sort((a, b) => a - b);
    console.log(
      `trackRender: median ${median(batches).toFixed(3)} µs per call over 100 batches of 1,000 ` +
        `(first batch ${batches[0].toFixed(3)} µs, p90 ${sorted[89].toFixed(3)} µs)`,
    );
    await context.close();
  }

  // 2 and 3. observeScroll
  if (!scrollFrom) console.log('observeScroll: not in src/ yet; skipped');
  else {
    const { context, page: p } = await fresh();
    const scrolling = await p.evaluate(async (frames) => {
      const list = document.getElementById('list');
      window.__stop = window.__sdk.observeScroll(list);
      Object.assign(window.__c, { raf: 0, rafMs: 0, scroll: 0, scrollMs: 0 });
      const t0 = performance.now();
      await new Promise((done) => {
        let n = 0;
        const step = () => {
          list.scrollTop += 8;
          if (++n < frames) window.__raf(step);
          else done();
        };
        window.__raf(step);
      });
      return { frames, ms: performance.now() - t0, ...window.__c };
    }, 300);
    const perFrame = (scrolling.rafMs + scrolling.scrollMs) / scrolling.frames;
    console.log(
      `observeScroll while scrolling: ${perFrame.toFixed(4)} ms main thread per frame ` +
        `(${scrolling.frames} frames in ${(scrolling.ms / 1000).toFixed(1)} s; ${scrolling.raf} rAF callbacks ` +
        `${scrolling.rafMs.toFixed(2)} ms, ${scrolling.scroll} scroll events ${scrolling.scrollMs.toFixed(2)} ms; ` +
        `includes the probe's own ~µs per callback)`,
    );
    await sleep(1000); // the scroll session ends 150 ms after the last scroll event
    // Deliver the session's scroll event now: else the flush 5 s after it falls in the window below and its
    // IndexedDB guards (3 timeouts) are counted as the observer's idle work.
    await p.evaluate(() => window.__sdk.flush());
    await p.evaluate(() => Object.assign(window.__c, { raf: 0, timeouts: 0, intervalTicks: 0 }));
    await sleep(5000);
    const idle = await p.evaluate(() => window.__c);
    console.log(
      `observeScroll while idle (5 s): ${idle.raf} rAF callbacks, ${idle.timeouts} timeouts scheduled, ` +
        `${idle.intervalTicks} interval ticks`,
    );
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}

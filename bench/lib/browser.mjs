// Real Chromium (Debian's, or CHROMIUM_PATH) driven by Playwright from the root node_modules, and the page
// scenarios the bench measures. Each scenario gets a fresh browser context: no cookies, storage or
// IndexedDB carried over from another entry or repetition.
import { chromium } from 'playwright';
import { randomUUID } from 'node:crypto';

import { chromiumArgs } from '../../e2e/support/chromium.mjs';

export const launch = () =>
  chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: chromiumArgs });

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const token = () => randomUUID().slice(0, 8);

const metrics = async (cdp) => {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
};

const record = (page, n) =>
  page.evaluate((n) => {
    for (let i = 0; i < n; i++) window.__bench.record(5 + (i % 20));
  }, n);

/** Waits until the page's token has received nothing new for quietMs (or maxMs passed). */
async function settle(receiver, t, quietMs, maxMs) {
  const end = Date.now() + maxMs;
  let last = JSON.stringify(receiver.stats(t));
  let since = Date.now();
  while (Date.now() < end) {
    await sleep(100);
    const now = JSON.stringify(receiver.stats(t));
    if (now !== last) (last = now), (since = Date.now());
    else if (Date.now() - since >= quietMs) break;
  }
  return receiver.stats(t);
}

/**
 * Timing scenario: load (import + init time), idle main-thread CPU over idleMs, heap after GC,
 * then the cost of `calls` custom-timing calls in one task.
 */
export async function measureTiming(browser, origin, entry, { idleMs, calls }) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.goto(`${origin}/page/${entry}/${token()}`, { waitUntil: 'load' });
    const initMs = await page.evaluate(() => window.__t1 - window.__t0);
    if (entry !== 'blank' && !(await page.evaluate(() => !!window.__bench)))
      throw new Error(`${entry}: the entry did not set up window.__bench; see the page console`);
    const before = await metrics(cdp);
    await sleep(idleMs);
    const after = await metrics(cdp);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const callUs =
      entry === 'blank'
        ? null
        : await page.evaluate((n) => {
            const t = performance.now();
            for (let i = 0; i < n; i++) window.__bench.record(5 + (i % 20));
            return ((performance.now() - t) * 1000) / n;
          }, calls);
    return {
      initMs,
      idleTaskMs: (after.TaskDuration - before.TaskDuration) * 1000,
      idleScriptMs: (after.ScriptDuration - before.ScriptDuration) * 1000,
      heapBytes: usedSize,
      callUs,
    };
  } finally {
    await context.close();
  }
}

/**
 * Delivery scenario: record `count` timings in one task, wait `waitMs` (0: close right away), close the
 * page (pagehide, as a user closing the tab) and count what arrived. With `nextVisit`, then open the same
 * page again in the same profile and count again: what the SDK kept (IndexedDB) gets its second chance.
 */
export async function measureDelivery(browser, receiver, entry, { count, waitMs, nextVisit }) {
  const t = token();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const url = `${receiver.origin}/page/${entry}/${t}`;
    await page.goto(url, { waitUntil: 'load' });
    await record(page, count);
    if (waitMs) await sleep(waitMs);
    await page.close();
    const onClose = await settle(receiver, t, 1000, 4000);
    if (!nextVisit) return { onClose, afterNext: null };
    const next = await context.newPage();
    await next.goto(url, { waitUntil: 'load' });
    // Longer than the flush interval (5 s), so stored events have their chance to leave.
    const afterNext = await settle(receiver, t, 6000, 9000);
    return { onClose, afterNext };
  } finally {
    await context.close();
  }
}

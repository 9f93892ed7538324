// getSnapshot / onAlert / resolveAlert / subscribe: the page's own health from the events it records.
// Delivery is not under test here, so the pipeline is a recorder (delivery is proved in test/pipeline, e2e/).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatVitalsEvent } from '../../src/types';

vi.mock('../../src/pipeline', () => ({
  createPipeline: () => ({
    push: () => {},
    flush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    stats: () => ({ queued: 0, stored: 0, sent: 0, dropped: 0, retries: 0, failures: 0, nextAt: 0 }),
  }),
}));

async function load() {
  vi.resetModules();
  return import('../../src/index');
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
  vi.setSystemTime(new Date('2026-11-25T12:00:05Z'));
});
afterEach(() => vi.useRealTimers());

describe('subscribe', () => {
  it('replays the events recorded before it, in order, then passes on new ones until unsubscribed', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    for (let i = 0; i < 3; i++) cv.trackRender({ messageId: 'a' + i, renderTime: i });
    const seen: ChatVitalsEvent[] = [];
    const off = cv.subscribe((e) => seen.push(e));
    cv.trackRender({ messageId: 'b', renderTime: 9 });
    off();
    cv.trackRender({ messageId: 'c', renderTime: 9 });
    expect(seen.map((e) => (e as { messageId: string }).messageId)).toEqual(['a0', 'a1', 'a2', 'b']);
  });

  it('keeps only the last 128 for a late subscriber, oldest first', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    for (let i = 0; i < 200; i++) cv.trackRender({ messageId: String(i), renderTime: 1 });
    const seen: string[] = [];
    cv.subscribe((e) => seen.push((e as { messageId: string }).messageId));
    expect(seen).toHaveLength(128);
    expect(seen[0]).toBe('72');
    expect(seen[127]).toBe('199');
  });
});

describe('getSnapshot', () => {
  it('summarises the window: render percentiles, persistence outcomes, health', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i', app: 'w' });
    for (let i = 0; i < 100; i++) cv.trackRender({ messageId: 'm' + i, renderTime: i < 90 ? 4 : 30 });
    cv.trackPersistence({ operation: 'save', success: false, duration: 2, error: 'QuotaExceededError' });
    cv.trackPersistence({ operation: 'save', success: true, duration: 2 });
    const s = cv.getSnapshot()!;
    expect(s.performance.renders.total).toBe(100);
    expect(s.performance.renders.slowRenders).toBe(10);
    expect(s.performance.renders.p50Time).toBeCloseTo(4, 0);
    expect(s.performance.renders.p99Time).toBeCloseTo(30, 0);
    expect(s.persistence.operations).toMatchObject({ total: 2, successRate: 50, errorsByType: { QuotaExceededError: 1 } });
    expect(s.window.ms).toBe(60_000);
    expect(s.session).toMatch(/^[0-9a-z]{16}$/);
    expect(s.health.status).not.toBe('unknown');
  });

  it('leaves events older than the window out', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    for (let i = 0; i < 5; i++) cv.trackRender({ messageId: 'old' + i, renderTime: 1 });
    vi.advanceTimersByTime(120_000);
    cv.trackRender({ messageId: 'new', renderTime: 1 });
    expect(cv.getSnapshot()!.performance.renders.total).toBe(1);
    expect(cv.getSnapshot({ windowMs: 300_000 })!.performance.renders.total).toBe(6);
  });

  it('gives a window longer than the buckets kept as the 6 minutes it has, not the default minute', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    for (let i = 0; i < 5; i++) cv.trackRender({ messageId: 'old' + i, renderTime: 1 });
    vi.advanceTimersByTime(180_000);
    cv.trackRender({ messageId: 'new', renderTime: 1 });
    const s = cv.getSnapshot({ windowMs: 600_000 })!;
    expect(s.window.ms).toBe(360_000);
    expect(s.performance.renders.total).toBe(6);
    expect(cv.getSnapshot({ windowMs: 1_000 })!.window.ms).toBe(10_000);
    expect(cv.getSnapshot({ windowMs: NaN })!.window.ms).toBe(60_000);
  });
});

describe('getSnapshot: buckets out of order and clock changes', () => {
  it('counts a late event whose 10 s bucket had no other event, and an event stamped ahead', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    cv.trackRender({ messageId: 'a', renderTime: 5 });
    vi.advanceTimersByTime(30_000);
    cv.trackRender({ messageId: 'b', renderTime: 5 });
    cv.trackRender({ messageId: 'late', renderTime: 5, timestamp: Date.now() - 15_000 });
    expect(cv.getSnapshot()!.performance.renders.total).toBe(3);
    // Stamped 20 s ahead (a server's clock): counted when its time comes, and it must not swallow
    // the events recorded in between.
    cv.trackRender({ messageId: 'ahead', renderTime: 5, timestamp: Date.now() + 20_000 });
    vi.advanceTimersByTime(10_000);
    cv.trackRender({ messageId: 'c', renderTime: 5 });
    expect(cv.getSnapshot()!.performance.renders.total).toBe(4);
    vi.advanceTimersByTime(10_000);
    expect(cv.getSnapshot()!.performance.renders.total).toBe(5);
  });

  it('keeps measuring after the system clock is set back an hour on a busy page', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    // Seven minutes of fast renders: every kept bucket is in use.
    for (let k = 0; k < 42; k++) {
      cv.trackRender({ messageId: 'f' + k, renderTime: 3 });
      vi.advanceTimersByTime(10_000);
    }
    vi.setSystemTime(Date.now() - 3_600_000);
    for (let i = 0; i < 40; i++) cv.trackRender({ messageId: 's' + i, renderTime: 40 });
    const s = cv.getSnapshot()!;
    expect(s.performance.renders.total).toBe(40);
    expect(s.performance.renders.p95Time).toBeCloseTo(40, 0);
    expect(s.alerts.active.map((a) => a.ruleId)).toContain('render-p95');
  });
});

describe('getSnapshot: degradation baseline on a page left open', () => {
  it('does not compare the last minute with a baseline hours old', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    for (let i = 0; i < 40; i++) cv.trackRender({ messageId: 'morning' + i, renderTime: 10 });
    // The tab stays open, idle, for three hours; then the user is back and renders take 14 ms.
    vi.advanceTimersByTime(3 * 3_600_000);
    for (let i = 0; i < 40; i++) cv.trackRender({ messageId: 'later' + i, renderTime: 14 });
    expect(cv.getSnapshot()!.alerts.active.map((a) => a.ruleId)).not.toContain('degradation-render');
  });

  it('still compares with the minutes just before the window', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    for (let i = 0; i < 40; i++) cv.trackRender({ messageId: 'before' + i, renderTime: 10 });
    vi.advanceTimersByTime(3 * 60_000);
    for (let i = 0; i < 40; i++) cv.trackRender({ messageId: 'now' + i, renderTime: 14 });
    expect(cv.getSnapshot()!.alerts.active.map((a) => a.ruleId)).toContain('degradation-render');
  });
});

describe('onAlert and resolveAlert', () => {
  it('fires when slow renders open an alert and again when fast renders resolve it', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    const alerts: { ruleId: string; status: string }[] = [];
    cv.onAlert((a) => alerts.push({ ruleId: a.ruleId, status: a.status }));
    for (let i = 0; i < 40; i++) cv.trackRender({ messageId: 's' + i, renderTime: 40 });
    vi.advanceTimersByTime(5_000);
    expect(alerts).toContainEqual({ ruleId: 'render-p95', status: 'open' });
    vi.advanceTimersByTime(90_000);
    for (let i = 0; i < 40; i++) cv.trackRender({ messageId: 'f' + i, renderTime: 3 });
    vi.advanceTimersByTime(5_000);
    expect(alerts).toContainEqual({ ruleId: 'render-p95', status: 'resolved' });
    expect(cv.getSnapshot()!.alerts.active.find((a) => a.ruleId === 'render-p95')).toBeUndefined();
  });

  it('resolves an alert whose metric went silent for two windows (no-data), and says so', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    const alerts: { ruleId: string; status: string; resolvedBy?: string }[] = [];
    cv.onAlert((a) => alerts.push({ ruleId: a.ruleId, status: a.status, resolvedBy: a.resolvedBy }));
    for (let i = 0; i < 40; i++) cv.trackRender({ messageId: 's' + i, renderTime: 40 });
    vi.advanceTimersByTime(5_000);
    expect(alerts).toEqual([{ ruleId: 'render-p95', status: 'open', resolvedBy: undefined }]);
    // The renders stay in the 60 s window for about a minute (last seen then); then it is empty and
    // nothing tells the alert clear, until two windows have passed.
    vi.advanceTimersByTime(170_000);
    expect(alerts).toHaveLength(1);
    vi.advanceTimersByTime(30_000);
    expect(alerts[1]).toEqual({ ruleId: 'render-p95', status: 'resolved', resolvedBy: 'no-data' });
    expect(cv.getSnapshot()!.alerts.active).toEqual([]);
  });

  it('resolves by hand, and a throwing callback does not stop the others', async () => {
    const cv = await load();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    cv.init({ endpoint: '/i' });
    let calls = 0;
    cv.onAlert(() => {
      throw new Error('host bug');
    });
    cv.onAlert(() => calls++);
    for (let i = 0; i < 40; i++) cv.trackRender({ messageId: 's' + i, renderTime: 40 });
    const open = cv.getSnapshot()!.alerts.active.find((a) => a.ruleId === 'render-p95')!;
    expect(calls).toBe(1);
    expect(cv.resolveAlert(open.id)).toBe(true);
    expect(cv.getSnapshot()!.alerts.active.find((a) => a.ruleId === 'render-p95')).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('judges alerts on one window, the one last read: a 5-minute reader and the onAlert timer agree instead of opening and resolving in turn', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    const seen: string[] = [];
    cv.onAlert((a) => seen.push(`${a.id} ${a.status}`));
    for (let i = 0; i < 40; i++) cv.trackRender({ messageId: 's' + i, renderTime: 40 });
    vi.advanceTimersByTime(90_000); // the 60 s window is clear now: resolved
    for (let i = 0; i < 40; i++) cv.trackRender({ messageId: 'f' + i, renderTime: 3 });
    // An overlay mounted with windowMs: 5 min reads every 10 s while onAlert's timer runs: the 5 minutes
    // hold the slow renders, so the alert is open again, and stays so (timer and reader judge alike).
    for (let k = 0; k < 6; k++) {
      vi.advanceTimersByTime(10_000);
      expect(cv.getSnapshot({ windowMs: 300_000 })!.alerts.active.map((a) => a.ruleId)).toContain('render-p95');
    }
    expect(seen).toEqual(['render-p95-1 open', 'render-p95-1 resolved', 'render-p95-2 open']);
  });

  it('tells onAlert when an alert is resolved by hand, once', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    const seen: string[] = [];
    cv.onAlert((a) => seen.push(`${a.id} ${a.status} ${a.resolvedBy ?? ''}`.trim()));
    for (let i = 0; i < 40; i++) cv.trackRender({ messageId: 's' + i, renderTime: 40 });
    const open = cv.getSnapshot()!.alerts.active.find((a) => a.ruleId === 'render-p95')!;
    expect(cv.resolveAlert(open.id)).toBe(true);
    expect(cv.resolveAlert(open.id)).toBe(true);
    expect(cv.resolveAlert('nope-1')).toBe(false);
    vi.advanceTimersByTime(5_000);
    expect(seen).toEqual([`${open.id} open`, `${open.id} resolved manual`]);
  });

  it('stops its timer at shutdown', async () => {
    const cv = await load();
    cv.init({ endpoint: '/i' });
    cv.onAlert(() => {});
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    await cv.shutdown();
    expect(vi.getTimerCount()).toBe(0);
  });
});

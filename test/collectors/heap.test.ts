// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { heap } from '../../src/collectors/heap';
import { resolveConfig } from '../../src/core/config';
import type { MemoryEvent } from '../../src/types';
import { captureEvents } from './capture';

const cap = captureEvents();
const memory = () => cap.events.filter((e): e is MemoryEvent => e.type === 'memory');
const config = resolveConfig({ endpoint: '/ingest' })!;
const setMemory = (value: unknown) => Object.defineProperty(performance, 'memory', { value, configurable: true });

beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] }));
afterEach(() => {
  vi.useRealTimers();
  delete (performance as { memory?: unknown }).memory;
  vi.unstubAllGlobals();
});

describe('heap', () => {
  it('performance.memory: a snapshot every interval with used, total and limit', () => {
    setMemory({ usedJSHeapSize: 10e6, totalJSHeapSize: 20e6, jsHeapSizeLimit: 4e9 });
    const stop = heap({ intervalMs: 1000 }).start(config)!;
    expect(memory()).toHaveLength(0);
    vi.advanceTimersByTime(3000);
    expect(memory()).toHaveLength(3);
    expect(memory()[0]).toMatchObject({ usedHeap: 10e6, totalHeap: 20e6, heapLimit: 4e9 });
    stop();
    vi.advanceTimersByTime(3000);
    expect(memory()).toHaveLength(3);
  });

  it('a snapshot when the page is hidden', () => {
    setMemory({ usedJSHeapSize: 1, totalJSHeapSize: 2, jsHeapSizeLimit: 3 });
    const stop = heap().start(config)!;
    document.dispatchEvent(new Event('visibilitychange')); // shown again: no snapshot
    expect(memory()).toHaveLength(0);
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    vi.spyOn(document, 'hidden', 'get').mockReturnValue(true);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(memory()).toHaveLength(1);
    stop();
  });

  it('cross-origin isolated without performance.memory: measureUserAgentSpecificMemory bytes, one at a time', async () => {
    vi.stubGlobal('crossOriginIsolated', true);
    let resolve!: (r: { bytes: number }) => void;
    const measure = vi.fn(() => new Promise<{ bytes: number }>((r) => (resolve = r)));
    Object.defineProperty(performance, 'measureUserAgentSpecificMemory', { value: measure, configurable: true });
    try {
      const stop = heap({ intervalMs: 1000 }).start(config)!;
      vi.advanceTimersByTime(3000);
      expect(measure).toHaveBeenCalledTimes(1); // still waiting for the first
      resolve({ bytes: 5e6 });
      await Promise.resolve();
      await Promise.resolve();
      expect(memory()).toEqual([expect.objectContaining({ usedHeap: 5e6 })]);
      expect('totalHeap' in memory()[0]).toBe(false);
      stop();
    } finally {
      delete (performance as { measureUserAgentSpecificMemory?: unknown }).measureUserAgentSpecificMemory;
    }
  });

  it('no heap API: no events (never zeros), no timer, one warning', () => {
    const stop = heap({ intervalMs: 1000 }).start(config);
    expect(stop).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5000);
    expect(memory()).toHaveLength(0);
    expect(cap.warnings.filter((w) => w.includes('no memory API'))).toHaveLength(1);
  });

  it('a bad interval warns and falls back to 30 s', () => {
    setMemory({ usedJSHeapSize: 1, totalJSHeapSize: 2, jsHeapSizeLimit: 3 });
    const stop = heap({ intervalMs: 5 }).start(config)!;
    vi.advanceTimersByTime(29_999);
    expect(memory()).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(memory()).toHaveLength(1);
    expect(cap.warnings).toEqual(['[chat-vitals] heap: bad intervalMs; 30000 used']);
    stop();
  });
});

describe('heap interval', () => {
  it.each([Infinity, 2 ** 31, 1e12])('intervalMs %s does not become a ~0 ms timer (falls back to 30 s)', (intervalMs) => {
    setMemory({ usedJSHeapSize: 1, totalJSHeapSize: 2, jsHeapSizeLimit: 3 });
    const spy = vi.spyOn(globalThis, 'setInterval');
    const stop = heap({ intervalMs }).start(config)!;
    const delay = spy.mock.calls[0][1] as number;
    vi.advanceTimersByTime(1000);
    stop();
    expect(memory()).toHaveLength(0);
    // Browsers (and Node) turn a delay that is not a 32-bit signed int into ~0 ms: a snapshot per task.
    expect(delay).toBeGreaterThanOrEqual(1000);
    expect(delay).toBeLessThan(2 ** 31);
  });
});

// @vitest-environment happy-dom
// Audit findings (branch audit-c): each test failed before its fix.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { heap } from '../../src/collectors/heap';
import { persistentStore } from '../../src/collectors/persistence';
import { startRender } from '../../src/collectors/render';
import { resolveConfig } from '../../src/core/config';
import { captureEvents } from './capture';
import { frameDriver } from './frame-driver';

const cap = captureEvents();
const ofType = (t: string) => cap.events.filter((e) => e.type === t) as unknown as Record<string, unknown>[];
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  delete (performance as { memory?: unknown }).memory;
  localStorage.clear();
});

describe('persistentStore manifest', () => {
  it('a value whose JSON has fewer keys than the object (undefined or function members) restores intact: no DataLoss', () => {
    const store = persistentStore('draft');
    store.save({ text: 'hi', replyTo: undefined, onSend() {} });
    expect(store.restore()).toEqual({ text: 'hi' });
    expect(ofType('persistence').pop()).toMatchObject({ success: true });
    expect(ofType('persistence').pop()?.lost).toBeUndefined();
  });

  it('a Date (an object that serializes to a string) restores intact: no DataLoss', () => {
    const store = persistentStore('when');
    store.save(new Date(0));
    expect(store.restore()).toBe('1970-01-01T00:00:00.000Z');
    expect(ofType('persistence').pop()).toMatchObject({ success: true });
  });
});

describe('heap interval', () => {
  it.each([Infinity, 2 ** 31, 1e12])('intervalMs %s does not become a ~0 ms timer (falls back to 30 s)', (intervalMs) => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    Object.defineProperty(performance, 'memory', { value: { usedJSHeapSize: 1, totalJSHeapSize: 2, jsHeapSizeLimit: 3 }, configurable: true });
    const spy = vi.spyOn(globalThis, 'setInterval');
    const stop = heap({ intervalMs }).start(resolveConfig({ endpoint: '/i' })!)!;
    const delay = spy.mock.calls[0][1] as number;
    vi.advanceTimersByTime(1000);
    stop();
    expect(ofType('memory')).toHaveLength(0);
    // Browsers (and Node) turn a delay that is not a 32-bit signed int into ~0 ms: a snapshot per task.
    expect(delay).toBeGreaterThanOrEqual(1000);
    expect(delay).toBeLessThan(2 ** 31);
  });
});

describe('startRender across a hide', () => {
  it('a render whose start and end() straddle a hide/show is not measured (the absence is not render time)', async () => {
    const d = frameDriver();
    const end = startRender('m-hidden');
    document.dispatchEvent(new Event('visibilitychange')); // hidden
    d.advance(60_000); // the user is away
    document.dispatchEvent(new Event('visibilitychange')); // shown again
    end();
    d.frame(5);
    await new Promise((r) => setTimeout(r, 10));
    expect(ofType('render')).toHaveLength(0);
  });
});

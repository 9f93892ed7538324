// The core imported in Node, with no DOM at all: importing must not throw or touch globals, and every
// public function must be safe to call (SPEC §2, issue 2). Guards against a stray `window.` at import.
import { describe, expect, it } from 'vitest';

describe('the core without a DOM', () => {
  it('imports without side effects and every call is safe', async () => {
    const before = new Set(Object.getOwnPropertyNames(globalThis));
    const cv = await import('../../src/index');
    expect(Object.getOwnPropertyNames(globalThis).filter((k) => !before.has(k))).toEqual([]);
    expect(typeof window).toBe('undefined');
    cv.trackRender({ messageId: 'a', renderTime: 1 });
    cv.trackPersistence({ operation: 'save', success: true, duration: 1 });
    cv.trackTabSync({ latency: 1, success: true });
    cv.trackApi({ url: '/x', method: 'GET', status: 200, duration: 1 });
    expect(cv.getSnapshot()).toBeDefined();
    expect(typeof cv.onAlert(() => {})).toBe('function');
    await expect(cv.flush()).resolves.toBeUndefined();
    await expect(cv.shutdown()).resolves.toBeUndefined();
  });
});

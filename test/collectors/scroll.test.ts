// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { observeScroll } from '../../src/collectors/scroll';
import type { ScrollEvent } from '../../src/types';
import { captureEvents } from './capture';
import { frameDriver } from './frame-driver';

const cap = captureEvents();
const scrolls = () => cap.events.filter((e): e is ScrollEvent => e.type === 'scroll');
afterEach(() => vi.unstubAllGlobals());

/** Scrolls for `n` frames of `ms` (every `every`-th frame `slow` ms), then lets the session end. */
function scrollSession(d: ReturnType<typeof frameDriver>, target: EventTarget, n: number, ms: number, every = 0, slow = 0) {
  target.dispatchEvent(new Event('scroll'));
  d.frame(ms); // the first frame only starts the clock
  for (let i = 1; i <= n; i++) {
    target.dispatchEvent(new Event('scroll'));
    d.frame(every && i % every === 0 ? slow : ms);
  }
  for (let i = 0; i < 100 && d.pending(); i++) d.frame(ms); // idle frames until the loop stops
}

describe('observeScroll', () => {
  it('nothing runs until a scroll, and nothing after the session: one event per session', () => {
    const d = frameDriver();
    const stop = observeScroll();
    expect(d.pending()).toBe(0);
    scrollSession(d, window, 100, 16.667);
    expect(d.pending()).toBe(0);
    expect(scrolls()).toHaveLength(1);
    expect(scrolls()[0]).toMatchObject({ refreshRate: 60, jankPercentage: 0 });
    // 100 scrolled frames + the frames of the 150 ms idle tail
    expect(scrolls()[0].frames).toBeGreaterThanOrEqual(100);
    expect(scrolls()[0].frames).toBeLessThanOrEqual(110);
    stop();
  });

  it('every 10th frame at 100 ms: jank about 10 % and min fps 10', () => {
    const d = frameDriver();
    const stop = observeScroll(window);
    scrollSession(d, window, 200, 16.667, 10, 100);
    const [s] = scrolls();
    expect(s.jankPercentage).toBeGreaterThan(9);
    expect(s.jankPercentage).toBeLessThanOrEqual(10);
    expect(s.minFps).toBe(10);
    expect(s.refreshRate).toBe(60);
    stop();
  });

  it('at 144 Hz, a 16.7 ms frame is jank', () => {
    const d = frameDriver();
    const stop = observeScroll();
    scrollSession(d, window, 200, 6.944, 4, 16.667);
    expect(scrolls()[0]).toMatchObject({ refreshRate: 144 });
    expect(scrolls()[0].jankPercentage).toBeGreaterThan(20);
    stop();
  });

  it('a frame interval across a hide/show is excluded, not jank', () => {
    const d = frameDriver();
    const stop = observeScroll();
    window.dispatchEvent(new Event('scroll'));
    d.frame(16.667);
    for (let i = 0; i < 50; i++) {
      window.dispatchEvent(new Event('scroll'));
      if (i === 25) {
        document.dispatchEvent(new Event('visibilitychange'));
        d.frame(400); // the tab was away for 400 ms
      } else d.frame(16.667);
    }
    while (d.pending()) d.frame(16.667);
    expect(scrolls()[0].jankPercentage).toBe(0);
    expect(scrolls()[0].minFps).toBeCloseTo(60, 0);
    stop();
  });

  it('an element target; stop() reports the open session and removes the listener', () => {
    const d = frameDriver();
    const el = document.createElement('div');
    const stop = observeScroll(el);
    el.dispatchEvent(new Event('scroll'));
    for (let i = 0; i < 5; i++) d.frame(16.667);
    stop();
    expect(scrolls()).toHaveLength(1);
    expect(d.pending()).toBe(0);
    el.dispatchEvent(new Event('scroll'));
    expect(d.pending()).toBe(0);
  });

  it('two sessions give two events', () => {
    const d = frameDriver();
    const stop = observeScroll();
    scrollSession(d, window, 30, 16.667);
    d.advance(5000);
    scrollSession(d, window, 30, 8.333);
    expect(scrolls().map((s) => s.refreshRate)).toEqual([60, 120]);
    stop();
  });

  it('no requestAnimationFrame: off with a warning, never throws', () => {
    vi.stubGlobal('requestAnimationFrame', undefined);
    const stop = observeScroll();
    window.dispatchEvent(new Event('scroll'));
    expect(() => stop()).not.toThrow();
    expect(cap.warnings.some((w) => w.includes('observeScroll'))).toBe(true);
  });
});

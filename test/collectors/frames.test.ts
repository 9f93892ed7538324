// @vitest-environment happy-dom
// The frame arithmetic of observeScroll (FPS from frame intervals, jank classification, refresh-rate
// estimation), driven through the collector itself with an injected frame clock: each session is
// scrolled frame by frame and ended by stop(), so it holds exactly the intervals given.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { observeScroll, refreshRateOf } from '../../src/collectors/scroll';
import type { ScrollEvent } from '../../src/types';
import { captureEvents } from './capture';
import { frameDriver } from './frame-driver';

const cap = captureEvents();
afterEach(() => vi.unstubAllGlobals());

/** One session of exactly these frame intervals (ms), each frame preceded by a scroll event; its `scroll` event or undefined. */
function sessionOf(intervals: number[]): ScrollEvent | undefined {
  const d = frameDriver();
  const el = document.createElement('div');
  const stop = observeScroll(el);
  el.dispatchEvent(new Event('scroll'));
  d.frame(1); // the first frame only starts the clock
  for (const dt of intervals) {
    // Scrolling goes on to the end of the interval (a long frame is not the end of the session).
    d.advance(dt - 1);
    el.dispatchEvent(new Event('scroll'));
    d.frame(1);
  }
  stop();
  const events = cap.events.filter((e): e is ScrollEvent => e.type === 'scroll');
  cap.events.length = 0;
  expect(events.length).toBeLessThanOrEqual(1);
  return events[0];
}

/** A session of `n` intervals of `ms`, with every `every`-th one replaced by `slow` ms. */
const session = (n: number, ms: number, every = 0, slow = 0) =>
  sessionOf(Array.from({ length: n }, (_, i) => (every && (i + 1) % every === 0 ? slow : ms)))!;

describe('refresh rate from the median frame interval', () => {
  it.each([
    [16.667, 60],
    [13.333, 75],
    [11.111, 90],
    [8.333, 120],
    [6.944, 144],
    [6.061, 165],
    [4.167, 240],
  ])('%s ms → %s Hz', (ms, hz) => {
    expect(refreshRateOf(ms)).toBe(hz);
    expect(session(200, ms).refreshRate).toBe(hz);
  });

  it('a rate far from every common one is reported as measured', () => {
    expect(refreshRateOf(1000 / 100)).toBe(100);
    expect(refreshRateOf(1000 / 50)).toBe(50);
    expect(session(50, 1000 / 30).refreshRate).toBe(30);
  });

  it('jank does not move the median: 60 Hz with every 10th frame at 100 ms is still 60 Hz', () => {
    expect(session(300, 16.667, 10, 100).refreshRate).toBe(60);
  });
});

describe('FPS and jank', () => {
  it('a smooth 60 Hz session: 60 fps, no jank', () => {
    const s = session(120, 16.667);
    expect(s).toMatchObject({ type: 'scroll', frames: 120, jankPercentage: 0, refreshRate: 60 });
    expect(s.avgFps).toBeCloseTo(60, 0);
    expect(s.minFps).toBeCloseTo(60, 0);
    expect(s.duration).toBe(2000);
  });

  it('every 10th frame at 100 ms: 10 % jank, min fps 10, average from total time', () => {
    const s = session(100, 16.667, 10, 100);
    expect(s.jankPercentage).toBe(10);
    expect(s.minFps).toBe(10);
    // 90 frames × 16.667 + 10 × 100 = 2500 ms for 100 frames → 40 fps
    expect(s.avgFps).toBe(40);
  });

  it('jank is judged against the measured interval: 12 ms frames are fine at 60 Hz but janky at 144 Hz', () => {
    expect(session(100, 16.667, 5, 20).jankPercentage).toBe(0); // 20 ms < 1.5 × 16.7
    expect(session(100, 6.944, 5, 12).jankPercentage).toBe(20); // 12 ms > 1.5 × 6.94
  });

  it('one missed vsync (2 frame intervals) is jank; timer jitter (1.2×) is not', () => {
    expect(session(100, 8.333, 4, 16.667).jankPercentage).toBe(25);
    expect(session(100, 8.333, 4, 10).jankPercentage).toBe(0);
  });

  it('gaps of a second or more (hidden tab, frozen page) are excluded, not jank', () => {
    const smooth = Array<number>(50).fill(16.667);
    const s = sessionOf([...smooth, 1000, 30_000, ...smooth])!;
    expect(s.frames).toBe(100);
    expect(s.jankPercentage).toBe(0);
    expect(s.minFps).toBeCloseTo(60, 0);
    expect(s.duration).toBe(1667);
  });

  it('non-intervals (0, negative) are not frames', () => {
    // One real interval among them: under two frames is no session at all.
    expect(sessionOf([0, -5, 16.7, 0])).toBeUndefined();
    expect(sessionOf([16.7, 0, 16.7, -1, 16.7])).toMatchObject({ frames: 3, duration: 50 });
  });

  it('fewer than two frames is no session; each session is counted from its own frames only', () => {
    expect(sessionOf([16.7])).toBeUndefined();
    const d = frameDriver();
    const stop = observeScroll(window);
    const scrollFor = (n: number, ms: number) => {
      for (let i = 0; i <= n; i++) {
        window.dispatchEvent(new Event('scroll'));
        d.frame(ms);
      }
      while (d.pending()) d.frame(ms); // the idle tail ends the session
    };
    scrollFor(10, 100 / 3); // 30 fps, every frame "janky" against a 60 Hz display
    d.advance(5000);
    scrollFor(20, 8.333);
    stop();
    const [a, b] = cap.events as ScrollEvent[];
    expect(a).toMatchObject({ refreshRate: 30, avgFps: 30, minFps: 30, jankPercentage: 0 });
    // The second session's median, jank and minimum come from its own frames (the intervals were reset).
    expect(b).toMatchObject({ refreshRate: 120, jankPercentage: 0, minFps: 120 });
    expect(cap.events).toHaveLength(2);
  });
});

import { describe, expect, it } from 'vitest';
import { addInterval, createFrames, refreshRateOf, summarize } from '../../src/collectors/frames';

/** A session of `n` intervals of `ms`, with every `every`-th one replaced by `slow` ms. */
function session(n: number, ms: number, every = 0, slow = 0) {
  const f = createFrames();
  for (let i = 1; i <= n; i++) addInterval(f, every && i % every === 0 ? slow : ms);
  return summarize(f)!;
}

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
  });

  it('jank does not move the median: 60 Hz with every 10th frame at 100 ms is still 60 Hz', () => {
    expect(session(300, 16.667, 10, 100).refreshRate).toBe(60);
  });
});

describe('FPS and jank', () => {
  it('a smooth 60 Hz session: 60 fps, no jank', () => {
    const s = session(120, 16.667);
    expect(s).toMatchObject({ frames: 120, jankPercentage: 0, refreshRate: 60 });
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
    const f = createFrames();
    for (let i = 0; i < 50; i++) addInterval(f, 16.667);
    addInterval(f, 1000);
    addInterval(f, 30_000);
    for (let i = 0; i < 50; i++) addInterval(f, 16.667);
    const s = summarize(f)!;
    expect(s.frames).toBe(100);
    expect(s.jankPercentage).toBe(0);
    expect(s.minFps).toBeCloseTo(60, 0);
  });

  it('non-intervals (0, negative, NaN) are ignored', () => {
    const f = createFrames();
    addInterval(f, 0);
    addInterval(f, -5);
    addInterval(f, NaN);
    expect(f.n).toBe(0);
  });

  it('fewer than two frames is no session; summarize resets for the next one', () => {
    const f = createFrames();
    addInterval(f, 16.7);
    expect(summarize(f)).toBeUndefined();
    for (let i = 0; i < 10; i++) addInterval(f, 100 / 3); // 30 fps
    expect(summarize(f)).toMatchObject({ frames: 10, avgFps: 30 });
    expect(f.n).toBe(0);
    expect(f.hist.every((x) => x === 0)).toBe(true);
  });
});

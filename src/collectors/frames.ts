// Frame-interval arithmetic of the scroll collector: pure and allocation-free per frame. Intervals go
// into a fixed histogram (0.25 ms bins up to 1 s), so a scroll session of any length costs the same
// memory, and the median (the display's frame interval) and the jank count can be read at the end.

import { tenth } from './time';

const BIN_MS = 0.25;
/** An interval this long or longer is a hidden tab, a frozen page or a debugger stop: excluded, not jank. */
export const GAP_MS = 1000;
const BINS = GAP_MS / BIN_MS;
/** A frame is janky when it took over 1.5 frame intervals: at least one vsync was missed. (At 2x a frame
 * that missed exactly one vsync, interval = 2 frames, would hide in timer jitter.) */
const JANK_FACTOR = 1.5;
const RATES = [60, 75, 90, 120, 144, 165, 240];

export interface Frames {
  hist: Uint32Array;
  /** Intervals counted (frames), their sum (ms) and the longest one. */
  n: number;
  sum: number;
  max: number;
}

export interface ScrollSummary {
  avgFps: number;
  minFps: number;
  jankPercentage: number;
  frames: number;
  duration: number;
  refreshRate: number;
}

export const createFrames = (): Frames => ({ hist: new Uint32Array(BINS), n: 0, sum: 0, max: 0 });

/** Counts one frame interval (ms). Gaps (≥ 1 s) and nonsense (≤ 0) are not frames of the session. */
export function addInterval(f: Frames, dt: number): void {
  if (!(dt > 0 && dt < GAP_MS)) return;
  f.hist[(dt / BIN_MS) | 0]++;
  f.n++;
  f.sum += dt;
  if (dt > f.max) f.max = dt;
}

/** The display's refresh rate from the median frame interval, snapped to a common rate within 5 %. */
export function refreshRateOf(medianMs: number): number {
  const hz = 1000 / medianMs;
  for (const r of RATES) if (Math.abs(hz - r) <= r * 0.05) return r;
  return Math.round(hz);
}

/** The middle interval (centre of its bin). */
function median(f: Frames): number {
  let seen = 0;
  let i = 0;
  while ((seen += f.hist[i]) * 2 < f.n) i++;
  return (i + 0.5) * BIN_MS;
}

/** The session's figures, or undefined when it had fewer than two frames; then resets `f` for the next session. */
export function summarize(f: Frames): ScrollSummary | undefined {
  let out: ScrollSummary | undefined;
  if (f.n >= 2) {
    const refreshRate = refreshRateOf(median(f));
    const from = Math.ceil(((JANK_FACTOR * 1000) / refreshRate) / BIN_MS);
    let jank = 0;
    for (let i = from; i < BINS; i++) jank += f.hist[i];
    out = {
      avgFps: tenth((f.n * 1000) / f.sum),
      minFps: tenth(1000 / f.max),
      jankPercentage: tenth((jank * 100) / f.n),
      frames: f.n,
      duration: Math.round(f.sum),
      refreshRate,
    };
  }
  f.hist.fill(0);
  f.n = f.sum = f.max = 0;
  return out;
}

// observeScroll(): frame rate and jank while the user scrolls. A scroll event starts a rAF loop that
// records frame intervals and ends IDLE_MS after the last scroll event with one `scroll` event for the
// session, so nothing runs while the page is idle. Per frame: a subtraction, an array push and the next
// rAF request. At the end the intervals are sorted once: the median is the display's frame interval,
// the last the slowest frame.
import { record } from '../core/record';
import { say } from './say';
import { tenth } from './time';
import { visibilityMark } from './visibility';

/** A session ends this long after its last scroll event (momentum scrolling keeps sending them). */
const IDLE_MS = 150;
/** An interval this long or longer is a hidden tab, a frozen page or a debugger stop: excluded, not jank. */
const GAP_MS = 1000;
/**
 * A session this long (frames) is reported and a new one begun: it bounds memory and the sort at the end
 * (~10 minutes at 120 Hz; a person does not scroll that long, an endless scroll animation might).
 */
const MAX_FRAMES = 65_536;
const RATES = [60, 75, 90, 120, 144, 165, 240];

/** The display's refresh rate from the median frame interval, snapped to a common rate within 5 %. */
export function refreshRateOf(medianMs: number): number {
  const fps = 1000 / medianMs;
  return RATES.find((r) => Math.abs(fps - r) <= r * 0.05) || Math.round(fps);
}

/**
 * Watches `target`: an element that scrolls, or the page (omit it, or pass window or document; the
 * root element gets no scroll events of its own). Returns stop(), which reports the open session.
 */
export function observeScroll(target?: EventTarget | null): () => void {
  try {
    const el = target || window;
    if (typeof requestAnimationFrame != 'function') throw 'no requestAnimationFrame';
    /** The frame intervals (ms) of the session. */
    let d: number[] = [];
    let raf = 0;
    let prev = 0;
    let lastScroll = 0;
    let mark = 0;

    const end = () => {
      const n = d.length;
      if (n > 1) {
        d.sort((a, b) => a - b);
        const refreshRate = refreshRateOf(d[(n - 1) >> 1]);
        let sum = 0;
        let jank = 0;
        // Jank: a frame over 1.5 frame intervals, i.e. at least one vsync missed. (At 2x, a frame that
        // missed exactly one vsync would hide in timer jitter.)
        for (const dt of d) {
          sum += dt;
          if (dt * refreshRate > 1500) jank++;
        }
        record({
          type: 'scroll',
          avgFps: tenth((n * 1000) / sum),
          minFps: tenth(1000 / d[n - 1]),
          jankPercentage: tenth((jank * 100) / n),
          frames: n,
          duration: Math.round(sum),
          refreshRate,
        });
      }
      d = [];
    };
    const frame = (t: number) => {
      try {
        const m = visibilityMark();
        const dt = t - prev;
        // An interval across a hide (or a freeze, which follows one) is the user's absence, not a slow
        // frame; so are gaps of a second or more. Nonsense (≤ 0) is no frame either.
        if (m === mark && dt > 0 && dt < GAP_MS && d.push(dt) >= MAX_FRAMES) end();
        mark = m;
        prev = t;
        if (t - lastScroll > IDLE_MS) {
          raf = 0;
          end();
        } else raf = requestAnimationFrame(frame);
      } catch {
        raf = 0;
      }
    };
    const onScroll = () => {
      lastScroll = performance.now();
      if (!raf) {
        mark = NaN; // the first frame only sets `prev`
        raf = requestAnimationFrame(frame);
      }
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      try {
        el.removeEventListener('scroll', onScroll);
        cancelAnimationFrame(raf);
        raf = 0;
        end();
      } catch {}
    };
  } catch (e) {
    say('observeScroll: off', e);
    return () => {};
  }
}

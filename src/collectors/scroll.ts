// observeScroll(): frame rate and jank while the user scrolls. A scroll event starts a rAF loop that
// measures frame intervals and ends IDLE_MS after the last scroll event with one `scroll` event for the
// session, so nothing runs while the page is idle. Per frame: a subtraction, a histogram bump and the
// next rAF request; no allocation.
import { record } from '../core/record';
import { say } from './say';
import { addInterval, createFrames, summarize } from './frames';
import { visibilityMark } from './visibility';

/** A session ends this long after its last scroll event (momentum scrolling keeps sending them). */
const IDLE_MS = 150;

/**
 * Watches `target`: an element that scrolls, or the page (omit it, or pass window or document; the
 * root element gets no scroll events of its own). Returns stop(), which reports the open session.
 */
export function observeScroll(target?: EventTarget | null): () => void {
  try {
    const el = target || window;
    if (typeof requestAnimationFrame !== 'function' || !el.addEventListener) {
      say('observeScroll: off');
      return () => {};
    }
    const frames = createFrames();
    let raf = 0;
    let prev = 0;
    let lastScroll = 0;
    let mark = 0;

    const end = () => {
      const s = summarize(frames);
      if (s) record({ type: 'scroll', ...s });
    };
    const frame = (t: number) => {
      try {
        const m = visibilityMark();
        // An interval across a hide (or a freeze, which follows one) is the user's absence, not a slow frame.
        if (m === mark) addInterval(frames, t - prev);
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
        if (raf) cancelAnimationFrame(raf);
        raf = 0;
        end();
      } catch {}
    };
  } catch (e) {
    say('observeScroll: off', e);
    return () => {};
  }
}

// startRender(): the time from the start of a message render to the next paint after the widget's DOM
// update: the widget's JavaScript, then the style, layout and paint of the frame that shows it. The wait
// for that frame to begin (up to a refresh interval, vsync alignment, which the widget does not cause) is
// left out: with it, a render that fits easily in one frame would still measure up to 16.7 ms more at
// 60 Hz, and seed 001's "render under 16 ms" budget could never be met at p95.
import { record } from '../core/record';
import { nonNegative, shortText } from '../core/validate';
import { say } from './say';
import { since } from './time';
import { visibilityMark } from './visibility';

/**
 * Records one `render` event, `t0` (performance.now()) to the next paint, less the wait for that frame to
 * begin; skipped if the page was hidden since `mark` (the visibilityMark() at t0; default: now). Throws
 * where there is no page (no document or requestAnimationFrame).
 *
 * "The next paint": a rAF callback runs just before the frame's style, layout and paint; a task posted
 * from it runs once that frame has been produced. The task is a setTimeout(0): set from a rAF callback
 * it is not nested in other timers, so no 4 ms clamp applies.
 */
export function recordRenderAtPaint(messageId: string, t0: number, contentLength?: number, mark = visibilityMark()): void {
  const asked = performance.now();
  requestAnimationFrame(() => {
    // The render's start moved on by the wait for this frame to begin (vsync alignment, not the widget's).
    const start = t0 + (performance.now() - asked);
    setTimeout(() => {
      try {
        // Hidden in between: the gap is the user's absence, not the render.
        if (visibilityMark() === mark) record({ type: 'render', messageId, renderTime: Math.max(0, since(start)), contentLength });
      } catch {
        // A measurement callback must never surface in the host page.
      }
    });
  });
}

/**
 * Starts timing the render of one message. Call the returned `end()` right after the DOM update:
 * renderTime runs to the next paint after it. `end()` counts once; it never throws.
 */
export function startRender(messageId: string | number, contentLength?: number): () => void {
  const t0 = performance.now();
  let ended = false;
  let mark: number | undefined;
  try {
    mark = visibilityMark(); // a hide between start and end() is the user's absence too
  } catch {}
  return () => {
    if (ended) return;
    ended = true;
    try {
      const id = shortText(messageId);
      if (id === undefined) say('startRender: bad messageId');
      else recordRenderAtPaint(id, t0, nonNegative(contentLength, 1e9), mark);
    } catch (e) {
      say('startRender: off', e);
    }
  };
}

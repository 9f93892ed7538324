// "The next paint after now": a requestAnimationFrame callback runs just before the frame's style,
// layout and paint; a task posted from it runs once that frame has been produced. The task is a
// setTimeout(0): set from a rAF callback it is not nested in other timers, so no 4 ms clamp applies.

/**
 * Calls `cb(idle)` after the next frame has painted; `idle` is how long the page waited for that frame to
 * begin (ms from this call to the rAF callback). Throws where the page has no requestAnimationFrame.
 */
export function afterNextPaint(cb: (idle: number) => void): void {
  const asked = performance.now();
  requestAnimationFrame(() => {
    const idle = performance.now() - asked;
    setTimeout(() => {
      try {
        cb(idle);
      } catch {
        // A measurement callback must never surface in the host page.
      }
    });
  });
}

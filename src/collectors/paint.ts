// "The next paint after now": a requestAnimationFrame callback runs just before the frame's style,
// layout and paint; a task posted from it runs once that frame has been produced. We post it through a
// MessageChannel rather than setTimeout(0): setTimeout from a rAF callback is clamped (4 ms after five
// nested levels, and aligned to timer ticks), while a message task runs as soon as the frame is done.

/**
 * Calls `cb(idle)` after the next frame has painted; `idle` is how long the page waited for that frame to
 * begin (ms from this call to the rAF callback). Throws where the page has no requestAnimationFrame or
 * MessageChannel.
 */
export function afterNextPaint(cb: (idle: number) => void): void {
  const asked = performance.now();
  const { port1, port2 } = new MessageChannel();
  let idle: number;
  requestAnimationFrame(() => {
    idle = performance.now() - asked;
    port2.postMessage(0);
  });
  // Listening only once the frame is requested: a port with a listener stays alive until closed.
  port1.onmessage = () => {
    port1.close();
    try {
      cb(idle);
    } catch {
      // A measurement callback must never surface in the host page.
    }
  };
}

// "The next paint after now": a requestAnimationFrame callback runs just before the frame's style,
// layout and paint; a task posted from it runs once that frame has been produced. We post it through a
// MessageChannel rather than setTimeout(0): setTimeout from a rAF callback is clamped (4 ms after five
// nested levels, and aligned to timer ticks), while a message task runs as soon as the frame is done.
// One shared channel, callbacks run first in, first out (messages on one port keep their order).
let port: MessagePort | undefined;
const queue: (() => void)[] = [];

/**
 * Calls `cb(idle)` after the next frame has painted; `idle` is how long the page waited for that frame to
 * begin (ms from this call to the rAF callback). Throws where the page has no requestAnimationFrame or
 * MessageChannel.
 */
export function afterNextPaint(cb: (idle: number) => void): void {
  const asked = performance.now();
  if (!port) {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      try {
        queue.shift()!();
      } catch {
        // A measurement callback must never surface in the host page.
      }
    };
    port = channel.port2;
  }
  requestAnimationFrame(() => {
    const idle = performance.now() - asked;
    queue.push(() => cb(idle));
    port!.postMessage(0);
  });
}

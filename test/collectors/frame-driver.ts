// An injected frame clock for happy-dom: requestAnimationFrame callbacks run when the test says a
// frame happens, with the timestamp the test gives; performance.now() follows the same clock.
import { vi } from 'vitest';

export function frameDriver() {
  let callbacks: FrameRequestCallback[] = [];
  let now = 0;
  let ids = 0;
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => {
    callbacks.push(cb);
    return ++ids;
  });
  vi.stubGlobal('cancelAnimationFrame', () => {
    callbacks = [];
  });
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  return {
    /**
     * Advances the clock by `ms` (the wait for the frame), runs the callbacks requested for this frame,
     * then advances by `work` (the frame's style, layout and paint) before any task after the frame.
     */
    frame(ms: number, work = 0) {
      now += ms;
      const run = callbacks;
      callbacks = [];
      for (const cb of run) cb(now);
      now += work;
    },
    /** Moves the clock without a frame (time spent in a task). */
    advance(ms: number) {
      now += ms;
    },
    pending: () => callbacks.length,
  };
}

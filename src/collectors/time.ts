// Clocks of the collectors. Durations use performance.now() (monotonic); tab-sync send times use
// timeOrigin + now(), the one clock two tabs of a browser can compare (Date.now() may jump).

/** `x` to 0.1 (ms): finer is timer noise on the wire. */
export const tenth = (x: number): number => Math.round(x * 10) / 10;

/** Milliseconds since `t0` (a performance.now() reading), to 0.1 ms. */
export const since = (t0: number): number => tenth(performance.now() - t0);

/** Epoch milliseconds on the monotonic clock, comparable across tabs of one browser. */
export const wallNow = (): number => performance.timeOrigin + performance.now();

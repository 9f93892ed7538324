// Only one tab of an origin sends the stored batches at a time, so none is delivered twice.

/**
 * Runs fn holding the Web Lock `name` if no other tab holds it (ifAvailable: a busy or stuck tab
 * never makes this one wait); skips it when another tab holds it. Without Web Locks, or when the
 * request fails (opaque origins), fn just runs: the ingest dedupes by event id. Rejects only as fn does.
 */
export function withLock(name: string, fn: () => Promise<void>): Promise<unknown> {
  let ran: unknown;
  const run = () => (ran = fn());
  try {
    return navigator.locks.request(name, { ifAvailable: true }, (lock) => lock && run()).catch(() => ran || run());
  } catch {
    return run();
  }
}

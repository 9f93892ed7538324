// Only one tab of an origin sends the stored batches at a time, so none is delivered twice.

/**
 * Runs fn holding the Web Lock `name` if no other tab holds it (ifAvailable: a busy or stuck tab
 * never makes this one wait). Resolves false when another tab holds it. Without Web Locks, or when
 * the request fails (opaque origins), fn just runs: the ingest dedupes by event id.
 */
export async function withLock(name: string, fn: () => Promise<void>): Promise<boolean> {
  let ran = false;
  const run = () => ((ran = true), fn().then(() => true));
  const locks = typeof navigator != 'undefined' ? navigator.locks : undefined;
  if (!locks) return run();
  try {
    return await locks.request(name, { ifAvailable: true }, (lock) => (lock ? run() : false));
  } catch {
    return ran ? true : run();
  }
}

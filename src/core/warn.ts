// Console warnings, at most one per kind: a widget calling trackRender with bad arguments in a loop
// must not flood the host page's console.
const warned = new Set<string>();

/**
 * "<where>: bad <what>; <then>." once per where and what: a bad init option or track-call field, and
 * what is done instead. One text for both, so the minifier keeps it once.
 */
export function warnBad(where: string, what: string, then: string): void {
  warnOnce(where + what, where + ': bad ' + what + '; ' + then + '.');
}

export function warnOnce(kind: string, message: string): void {
  if (warned.has(kind)) return;
  warned.add(kind);
  try {
    console.warn('[chat-vitals] ' + message);
  } catch {
    // console itself may be replaced by the host; never let that surface.
  }
}

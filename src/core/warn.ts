// Console warnings, at most one per kind: a widget calling trackRender with bad arguments in a loop
// must not flood the host page's console.
const warned = new Set<string>();

export function warnOnce(kind: string, message: string): void {
  if (warned.has(kind)) return;
  warned.add(kind);
  try {
    console.warn('[chat-vitals] ' + message);
  } catch {
    // console itself may be replaced by the host; never let that surface.
  }
}

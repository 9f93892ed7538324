// Console warnings, at most one per kind: a widget calling trackRender with bad arguments in a loop
// must not flood the host page's console.
//
// Development builds only (chat-vitals.dev.mjs, which bundlers pick through the `development` export
// condition, and chat-vitals.dev.iife.js), as React's and Sentry's production bundles carry none: the
// warning texts are about 500 B of the script tag, paid by every chat user for the one developer
// who reads them. Production builds keep every check and fallback; only the message goes.
declare const __DEV__: boolean;
/** Replaced by rollup.config.mjs; unreplaced (tests run from source) it means development. */
export const DEV = typeof __DEV__ == 'undefined' || __DEV__;

const warned = new Set<string>();

/**
 * "<where>: bad <what>; <then>." once per where and what: a bad init option or track-call field, and
 * what is done instead. One text for both, so the minifier keeps it once.
 */
export function warnBad(where: string, what: string, then: string): void {
  warnOnce(where + what, where + ': bad ' + what + '; ' + then + '.');
}

export function warnOnce(kind: string, message: string): void {
  if (!DEV || warned.has(kind)) return;
  warned.add(kind);
  try {
    console.warn('[chat-vitals] ' + message);
  } catch {
    // console itself may be replaced by the host; never let that surface.
  }
}

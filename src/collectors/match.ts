// URL matching for the resource-timing collectors: a string (a URL prefix, relative to the page), a
// RegExp, or a function. A function that throws is the caller's bug: onResource drops that entry, so
// the URL does not match.
export type UrlMatch = string | RegExp | ((url: string) => boolean);

/** A predicate for `m`, or undefined when `m` is none of the three (or a string that is not a URL). */
export function matcher(m: UrlMatch | undefined): ((url: string) => boolean) | undefined {
  try {
    const prefix = typeof m == 'string' && new URL(m, location.href).href;
    // search() ignores lastIndex, so a /g or /y RegExp does not alternate between true and false.
    return prefix
      ? (u) => u.startsWith(prefix)
      : m instanceof RegExp
        ? (u) => u.search(m) >= 0
        : typeof m == 'function'
          ? (u) => m(u) === true
          : undefined;
  } catch {
    // not a URL, or no page to resolve it against
  }
}

// URL matching for the resource-timing collectors: a string (a URL prefix, relative to the page), a
// RegExp, or a function. A throwing function is the caller's bug: that URL does not match.
export type UrlMatch = string | RegExp | ((url: string) => boolean);

/** A predicate for `m`, or undefined when `m` is none of the three. */
export function matcher(m: UrlMatch | undefined): ((url: string) => boolean) | undefined {
  if (typeof m === 'string') {
    let prefix: string;
    try {
      prefix = new URL(m, location.href).href;
    } catch {
      return undefined; // not a URL, or no page to resolve it against
    }
    return (u) => u.startsWith(prefix);
  }
  // search() ignores lastIndex, so a /g or /y RegExp does not alternate between true and false.
  if (m instanceof RegExp) return (u) => u.search(m) >= 0;
  if (typeof m === 'function')
    return (u) => {
      try {
        return m(u) === true;
      } catch {
        return false;
      }
    };
  return undefined;
}

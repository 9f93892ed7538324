// Was this page reached by navigating from another page of the site? Then the first restore of each
// store is a cross-page preservation check (seed 001: operation 'navigation'), not a plain restore.
// Two signals: the navigation entry ('navigate' or 'back_forward' with a same-origin referrer), and a
// sessionStorage mark written at pagehide by any page of this tab that had a store (works when the
// referrer is stripped by a referrer policy). A reload is never a navigation.
const MARK = 'chat-vitals:left';
let arrived: boolean | undefined;

/** The verdict for this page load, taken once; the first call also has this page write the mark when left. */
export const arrivedByNavigation = (): boolean => (arrived ??= judge());

function judge(): boolean {
  try {
    addEventListener('pagehide', () => {
      try {
        sessionStorage[MARK] = 1;
      } catch {}
    });
    return (
      (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).type != 'reload' &&
      // A referrer is a full URL, so "same origin" is "starts with the origin and a slash".
      !!(sessionStorage[MARK] || document.referrer.startsWith(location.origin + '/'))
    );
  } catch {
    return false; // no page, storage or performance blocked: not known, so not claimed
  }
}

// Was this page reached by navigating from another page of the site? Then the first restore of each
// store is a cross-page preservation check (seed 001: operation 'navigation'), not a plain restore.
// Two signals: the navigation entry ('navigate' or 'back_forward' with a same-origin referrer), and a
// sessionStorage mark written at pagehide by any page of this tab that had a store (works when the
// referrer is stripped by a referrer policy). A reload is never a navigation.
const MARK = 'chat-vitals:left';
let arrived: boolean | undefined;

/** The verdict for this page load, taken once; the first call also has this page write the mark when left. */
export function arrivedByNavigation(): boolean {
  if (arrived === undefined) {
    arrived = false;
    try {
      addEventListener('pagehide', () => {
        try {
          sessionStorage.setItem(MARK, '1');
        } catch {}
      });
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const ref = document.referrer;
      arrived = nav.type != 'reload' && (!!sessionStorage.getItem(MARK) || (!!ref && new URL(ref).origin == location.origin));
    } catch {
      // no page, storage or performance blocked: not known, so not claimed
    }
  }
  return arrived;
}

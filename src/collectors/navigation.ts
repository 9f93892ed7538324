// Was this page reached by navigating from another page of the site? Then the first restore of each
// store is a cross-page preservation check (seed 001: operation 'navigation'), not a plain restore.
// Two signals: the navigation entry ('navigate' or 'back_forward' with a same-origin referrer), and a
// sessionStorage mark written at pagehide by any page of this tab that had a store (works when the
// referrer is stripped by a referrer policy). A reload is never a navigation.
const MARK = 'chat-vitals:left';
let arrived: boolean | undefined;
let marking = false;

export function arrivedByNavigation(): boolean {
  if (arrived === undefined) {
    arrived = false;
    try {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      if (nav && nav.type !== 'reload') {
        const ref = document.referrer;
        arrived = !!sessionStorage.getItem(MARK) || (!!ref && new URL(ref).origin === location.origin);
      }
    } catch {
      // storage or performance blocked: not known, so not claimed
    }
  }
  return arrived;
}

/** Writes the mark when this page is left (installed once, by the first store). */
export function markOnLeave(): void {
  if (marking) return;
  marking = true;
  try {
    addEventListener('pagehide', () => {
      try {
        sessionStorage.setItem(MARK, '1');
      } catch {}
    });
  } catch {}
}

// Counts visibility changes so a measurement can tell that the page was hidden part of the time: rAF
// stops in a hidden tab, so such a render or frame gap measures the user's absence, not our speed.
// (Page freezing needs no listener of its own: Chrome freezes only hidden tabs.) The listener goes on
// at first use, never at import.
let changes = 0;
let watching = false;

const bump = () => {
  changes++;
};

/** A mark that differs whenever the page was hidden or shown in between: compare two with ===. */
export function visibilityMark(): number {
  if (!watching) {
    watching = true;
    try {
      document.addEventListener('visibilitychange', bump);
    } catch {
      // No document (worker, Node): nothing is ever hidden.
    }
  }
  // While hidden: NaN, which equals nothing, so no measurement spanning a hidden moment ever matches.
  return typeof document === 'object' && document.hidden ? NaN : changes;
}

// Counts visibility changes so a measurement can tell that the page was hidden part of the time: rAF
// stops in a hidden tab, so such a render or frame gap measures the user's absence, not our speed.
// (Page freezing needs no listener of its own: Chrome freezes only hidden tabs.) The listener goes on
// at first use, never at import. Render and scroll timing need a page: without a document (a worker) this
// throws, and they are off.
let changes = -1;

/** A mark that differs whenever the page was hidden or shown in between: compare two with ===. */
export function visibilityMark(): number {
  if (changes < 0) {
    changes = 0;
    document.addEventListener('visibilitychange', () => changes++);
  }
  // While hidden: NaN, which equals nothing, so no measurement spanning a hidden moment ever matches.
  return document.hidden ? NaN : changes;
}

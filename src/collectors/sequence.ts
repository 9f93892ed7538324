// Per-sender sequence numbers of the tab-sync channel: BroadcastChannel keeps one sender's messages in
// order, so a jump means messages were lost and a step back means one arrived late (or twice).

/**
 * Checks `seq` from `sender` against the last one seen. Returns the number of messages skipped before
 * it (0: in order; the first message of a sender sets the baseline), or -1 for a late or repeated one.
 */
export function sequenceGap(last: Map<string, number>, sender: string, seq: number): number {
  const prev = last.get(sender);
  if (prev !== undefined && seq <= prev) return -1;
  last.set(sender, seq);
  return prev === undefined ? 0 : seq - prev - 1;
}

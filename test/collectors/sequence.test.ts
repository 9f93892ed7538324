import { describe, expect, it } from 'vitest';
import { sequenceGap } from '../../src/collectors/sequence';

describe('sequenceGap', () => {
  it('the first message of a sender sets the baseline, whatever its number', () => {
    const last = new Map<string, number>();
    expect(sequenceGap(last, 'a', 7)).toBe(0);
    expect(sequenceGap(last, 'a', 8)).toBe(0);
  });
  it('a jump counts the skipped messages', () => {
    const last = new Map<string, number>();
    sequenceGap(last, 'a', 1);
    expect(sequenceGap(last, 'a', 4)).toBe(2);
    expect(sequenceGap(last, 'a', 5)).toBe(0);
  });
  it('late and repeated messages are -1 and do not move the baseline', () => {
    const last = new Map<string, number>();
    sequenceGap(last, 'a', 1);
    sequenceGap(last, 'a', 3);
    expect(sequenceGap(last, 'a', 2)).toBe(-1);
    expect(sequenceGap(last, 'a', 3)).toBe(-1);
    expect(sequenceGap(last, 'a', 4)).toBe(0);
  });
  it('senders are independent', () => {
    const last = new Map<string, number>();
    sequenceGap(last, 'a', 1);
    sequenceGap(last, 'b', 10);
    expect(sequenceGap(last, 'a', 2)).toBe(0);
    expect(sequenceGap(last, 'b', 12)).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { CAP_MS, retryable, SLOW_AFTER, wait } from '../../src/pipeline/backoff';

describe('wait', () => {
  it('grows exponentially under full jitter, then probes once per cap', () => {
    const max = () => 0.999999;
    expect(wait(1, max)).toBeCloseTo(1000, -1);
    expect(wait(2, max)).toBeCloseTo(2000, -1);
    expect(wait(4, max)).toBeCloseTo(8000, -1);
    expect(wait(3, () => 0)).toBe(0);
    expect(wait(3, () => 0.5)).toBe(2000);
    expect(wait(SLOW_AFTER, () => 0)).toBe(CAP_MS);
    expect(wait(50, () => 0.1)).toBe(CAP_MS);
  });

  it('follows Retry-After in seconds, whatever the failure count', () => {
    const r = () => 0.5;
    expect(wait(1, r, '120')).toBe(120_000);
    expect(wait(9, r, ' 0 ')).toBe(0);
    expect(wait(1, r, '999999')).toBe(3_600_000); // clamped
  });

  it('falls back to the backoff when Retry-After is absent or unreadable', () => {
    // (An HTTP date is not read: it gets the backoff too.)
    for (const v of ['soon', null, undefined, '', '-5', 'Wed, 01 Jan 2025 00:00:30 GMT']) {
      expect(wait(2, () => 0.5, v)).toBe(1000);
      expect(wait(SLOW_AFTER, () => 0.5, v)).toBe(CAP_MS);
    }
  });

  it('retries network errors, 408, 429 and 5xx only', () => {
    expect([0, 408, 429, 500, 503, 599].every(retryable)).toBe(true);
    expect([400, 401, 403, 404, 413, 415, 422].some(retryable)).toBe(false);
  });
});

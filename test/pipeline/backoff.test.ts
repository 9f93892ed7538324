import { describe, expect, it } from 'vitest';
import { backoff, CAP_MS, retryable, retryAfterMs, SLOW_AFTER } from '../../src/pipeline/backoff';

describe('backoff', () => {
  it('grows exponentially under full jitter, then probes once per cap', () => {
    const max = () => 0.999999;
    expect(backoff(1, max)).toBeCloseTo(1000, -1);
    expect(backoff(2, max)).toBeCloseTo(2000, -1);
    expect(backoff(4, max)).toBeCloseTo(8000, -1);
    expect(backoff(3, () => 0)).toBe(0);
    expect(backoff(3, () => 0.5)).toBe(2000);
    expect(backoff(SLOW_AFTER, () => 0)).toBe(CAP_MS);
    expect(backoff(50, () => 0.1)).toBe(CAP_MS);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0); // in the past: now
    expect(retryAfterMs('999999', now)).toBe(3_600_000); // clamped
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('-5', now)).toBeUndefined();
  });

  it('retries network errors, 408, 429 and 5xx only', () => {
    expect([0, 408, 429, 500, 503, 599].every(retryable)).toBe(true);
    expect([400, 401, 403, 404, 413, 415, 422].some(retryable)).toBe(false);
  });
});

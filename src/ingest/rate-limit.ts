// Token bucket per client (ingest key + address): `burst` requests at once, refilled at `perSecond`.
// The map is bounded: when full, idle (fully refilled) buckets are swept, and if none are, the oldest entry
// goes, so a flood of spoofed addresses costs memory once, not forever.

export interface RateLimiter {
  /** 0 if the request may proceed, else seconds until it may (the Retry-After value). */
  take(client: string, now: number): number;
}

export function createRateLimiter(perSecond: number, burst: number, maxClients = 10_000): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refill = (b: { tokens: number; at: number }, now: number) => {
    // A wall clock that steps back (NTP, VM resume) must not drain the bucket: no negative refill.
    b.tokens = Math.min(burst, b.tokens + (Math.max(0, now - b.at) / 1000) * perSecond);
    b.at = now;
  };
  return {
    take(client, now) {
      let b = buckets.get(client);
      if (!b) {
        if (buckets.size >= maxClients) {
          for (const [k, v] of buckets) if ((refill(v, now), v.tokens >= burst)) buckets.delete(k);
          if (buckets.size >= maxClients) buckets.delete(buckets.keys().next().value!);
        }
        buckets.set(client, (b = { tokens: burst, at: now }));
      } else refill(b, now);
      if (b.tokens >= 1) {
        b.tokens--;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
    },
  };
}

import type { Clock } from '../../shared/clock.js';

/**
 * A token bucket per client: `perMinute` requests per minute on average, with bursts of up to `perMinute`.
 * 0 means unlimited. Idle clients are forgotten so the table cannot grow without bound.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
    /** The most clients remembered at once; the oldest is dropped first. */
    private readonly maxClients = 10_000,
  ) {}

  /** Takes one token for `client`; returns 0 when allowed, else the seconds until a token is free. */
  take(client: string): number {
    if (this.perMinute === 0) return 0;
    const now = this.clock.now().getTime();
    const ratePerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(client) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * ratePerMs);
    bucket.at = now;
    // Re-inserting keeps the Map in least-recently-used order for the eviction below.
    this.buckets.delete(client);
    this.buckets.set(client, bucket);
    if (this.buckets.size > this.maxClients) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / ratePerMs / 1000);
  }
}

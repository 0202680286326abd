import { RateLimitStore } from './rate-limit.store';

/** The fixed window `now` falls in: [start, end), in milliseconds since the epoch. */
export function windowAt(windowMs: number, now: number): { start: number; end: number } {
  const start = now - (now % windowMs);
  return { start, end: start + windowMs };
}

/**
 * A fixed-window counter kept in the database, so that every worker process and every instance behind a
 * load balancer counts against the same limit.
 */
export class RateLimiter {
  constructor(private readonly store: RateLimitStore) {}

  /** Counts one hit on `bucket`; false when the window already holds `limit` hits. A limit of 0 never refuses. */
  async consume(bucket: string, limit: number, windowMs: number, now = Date.now()): Promise<boolean> {
    if (limit <= 0) return true;
    const [hits] = await this.count([bucket], windowMs, now);
    return hits <= limit;
  }

  /** The hits each bucket holds in the current window, without counting one. */
  peek(buckets: readonly string[], windowMs: number, now = Date.now()): Promise<number[]> {
    return this.store.peek(buckets, windowAt(windowMs, now).start);
  }

  /** Counts one hit on each bucket, in one statement, and answers the hits each holds now. */
  count(buckets: readonly string[], windowMs: number, now = Date.now()): Promise<number[]> {
    return this.store.count(buckets, windowAt(windowMs, now));
  }

  /** Takes back one hit counted on each bucket in the current window (never below 0). */
  uncount(buckets: readonly string[], windowMs: number, now = Date.now()): Promise<void> {
    return this.store.uncount(buckets, windowAt(windowMs, now).start);
  }
}

/** What the rate limiter needs from storage: fixed-window counters shared by every worker and instance. */
export interface RateLimitStore {
  /** Counts one hit on each bucket in the window [start, end), atomically, and answers the hits each holds now. */
  count(buckets: readonly string[], window: { start: number; end: number }): Promise<number[]>;
  /** The hits each bucket holds in the window starting at `start`, without counting one. */
  peek(buckets: readonly string[], start: number): Promise<number[]>;
  /** Takes back one hit counted on each bucket in the window starting at `start` (never below 0). */
  uncount(buckets: readonly string[], start: number): Promise<void>;
  /** Deletes up to `batchSize` counters whose window ended by `before`; answers how many. */
  deleteExpiredBatch(before: Date, batchSize: number): Promise<number>;
}

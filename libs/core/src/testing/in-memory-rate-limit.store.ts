import { RateLimitStore } from '../rate-limit/rate-limit.store';
import { yieldTurn } from './yield-turn';

interface Counter {
  windowStart: number;
  windowEnd: number;
  hits: number;
}

/**
 * RateLimitStore in memory, with SqlRateLimitStore's semantics: `count` is one upsert over every bucket
 * (a newer window starts at 1, the current one counts up), so that hits sent at once are all counted;
 * `uncount` is one statement per bucket and never goes below 0.
 */
export class InMemoryRateLimitStore implements RateLimitStore {
  private readonly rows = new Map<string, Counter>();

  async count(buckets: readonly string[], window: { start: number; end: number }): Promise<number[]> {
    await yieldTurn();
    for (const bucket of new Set(buckets)) {
      const row = this.rows.get(bucket);
      const hits = row === undefined || row.windowStart < window.start ? 1 : row.hits + 1;
      this.rows.set(bucket, { windowStart: window.start, windowEnd: window.end, hits });
    }
    return buckets.map((b) => this.rows.get(b)?.hits ?? 0);
  }

  async peek(buckets: readonly string[], start: number): Promise<number[]> {
    await yieldTurn();
    return buckets.map((b) => {
      const row = this.rows.get(b);
      return row !== undefined && row.windowStart >= start ? row.hits : 0;
    });
  }

  async uncount(buckets: readonly string[], start: number): Promise<void> {
    for (const bucket of new Set(buckets)) {
      await yieldTurn();
      const row = this.rows.get(bucket);
      if (row !== undefined && row.windowStart === start && row.hits > 0) row.hits--;
    }
  }

  async deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    await yieldTurn();
    let deleted = 0;
    for (const [bucket, row] of this.rows) {
      if (deleted >= batchSize) break;
      if (row.windowEnd > before.getTime()) continue;
      this.rows.delete(bucket);
      deleted++;
    }
    return deleted;
  }
}

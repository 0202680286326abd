import type { RateLimitStore } from '../../rate-limit/rate-limit.store';
import { join, list, sql, Sql } from '../sql';
import { SqlDatabase } from '../sql-database';

/** One hit on each bucket: a new window starts at 1, the current one counts up. */
const upsert = (rows: Sql[]) => sql`INSERT INTO "hydrant_rate_limit" ("bucket", "window_start", "window_end", "hits") VALUES ${join(rows, ', ')}
  ON CONFLICT ("bucket") DO UPDATE SET
    "hits" = CASE WHEN "hydrant_rate_limit"."window_start" < excluded."window_start" THEN 1 ELSE "hydrant_rate_limit"."hits" + 1 END,
    "window_start" = excluded."window_start",
    "window_end" = excluded."window_end"`;

/**
 * Rate-limit counters in SQL: one atomic upsert per hit that answers the counts (RETURNING). A row carries the end of its window, so that the janitor can delete the counters of
 * windows that ended.
 */
export class SqlRateLimitStore implements RateLimitStore {
  constructor(private readonly db: SqlDatabase) {}

  async count(buckets: readonly string[], window: { start: number; end: number }): Promise<number[]> {
    // The same order everywhere, so that two PostgreSQL statements never lock two counters crosswise.
    const sorted = [...new Set(buckets)].sort();
    const values = sorted.map((b) => sql`(${b}, ${window.start}, ${window.end}, 1)`);
    const rows = await this.db.all<{ bucket: string; hits: number | string }>(sql`${upsert(values)} RETURNING "bucket", "hits"`);
    const hits = new Map(rows.map((r) => [r.bucket, Number(r.hits)]));
    return buckets.map((b) => hits.get(b) ?? 0);
  }

  async peek(buckets: readonly string[], start: number): Promise<number[]> {
    const rows = await this.db.all<{ bucket: string; hits: number | string; window_start: number | string }>(
      sql`SELECT "bucket", "hits", "window_start" FROM "hydrant_rate_limit" WHERE "bucket" IN (${list(buckets)})`,
    );
    const current = new Map(rows.filter((r) => Number(r.window_start) >= start).map((r) => [r.bucket, Number(r.hits)]));
    return buckets.map((b) => current.get(b) ?? 0);
  }

  /**
   * One statement per bucket, each locking one row: a single UPDATE of several rows locks them in the
   * order it finds them, not in count()'s sorted order, and so could deadlock against a concurrent count()
   * on PostgreSQL.
   */
  async uncount(buckets: readonly string[], start: number): Promise<void> {
    for (const bucket of new Set(buckets)) {
      await this.db.run(sql`UPDATE "hydrant_rate_limit" SET "hits" = "hits" - 1 WHERE "bucket" = ${bucket} AND "window_start" = ${start} AND "hits" > 0`);
    }
  }

  deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    return this.db.deleteBatch('hydrant_rate_limit', 'bucket', sql`"window_end" <= ${before}`, batchSize);
  }
}

import { DataSource } from 'typeorm';
import { deleteBatch, placeholders } from '../persistence/sql-dialect';
import { TransactionRunner } from '../persistence/transaction.runner';
import { database } from '../persistence/unit-of-work';

/** One hit on each bucket: a new window starts at 1, the current one counts up. `rows` of (bucket, window_start, window_end). */
const UPSERT = (rows: string[]) => `INSERT INTO "hydrant_rate_limit" ("bucket", "window_start", "window_end", "hits") VALUES ${rows.join(', ')}
       ON CONFLICT ("bucket") DO UPDATE SET
         "hits" = CASE WHEN "hydrant_rate_limit"."window_start" < excluded."window_start" THEN 1 ELSE "hydrant_rate_limit"."hits" + 1 END,
         "window_start" = excluded."window_start",
         "window_end" = excluded."window_end"`;

/** The fixed window `now` falls in: [start, end), in milliseconds since the epoch. */
export function windowAt(windowMs: number, now: number): { start: number; end: number } {
  const start = now - (now % windowMs);
  return { start, end: start + windowMs };
}

/**
 * A fixed-window counter kept in the database, so that every worker process and every instance behind a
 * load balancer counts against the same limit. One atomic upsert per hit (PostgreSQL; SQLite reads the count
 * back in the same transaction). A row carries the end of its window, so that the janitor can delete the
 * counters of windows that ended (deleteExpiredBatch).
 */
export class RateLimiter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Counts one hit on `bucket`; false when the window already holds `limit` hits. A limit of 0 never refuses. */
  async consume(bucket: string, limit: number, windowMs: number, now = Date.now()): Promise<boolean> {
    if (limit <= 0) return true;
    const [hits] = await this.count([bucket], windowMs, now);
    return hits <= limit;
  }

  /** The hits each bucket holds in the current window, without counting one. */
  async peek(buckets: readonly string[], windowMs: number, now = Date.now()): Promise<number[]> {
    const { start } = windowAt(windowMs, now);
    const param = placeholders(this.dataSource);
    const rows: Array<{ bucket: string; hits: number | string; window_start: number | string }> = await database(this.dataSource).query(
      `SELECT "bucket", "hits", "window_start" FROM "hydrant_rate_limit" WHERE "bucket" IN (${buckets.map((_, i) => param(i)).join(', ')})`,
      [...buckets],
    );
    const current = new Map(rows.filter((r) => Number(r.window_start) >= start).map((r) => [r.bucket, Number(r.hits)]));
    return buckets.map((b) => current.get(b) ?? 0);
  }

  /** Counts one hit on each bucket, in one statement, and answers the hits each holds now. */
  async count(buckets: readonly string[], windowMs: number, now = Date.now()): Promise<number[]> {
    const { start, end } = windowAt(windowMs, now);
    // The same order everywhere, so that two PostgreSQL statements never lock two counters crosswise.
    const sorted = [...new Set(buckets)].sort();
    const params = sorted.flatMap((b) => [b, start, end]);
    let rows: Array<{ bucket: string; hits: number | string }>;
    if (this.dataSource.options.type === 'postgres') {
      const values = sorted.map((_, i) => `($${3 * i + 1}, $${3 * i + 2}::bigint, $${3 * i + 3}::bigint, 1)`);
      rows = await database(this.dataSource).query(`${UPSERT(values)} RETURNING "bucket", "hits"`, params);
    } else {
      // TypeORM's SQLite driver runs every statement that starts with INSERT through sqlite3's `run`, which
      // drops the rows of RETURNING; so count and read back in one transaction instead (queued in this
      // process, BEGIN IMMEDIATE against the others), which keeps the pair atomic.
      rows = await this.transactions.run(async () => {
        await database(this.dataSource).query(UPSERT(sorted.map(() => '(?, ?, ?, 1)')), params);
        return database(this.dataSource).query(`SELECT "bucket", "hits" FROM "hydrant_rate_limit" WHERE "bucket" IN (${sorted.map(() => '?').join(', ')})`, sorted);
      });
    }
    const hits = new Map(rows.map((r) => [r.bucket, Number(r.hits)]));
    return buckets.map((b) => hits.get(b) ?? 0);
  }

  /**
   * Takes back one hit counted on each bucket in the current window (never below 0). One statement per
   * bucket, each locking one row: a single UPDATE of several rows locks them in the order it finds them,
   * not in count()'s sorted order, and so could deadlock against a concurrent count() on PostgreSQL.
   */
  async uncount(buckets: readonly string[], windowMs: number, now = Date.now()): Promise<void> {
    const { start } = windowAt(windowMs, now);
    const param = placeholders(this.dataSource);
    for (const bucket of new Set(buckets)) {
      await database(this.dataSource).query(
        `UPDATE "hydrant_rate_limit" SET "hits" = "hits" - 1 WHERE "bucket" = ${param(0)} AND "window_start" = ${param(1)} AND "hits" > 0`,
        [bucket, start],
      );
    }
  }

  /** Deletes up to `batchSize` counters whose window ended by `before`; returns how many (the janitor's flush). */
  deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    return deleteBatch(this.dataSource, 'hydrant_rate_limit', 'bucket', `"window_end" <= ${placeholders(this.dataSource)(0)}`, [before.getTime()], batchSize);
  }
}

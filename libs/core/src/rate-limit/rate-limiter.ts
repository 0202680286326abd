import { DataSource } from 'typeorm';
import { TransactionRunner } from '../persistence/transaction.runner';

/** One hit on a bucket: a new window starts at 1, the current one counts up. */
const UPSERT = (a: string, b: string) => `INSERT INTO "hydrant_rate_limit" ("bucket", "window_start", "hits") VALUES (${a}, ${b}, 1)
       ON CONFLICT ("bucket") DO UPDATE SET
         "hits" = CASE WHEN "hydrant_rate_limit"."window_start" < excluded."window_start" THEN 1 ELSE "hydrant_rate_limit"."hits" + 1 END,
         "window_start" = excluded."window_start"`;

/**
 * A fixed-window counter kept in the database, so that every worker process and every instance behind a
 * load balancer counts against the same limit. One atomic upsert per hit (PostgreSQL; SQLite reads the count
 * back in the same transaction).
 */
export class RateLimiter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Counts one hit on `bucket`; false when the window already holds `limit` hits. A limit of 0 never refuses. */
  async consume(bucket: string, limit: number, windowMs: number, now = Date.now()): Promise<boolean> {
    if (limit <= 0) return true;
    const windowStart = now - (now % windowMs);
    if (this.dataSource.options.type === 'postgres') {
      const rows: Array<{ hits: number | string }> = await this.dataSource.query(`${UPSERT('$1', '$2')} RETURNING "hits"`, [bucket, windowStart]);
      return Number(rows[0].hits) <= limit;
    }
    // TypeORM's SQLite driver runs every statement that starts with INSERT through sqlite3's `run`, which
    // drops the rows of RETURNING; so count and read back in one transaction instead (queued in this
    // process, BEGIN IMMEDIATE against the others), which keeps the pair atomic.
    const hits = await this.transactions.run(async (manager) => {
      await manager.query(UPSERT('?', '?'), [bucket, windowStart]);
      const rows: Array<{ hits: number | string }> = await manager.query('SELECT "hits" FROM "hydrant_rate_limit" WHERE "bucket" = ?', [bucket]);
      return Number(rows[0].hits);
    });
    return hits <= limit;
  }
}

import { DataSource } from 'typeorm';

/**
 * A fixed-window counter kept in the database, so that every worker process and every instance behind a
 * load balancer counts against the same limit. One atomic upsert per hit (SQLite 3.35+ and PostgreSQL).
 */
export class RateLimiter {
  constructor(private readonly dataSource: DataSource) {}

  /** Counts one hit on `bucket`; false when the window already holds `limit` hits. A limit of 0 never refuses. */
  async consume(bucket: string, limit: number, windowMs: number, now = Date.now()): Promise<boolean> {
    if (limit <= 0) return true;
    const windowStart = now - (now % windowMs);
    const postgres = this.dataSource.options.type === 'postgres';
    const [a, b] = postgres ? ['$1', '$2'] : ['?', '?'];
    const rows: Array<{ hits: number | string }> = await this.dataSource.query(
      `INSERT INTO "hydrant_rate_limit" ("bucket", "window_start", "hits") VALUES (${a}, ${b}, 1)
       ON CONFLICT ("bucket") DO UPDATE SET
         "hits" = CASE WHEN "hydrant_rate_limit"."window_start" < excluded."window_start" THEN 1 ELSE "hydrant_rate_limit"."hits" + 1 END,
         "window_start" = excluded."window_start"
       RETURNING "hits"`,
      [bucket, windowStart],
    );
    return Number(rows[0].hits) <= limit;
  }
}

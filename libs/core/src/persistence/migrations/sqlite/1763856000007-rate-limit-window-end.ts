import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The end of each rate-limit counter's window, indexed, so that the janitor can delete the counters of
 * windows that ended (the table grew by one row per source address and client that ever failed, forever).
 * A counter's row is all that knows its window's length: limits of different windows share the table.
 */
export class RateLimitWindowEndSqlite1763856000007 implements MigrationInterface {
  name = 'RateLimitWindowEndSqlite1763856000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "hydrant_rate_limit" ADD COLUMN "window_end" bigint NOT NULL DEFAULT 0`);
    // Rows written before knew no window length: keep them a day, longer than any window configured so far.
    await q.query(`UPDATE "hydrant_rate_limit" SET "window_end" = "window_start" + 86400000`);
    await q.query(`CREATE INDEX "hydrant_rate_limit_window_end_idx" ON "hydrant_rate_limit" ("window_end")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "hydrant_rate_limit_window_end_idx"`);
    await q.query(`ALTER TABLE "hydrant_rate_limit" DROP COLUMN "window_end"`);
  }
}

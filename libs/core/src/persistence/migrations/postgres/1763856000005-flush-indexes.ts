import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the flush's batch selects: without them, finding revoked tokens or ended login sessions reads
 * the whole table for every batch of 500, however many live rows it holds.
 */
export class FlushIndexesPostgres1763856000005 implements MigrationInterface {
  name = 'FlushIndexesPostgres1763856000005';

  async up(q: QueryRunner): Promise<void> {
    // Partial: only revoked tokens enter it, so issuing a token costs it nothing.
    await q.query(`CREATE INDEX "hydrant_token_revoked_idx" ON "hydrant_token" ("issued_at") WHERE "active" = false`);
    await q.query(`CREATE INDEX "hydrant_login_session_expires_idx" ON "hydrant_login_session" ("expires_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "hydrant_login_session_expires_idx"`);
    await q.query(`DROP INDEX "hydrant_token_revoked_idx"`);
  }
}

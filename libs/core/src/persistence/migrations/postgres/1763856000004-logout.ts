import { MigrationInterface, QueryRunner } from 'typeorm';

export class LogoutPostgres1763856000004 implements MigrationInterface {
  name = 'LogoutPostgres1763856000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "hydrant_logout_request" (
      "id" varchar(64) PRIMARY KEY,
      "state" varchar(16) NOT NULL,
      "subject" varchar(255) NOT NULL DEFAULT '',
      "sid" varchar(64) NOT NULL DEFAULT '',
      "client_id" varchar(255) NULL,
      "rp_initiated" boolean NOT NULL DEFAULT false,
      "request_url" text NOT NULL,
      "post_logout_redirect_uri" text NOT NULL,
      "verifier" varchar(64) NULL,
      "requested_at" bigint NOT NULL,
      "expires_at" bigint NOT NULL)`);
    await q.query(`CREATE INDEX "hydrant_logout_request_expires_idx" ON "hydrant_logout_request" ("expires_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "hydrant_logout_request"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

export class TokensPostgres1763856000001 implements MigrationInterface {
  name = 'TokensPostgres1763856000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "hydrant_token" (
      "signature" varchar(128) PRIMARY KEY,
      "kind" varchar(16) NOT NULL,
      "request_id" varchar(64) NOT NULL,
      "client_id" varchar(255) NOT NULL REFERENCES "hydrant_client" ("id") ON DELETE CASCADE,
      "subject" varchar(255) NOT NULL DEFAULT '',
      "scope" text NOT NULL DEFAULT '',
      "audience" text NOT NULL DEFAULT '[]',
      "issued_at" bigint NOT NULL,
      "expires_at" bigint NOT NULL,
      "active" boolean NOT NULL DEFAULT true,
      "ext" text NOT NULL DEFAULT '{}')`);
    await q.query(`CREATE INDEX "hydrant_token_request_idx" ON "hydrant_token" ("request_id")`);
    await q.query(`CREATE INDEX "hydrant_token_client_idx" ON "hydrant_token" ("client_id")`);
    await q.query(`CREATE INDEX "hydrant_token_expires_idx" ON "hydrant_token" ("expires_at")`);
    await q.query(`CREATE TABLE "hydrant_client_assertion_jti" (
      "signature" varchar(64) PRIMARY KEY,
      "expires_at" bigint NOT NULL)`);
    await q.query(`CREATE INDEX "hydrant_client_assertion_jti_expires_idx" ON "hydrant_client_assertion_jti" ("expires_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "hydrant_client_assertion_jti"`);
    await q.query(`DROP TABLE "hydrant_token"`);
  }
}

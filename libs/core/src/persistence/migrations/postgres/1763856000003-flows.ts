import { MigrationInterface, QueryRunner } from 'typeorm';

export class FlowsPostgres1763856000003 implements MigrationInterface {
  name = 'FlowsPostgres1763856000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "hydrant_login_session" (
      "id" varchar(64) PRIMARY KEY,
      "subject" varchar(255) NOT NULL,
      "authenticated_at" bigint NOT NULL,
      "remember" boolean NOT NULL DEFAULT false,
      "expires_at" bigint NULL,
      "identity_provider_session_id" varchar(255) NOT NULL DEFAULT '')`);
    await q.query(`CREATE INDEX "hydrant_login_session_subject_idx" ON "hydrant_login_session" ("subject")`);
    await q.query(`CREATE TABLE "hydrant_flow" (
      "id" varchar(64) PRIMARY KEY,
      "state" varchar(32) NOT NULL,
      "client_id" varchar(255) NOT NULL REFERENCES "hydrant_client" ("id") ON DELETE CASCADE,
      "subject" varchar(255) NULL,
      "login_session_id" varchar(64) NULL,
      "csrf" varchar(64) NOT NULL,
      "login_verifier" varchar(64) NULL,
      "consent_challenge" varchar(128) NULL,
      "consent_verifier" varchar(64) NULL,
      "request" text NOT NULL,
      "login" text NULL,
      "consent_skip" boolean NOT NULL DEFAULT false,
      "consent" text NULL,
      "requested_at" bigint NOT NULL,
      "expires_at" bigint NOT NULL,
      "granted" boolean NOT NULL DEFAULT false,
      "remember" boolean NOT NULL DEFAULT false,
      "remember_until" bigint NULL)`);
    await q.query(`CREATE INDEX "hydrant_flow_subject_client_idx" ON "hydrant_flow" ("subject", "client_id")`);
    await q.query(`CREATE INDEX "hydrant_flow_client_idx" ON "hydrant_flow" ("client_id")`);
    await q.query(`CREATE INDEX "hydrant_flow_login_session_idx" ON "hydrant_flow" ("login_session_id")`);
    await q.query(`CREATE INDEX "hydrant_flow_expires_idx" ON "hydrant_flow" ("expires_at")`);
    await q.query(`CREATE TABLE "hydrant_authorization_code" (
      "signature" varchar(128) PRIMARY KEY,
      "flow_id" varchar(64) NOT NULL,
      "client_id" varchar(255) NOT NULL REFERENCES "hydrant_client" ("id") ON DELETE CASCADE,
      "expires_at" bigint NOT NULL,
      "used" boolean NOT NULL DEFAULT false)`);
    await q.query(`CREATE INDEX "hydrant_authorization_code_expires_idx" ON "hydrant_authorization_code" ("expires_at")`);
    await q.query(`CREATE INDEX "hydrant_authorization_code_client_idx" ON "hydrant_authorization_code" ("client_id")`);
    await q.query(`ALTER TABLE "hydrant_token" ADD COLUMN "used_at" bigint NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "hydrant_token" DROP COLUMN "used_at"`);
    await q.query(`DROP TABLE "hydrant_authorization_code"`);
    await q.query(`DROP TABLE "hydrant_flow"`);
    await q.query(`DROP TABLE "hydrant_login_session"`);
  }
}

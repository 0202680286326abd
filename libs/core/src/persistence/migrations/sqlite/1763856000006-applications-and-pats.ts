import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The seed systems' additions: personal access tokens (Spatio), kept by signature like every token, and
 * the application settings of a client that is a Fluxer application (bot, description), beside its row.
 */
export class ApplicationsAndPatsSqlite1763856000006 implements MigrationInterface {
  name = 'ApplicationsAndPatsSqlite1763856000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "hydrant_personal_access_token" (
      "id" varchar(64) PRIMARY KEY NOT NULL,
      "signature" varchar(128) NOT NULL,
      "subject" varchar(255) NOT NULL,
      "name" varchar(255) NOT NULL DEFAULT '',
      "scope" text NOT NULL DEFAULT '',
      "created_at" bigint NOT NULL,
      "expires_at" bigint NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX "hydrant_personal_access_token_signature_idx" ON "hydrant_personal_access_token" ("signature")`);
    await q.query(`CREATE INDEX "hydrant_personal_access_token_subject_idx" ON "hydrant_personal_access_token" ("subject")`);
    await q.query(`CREATE INDEX "hydrant_personal_access_token_expires_idx" ON "hydrant_personal_access_token" ("expires_at")`);
    await q.query(`ALTER TABLE "hydrant_client" ADD COLUMN "application" text NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "hydrant_client" DROP COLUMN "application"`);
    await q.query(`DROP TABLE "hydrant_personal_access_token"`);
  }
}

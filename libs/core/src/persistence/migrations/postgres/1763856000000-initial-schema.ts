import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchemaPostgres1763856000000 implements MigrationInterface {
  name = 'InitialSchemaPostgres1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "hydrant_client" (
      "id" varchar(255) PRIMARY KEY,
      "client_name" varchar(255) NOT NULL DEFAULT '',
      "owner" varchar(255) NOT NULL DEFAULT '',
      "document" text NOT NULL,
      "secret_hash" varchar(255),
      "rotated_secret_hashes" text NOT NULL DEFAULT '[]',
      "registration_token_hash" varchar(255),
      "created_at" timestamptz NOT NULL,
      "updated_at" timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX "hydrant_client_name_idx" ON "hydrant_client" ("client_name")`);
    await q.query(`CREATE INDEX "hydrant_client_owner_idx" ON "hydrant_client" ("owner")`);
    await q.query(`CREATE TABLE "hydrant_setting" ("key" varchar(255) PRIMARY KEY, "value" text NOT NULL)`);
    await q.query(`CREATE TABLE "hydrant_rate_limit" (
      "bucket" varchar(255) PRIMARY KEY,
      "window_start" bigint NOT NULL,
      "hits" integer NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "hydrant_rate_limit"`);
    await q.query(`DROP TABLE "hydrant_setting"`);
    await q.query(`DROP TABLE "hydrant_client"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

export class KeysSqlite1763856000002 implements MigrationInterface {
  name = 'KeysSqlite1763856000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "hydrant_jwk" (
      "set_id" varchar(255) NOT NULL,
      "kid" varchar(255) NOT NULL,
      "alg" varchar(16) NOT NULL,
      "key_use" varchar(8) NOT NULL DEFAULT 'sig',
      "public_jwk" text NOT NULL,
      "private_jwk_jwe" text,
      "created_at" bigint NOT NULL,
      PRIMARY KEY ("set_id", "kid"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "hydrant_jwk"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trusted issuers of the JWT bearer grant (RFC 7523, Hydra's trust relationships). Each names its key in
 * the JWK set of its issuer; deleting the key (through the keys API) deletes the trusts that use it, as in
 * Hydra. One trust per issuer, subject ('' for any subject) and kid.
 */
export class TrustedJwtIssuersPostgres1763856000009 implements MigrationInterface {
  name = 'TrustedJwtIssuersPostgres1763856000009';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "hydrant_trusted_jwt_issuer" (
      "id" varchar(36) PRIMARY KEY,
      "issuer" varchar(255) NOT NULL,
      "subject" varchar(255) NOT NULL DEFAULT '',
      "allow_any_subject" boolean NOT NULL DEFAULT false,
      "scope" text NOT NULL DEFAULT '',
      "key_set" varchar(255) NOT NULL,
      "key_id" varchar(255) NOT NULL,
      "created_at" bigint NOT NULL,
      "expires_at" bigint NOT NULL,
      CONSTRAINT "hydrant_trusted_jwt_issuer_key_fk" FOREIGN KEY ("key_set", "key_id") REFERENCES "hydrant_jwk" ("set_id", "kid") ON DELETE CASCADE)`);
    await q.query(`CREATE UNIQUE INDEX "hydrant_trusted_jwt_issuer_unique_idx" ON "hydrant_trusted_jwt_issuer" ("issuer", "subject", "key_id")`);
    await q.query(`CREATE INDEX "hydrant_trusted_jwt_issuer_key_idx" ON "hydrant_trusted_jwt_issuer" ("key_set", "key_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "hydrant_trusted_jwt_issuer"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Device authorizations (RFC 8628): found by the device code's signature (the device polling) and by the
 * user code's HMAC (the device page), each unique; gone with their client.
 */
export class DeviceRequestsSqlite1763856000010 implements MigrationInterface {
  name = 'DeviceRequestsSqlite1763856000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "hydrant_device_request" (
      "id" varchar(64) PRIMARY KEY NOT NULL,
      "device_code_signature" varchar(128) NOT NULL,
      "user_code_hash" varchar(64) NOT NULL,
      "client_id" varchar(255) NOT NULL REFERENCES "hydrant_client" ("id") ON DELETE CASCADE,
      "scope" text NOT NULL DEFAULT '',
      "audience" text NOT NULL DEFAULT '[]',
      "state" varchar(16) NOT NULL,
      "csrf_hash" varchar(64),
      "verifier_hash" varchar(64),
      "flow_id" varchar(64),
      "created_at" bigint NOT NULL,
      "expires_at" bigint NOT NULL,
      "interval_ms" bigint NOT NULL,
      "last_polled_at" bigint)`);
    await q.query(`CREATE UNIQUE INDEX "hydrant_device_request_device_code_idx" ON "hydrant_device_request" ("device_code_signature")`);
    await q.query(`CREATE UNIQUE INDEX "hydrant_device_request_user_code_idx" ON "hydrant_device_request" ("user_code_hash")`);
    await q.query(`CREATE INDEX "hydrant_device_request_client_idx" ON "hydrant_device_request" ("client_id")`);
    await q.query(`CREATE INDEX "hydrant_device_request_expires_idx" ON "hydrant_device_request" ("expires_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "hydrant_device_request"`);
  }
}

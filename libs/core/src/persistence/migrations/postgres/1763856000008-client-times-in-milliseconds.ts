import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A client's created_at and updated_at become milliseconds since the epoch, as every other time column
 * is: they were timestamptz, the one column type every store had to read differently.
 */
export class ClientTimesInMillisecondsPostgres1763856000008 implements MigrationInterface {
  name = 'ClientTimesInMillisecondsPostgres1763856000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "hydrant_client"
      ALTER COLUMN "created_at" TYPE bigint USING ROUND(EXTRACT(EPOCH FROM "created_at") * 1000)::bigint,
      ALTER COLUMN "updated_at" TYPE bigint USING ROUND(EXTRACT(EPOCH FROM "updated_at") * 1000)::bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "hydrant_client"
      ALTER COLUMN "created_at" TYPE timestamptz USING to_timestamp("created_at" / 1000.0),
      ALTER COLUMN "updated_at" TYPE timestamptz USING to_timestamp("updated_at" / 1000.0)`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A client's created_at and updated_at become milliseconds since the epoch, as every other time column
 * is: they were TypeORM's datetime text, the one column type every store had to read differently.
 */
export class ClientTimesInMillisecondsSqlite1763856000008 implements MigrationInterface {
  name = 'ClientTimesInMillisecondsSqlite1763856000008';

  async up(q: QueryRunner): Promise<void> {
    for (const column of ['created_at', 'updated_at']) {
      await q.query(`ALTER TABLE "hydrant_client" ADD COLUMN "${column}_ms" bigint NOT NULL DEFAULT 0`);
      // TypeORM wrote UTC as "YYYY-MM-DD HH:MM:SS.SSS"; %f is "SS.SSS", so its last three digits are the milliseconds.
      await q.query(`UPDATE "hydrant_client" SET "${column}_ms" = CAST(strftime('%s', "${column}") AS INTEGER) * 1000
        + CAST(substr(strftime('%f', "${column}"), 4) AS INTEGER)`);
      await q.query(`ALTER TABLE "hydrant_client" DROP COLUMN "${column}"`);
      await q.query(`ALTER TABLE "hydrant_client" RENAME COLUMN "${column}_ms" TO "${column}"`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const column of ['created_at', 'updated_at']) {
      await q.query(`ALTER TABLE "hydrant_client" ADD COLUMN "${column}_text" datetime NOT NULL DEFAULT ''`);
      await q.query(`UPDATE "hydrant_client" SET "${column}_text" = strftime('%Y-%m-%d %H:%M:%f', "${column}" / 1000.0, 'unixepoch')`);
      await q.query(`ALTER TABLE "hydrant_client" DROP COLUMN "${column}"`);
      await q.query(`ALTER TABLE "hydrant_client" RENAME COLUMN "${column}_text" TO "${column}"`);
    }
  }
}

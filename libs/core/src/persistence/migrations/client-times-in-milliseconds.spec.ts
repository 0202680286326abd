import 'reflect-metadata';
import { MigrationInterface } from 'typeorm';
import { createPostgresDatabase } from '../../../../../test/support/test-database';
import { createDataSource } from '../data-source.factory';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from './index';

const describePg = process.env.TEST_PG !== 'off' ? describe : describe.skip;

/** 2025-11-23T10:20:30.456Z, as the earlier schema stored it per dialect. */
const CREATED_MS = Date.UTC(2025, 10, 23, 10, 20, 30, 456);
const UPDATED_MS = Date.UTC(2026, 0, 2, 3, 4, 5, 6);

/**
 * A client written before the migration keeps its times to the millisecond, and they come back as the
 * bigint milliseconds every other time column holds; down() restores the earlier column.
 */
function convertsClientTimes(dialect: 'sqlite' | 'postgres', migrations: Array<new () => MigrationInterface>, stamp: (ms: number) => string) {
  it('turns a client’s created_at and updated_at into milliseconds since the epoch, and back', async () => {
    const pg = dialect === 'postgres' ? await createPostgresDatabase() : undefined;
    const dataSource = createDataSource({ dsn: pg?.dsn ?? 'memory', dbBusyTimeout: 1000, dbPoolSize: 1 });
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    try {
      const at = migrations.findIndex((M) => M.name.startsWith('ClientTimesInMilliseconds'));
      const last = new migrations[at]();
      for (const M of migrations.slice(0, at)) await new M().up(runner);
      await runner.query(`INSERT INTO "hydrant_client" ("id", "document", "created_at", "updated_at") VALUES ('old', '{}', ${stamp(CREATED_MS)}, ${stamp(UPDATED_MS)})`);

      await last.up(runner);
      const [row] = await runner.query(`SELECT "created_at", "updated_at" FROM "hydrant_client" WHERE "id" = 'old'`);
      expect([Number(row.created_at), Number(row.updated_at)]).toEqual([CREATED_MS, UPDATED_MS]);

      await last.down(runner);
      const [back] = await runner.query(`SELECT "created_at", "updated_at" FROM "hydrant_client" WHERE "id" = 'old'`);
      const asMs = (v: string | Date) => (v instanceof Date ? v.getTime() : Date.parse(`${v.replace(' ', 'T')}Z`));
      expect([asMs(back.created_at), asMs(back.updated_at)]).toEqual([CREATED_MS, UPDATED_MS]);
    } finally {
      await runner.release();
      await dataSource.destroy();
      await pg?.drop();
    }
  });
}

describe('the client-times migration on SQLite', () => {
  // TypeORM wrote UTC datetimes as "YYYY-MM-DD HH:MM:SS.SSS".
  convertsClientTimes('sqlite', SQLITE_MIGRATIONS, (ms) => `'${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}'`);
});

describePg('the client-times migration on PostgreSQL', () => {
  convertsClientTimes('postgres', POSTGRES_MIGRATIONS, (ms) => `'${new Date(ms).toISOString()}'::timestamptz`);
});

import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/core/src/persistence/data-source.factory';
import { migrateUp } from '../../libs/core/src/persistence/migrator';

/** The PostgreSQL server of this machine and of CI (trust auth). */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Creates an empty PostgreSQL database for one spec file; `drop` removes it. */
export async function createPostgresDatabase(): Promise<{ dsn: string; drop: () => Promise<void> }> {
  const name = `hydrant_test_${randomBytes(6).toString('hex')}`;
  const admin = new PgClient({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dsn: url.toString(),
    drop: async () => {
      const c = new PgClient({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * A migrated database of its own for a spec: SQLite in memory, or a fresh PostgreSQL database that
 * `drop` removes once the data source is destroyed.
 */
export async function openMigratedDataSource(dialect: 'sqlite' | 'postgres'): Promise<{ dataSource: DataSource; drop: () => Promise<void> }> {
  const pg = dialect === 'postgres' ? await createPostgresDatabase() : undefined;
  const dataSource = createDataSource({ dsn: pg?.dsn ?? 'memory', dbBusyTimeout: 1000, dbPoolSize: pg ? 4 : 1 });
  await dataSource.initialize();
  await migrateUp(dataSource);
  return { dataSource, drop: pg?.drop ?? (async () => undefined) };
}

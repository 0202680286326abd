import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { HydrantConfig } from '../config/hydrant.config';
import { parseDsn } from './dsn';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations';
import { finalizeSqliteStatements } from './sqlite-statements';

export const MIGRATIONS_TABLE = 'hydrant_migrations';

/**
 * Builds the TypeORM options for the configured DSN. The schema comes from explicit migrations per dialect,
 * never from `synchronize`. SQLite files use WAL (readers never block the writer), foreign keys and a busy
 * timeout, so that several worker processes can write to one file.
 */
export function dataSourceOptions(config: Pick<HydrantConfig, 'dsn' | 'dbBusyTimeout' | 'dbPoolSize'>): DataSourceOptions {
  const dsn = parseDsn(config.dsn);
  if (dsn.dialect === 'postgres') {
    return {
      type: 'postgres',
      url: dsn.url,
      migrations: POSTGRES_MIGRATIONS,
      migrationsTableName: MIGRATIONS_TABLE,
      migrationsTransactionMode: 'all',
      extra: { max: config.dbPoolSize },
    };
  }
  if (!dsn.inMemory) mkdirSync(dirname(dsn.path), { recursive: true });
  return {
    type: 'sqlite',
    driver: quietSqlite3(),
    database: dsn.path,
    enableWAL: !dsn.inMemory,
    busyTimeout: config.dbBusyTimeout,
    migrations: SQLITE_MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'all',
  };
}

/**
 * sqlite3 without its verbose mode. TypeORM always calls `sqlite3.verbose()`, which wraps every statement
 * to capture a stack trace: a third of the CPU of an issued token. Errors still carry the SQL.
 */
function quietSqlite3(): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sqlite3 = require('sqlite3') as object;
  return Object.assign(Object.create(sqlite3) as object, { verbose: () => sqlite3 });
}

/** A DataSource that finalizes its prepared statements before it closes: SQLite refuses to close with some left. */
class HydrantDataSource extends DataSource {
  override async destroy(): Promise<void> {
    await finalizeSqliteStatements(this);
    await super.destroy();
  }
}

export function createDataSource(config: Pick<HydrantConfig, 'dsn' | 'dbBusyTimeout' | 'dbPoolSize'>): DataSource {
  return new HydrantDataSource(dataSourceOptions(config));
}

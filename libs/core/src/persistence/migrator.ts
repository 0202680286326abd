import { DataSource } from 'typeorm';

export interface MigrationStatus {
  name: string;
  applied: boolean;
}

/** An arbitrary, fixed key for PostgreSQL's advisory lock that serialises migrations across instances. */
const MIGRATION_LOCK_KEY = 4_444_445;

/**
 * Applies pending migrations once, however many instances start at the same moment: on PostgreSQL the
 * runner holds a session-level advisory lock, so a second instance waits and then finds nothing to do.
 * On SQLite all migrations run in one transaction, which takes the file's write lock.
 */
export async function migrateUp(dataSource: DataSource): Promise<string[]> {
  if (dataSource.options.type !== 'postgres') {
    return (await dataSource.runMigrations({ transaction: 'all' })).map((m) => m.name);
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return (await dataSource.runMigrations({ transaction: 'all' })).map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}

/** Every known migration and whether it has been applied. */
export async function migrationStatus(dataSource: DataSource): Promise<MigrationStatus[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const table = dataSource.options.migrationsTableName ?? 'migrations';
    const exists = await runner.hasTable(table);
    const applied = new Set<string>(
      exists ? (await runner.query(`SELECT name FROM "${table}"`)).map((row: { name: string }) => row.name) : [],
    );
    return dataSource.migrations.map((m) => ({ name: m.name ?? m.constructor.name, applied: applied.has(m.name ?? '') }));
  } finally {
    await runner.release();
  }
}

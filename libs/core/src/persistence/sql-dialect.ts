import { DataSource, EntityManager } from 'typeorm';

/** Positional parameters in the dialect's syntax: `?` for SQLite, `$1…` for PostgreSQL. */
export function placeholders(dataSource: DataSource): (index: number) => string {
  return dataSource.options.type === 'postgres' ? (i) => `$${i + 1}` : () => '?';
}

/** A boolean as the driver binds it (SQLite has no boolean type). */
export function sqlBoolean(dataSource: DataSource, value: boolean): boolean | number {
  return dataSource.options.type === 'postgres' ? value : value ? 1 : 0;
}

/**
 * Runs one write and answers how many rows it changed. Guarded updates (`… WHERE state = $from`) use the
 * count to learn whether they won: that is what makes a challenge, a verifier or a code single use across
 * processes and instances. Inside a unit of work pass its manager.
 */
export async function executeWrite(dataSource: DataSource, sql: string, params: unknown[], manager?: EntityManager): Promise<number> {
  const runner = manager?.queryRunner ?? dataSource.createQueryRunner();
  try {
    const result = await runner.query(sql, params, true);
    return result.affected ?? 0;
  } finally {
    if (!manager?.queryRunner) await runner.release();
  }
}

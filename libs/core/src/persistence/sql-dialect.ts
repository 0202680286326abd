import { DataSource } from 'typeorm';
import { database, unitOfWork } from './unit-of-work';

/** Positional parameters in the dialect's syntax: `?` for SQLite, `$1…` for PostgreSQL. */
export function placeholders(dataSource: DataSource): (index: number) => string {
  return dataSource.options.type === 'postgres' ? (i) => `$${i + 1}` : () => '?';
}

/** A boolean as the driver binds it (SQLite has no boolean type). */
export function sqlBoolean(dataSource: DataSource, value: boolean): boolean | number {
  return dataSource.options.type === 'postgres' ? value : value ? 1 : 0;
}

/** A boolean written into SQL text, for a condition the planner must see to use a partial index. */
export function sqlBooleanLiteral(dataSource: DataSource, value: boolean): string {
  return String(sqlBoolean(dataSource, value));
}

/**
 * Runs one write and answers how many rows it changed. Guarded updates (`… WHERE state = $from`) use the
 * count to learn whether they won: that is what makes a challenge, a verifier or a code single use across
 * processes and instances. Inside a unit of work it is part of it.
 */
export async function executeWrite(dataSource: DataSource, sql: string, params: unknown[]): Promise<number> {
  const manager = unitOfWork(dataSource);
  const runner = manager?.queryRunner ?? dataSource.createQueryRunner();
  try {
    const result = await runner.query(sql, params, true);
    return result.affected ?? 0;
  } finally {
    if (!manager?.queryRunner) await runner.release();
  }
}

/**
 * Deletes up to `batchSize` rows of `table` that match `where` (written with this dialect's placeholders
 * for `params`) and answers how many. Two short statements, a select of keys then a delete by key, so
 * that a flush never holds the write lock for long whatever it has to delete.
 */
export async function deleteBatch(
  dataSource: DataSource,
  table: string,
  key: string,
  where: string,
  params: unknown[],
  batchSize: number,
): Promise<number> {
  const rows: Array<Record<string, unknown>> = await database(dataSource).query(
    `SELECT "${key}" FROM "${table}" WHERE ${where} LIMIT ${Math.floor(batchSize)}`,
    params,
  );
  if (rows.length === 0) return 0;
  const param = placeholders(dataSource);
  await database(dataSource).query(`DELETE FROM "${table}" WHERE "${key}" IN (${rows.map((_, i) => param(i)).join(', ')})`, rows.map((r) => r[key]));
  return rows.length;
}

import { DataSource } from 'typeorm';

/** Positional parameters in the dialect's syntax: `?` for SQLite, `$1…` for PostgreSQL. */
export function placeholders(dataSource: DataSource): (index: number) => string {
  return dataSource.options.type === 'postgres' ? (i) => `$${i + 1}` : () => '?';
}

/** A boolean as the driver binds it (SQLite has no boolean type). */
export function sqlBoolean(dataSource: DataSource, value: boolean): boolean | number {
  return dataSource.options.type === 'postgres' ? value : value ? 1 : 0;
}

import type { Database } from 'sqlite3';
import { DataSource } from 'typeorm';
import { SqliteDriver } from 'typeorm/driver/sqlite/SqliteDriver';
import { SqliteQueryRunner } from 'typeorm/driver/sqlite/SqliteQueryRunner';

/**
 * The one place that relies on how TypeORM's SQLite driver works inside (typeorm is pinned to an exact
 * version in package.json; typeorm-sqlite.adapter.spec.ts fails loudly if a new version works otherwise):
 * - the driver hands every caller one shared query runner (`driver.queryRunner`), which the connection's
 *   gate replaces with one of its own;
 * - a query runner believes a transaction is open only once its own `startTransaction()` ran, and
 *   `save()` opens one of its own otherwise;
 * - the driver's sqlite3 connection, for prepared statements TypeORM has no API for.
 */

/** A query runner whose `manager` uses it: what the driver would create, as a subclass if given. */
export function queryRunnerFor<R extends SqliteQueryRunner>(dataSource: DataSource, create: (driver: SqliteDriver) => R): R {
  const runner = create(dataSource.driver as SqliteDriver);
  Object.assign(runner, { manager: dataSource.createEntityManager(runner) });
  return runner;
}

/** Makes `runner` the one every statement outside a unit of work goes through (`dataSource.query`, and so migrations). */
export function replaceSharedQueryRunner(dataSource: DataSource, runner: SqliteQueryRunner): void {
  (dataSource.driver as SqliteDriver).queryRunner = runner;
}

/**
 * Tells `runner` that a transaction Hydrant began itself (`BEGIN IMMEDIATE`, which TypeORM cannot issue)
 * is open or closed: while open, `save()` joins it and a nested `transaction()` becomes a savepoint.
 */
export function markTransaction(runner: SqliteQueryRunner, open: boolean): void {
  const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  state.isTransactionActive = open;
  state.transactionDepth = open ? 1 : 0;
}

/** The driver's sqlite3 connection. */
export function nativeConnection(dataSource: DataSource): Database {
  return (dataSource.driver as SqliteDriver).databaseConnection as Database;
}

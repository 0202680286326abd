import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Database } from 'sqlite3';
import { DataSource } from 'typeorm';
import { SqliteQueryRunner } from 'typeorm/driver/sqlite/SqliteQueryRunner';
import { openMigratedDataSource } from '../../../../test/support/test-database';
import { markTransaction, nativeConnection, queryRunnerFor, replaceSharedQueryRunner } from './typeorm-sqlite.adapter';

/**
 * What typeorm-sqlite.adapter.ts relies on inside TypeORM. A failure here means a new TypeORM works
 * otherwise: the SQLite connection gate, units of work or prepared statements would break silently.
 */
describe('the TypeORM internals the SQLite adapter relies on', () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = (await openMigratedDataSource('sqlite')).dataSource;
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
  });

  const keys = async () => ((await dataSource.query('SELECT "key" FROM "hydrant_setting" ORDER BY "key"')) as Array<{ key: string }>).map((r) => r.key);
  const insert = (key: string) => `INSERT INTO "hydrant_setting" ("key", "value") VALUES ('${key}', 'v')`;

  it('is the TypeORM version package.json pins exactly', () => {
    const root = path.join(__dirname, '../../../..');
    const pinned = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies.typeorm;
    const installed = JSON.parse(readFileSync(path.join(root, 'node_modules/typeorm/package.json'), 'utf8')).version;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed).toBe(pinned);
  });

  it('sends every statement outside a unit of work through the shared query runner it was given', async () => {
    const seen: string[] = [];
    class Recording extends SqliteQueryRunner {
      override query(...args: Parameters<SqliteQueryRunner['query']>): ReturnType<SqliteQueryRunner['query']> {
        seen.push(args[0]);
        return super.query(...args);
      }
    }
    replaceSharedQueryRunner(dataSource, queryRunnerFor(dataSource, (driver) => new Recording(driver)));
    await dataSource.query('SELECT 1');
    await dataSource.manager.query(insert('shared.a'));
    await dataSource.manager.query(`SELECT "value" FROM "hydrant_setting" WHERE "key" = 'shared.a'`);
    expect(seen).toEqual([
      'SELECT 1',
      expect.stringMatching(/^INSERT INTO "hydrant_setting"/),
      expect.stringMatching(/^SELECT .* FROM "hydrant_setting"/),
    ]);
  });

  it('lets statements and a nested transaction join a transaction begun by hand once it is marked open, and forgets it once marked closed', async () => {
    const runner = queryRunnerFor(dataSource, (driver) => new SqliteQueryRunner(driver));
    await runner.query('BEGIN IMMEDIATE');
    markTransaction(runner, true);
    await runner.manager.query(insert('marked.saved'));
    await runner.manager.transaction((inner) => inner.query(insert('marked.nested')));
    expect(runner.isTransactionActive).toBe(true);
    await runner.query('ROLLBACK');
    markTransaction(runner, false);
    expect(await keys()).toEqual([]);
    // Closed: a nested transaction opens (and commits) a transaction of its own again.
    await runner.manager.transaction((inner) => inner.query(insert('marked.after')));
    expect(await keys()).toEqual(['marked.after']);
    await runner.release();
  });

  it('answers the sqlite3 connection TypeORM itself writes through', async () => {
    const connection = nativeConnection(dataSource);
    expect(connection).toBeInstanceOf(Database);
    await dataSource.query('BEGIN');
    await dataSource.query(`INSERT INTO "hydrant_setting" ("key", "value") VALUES ('native.a', 'v')`);
    // Uncommitted, so visible only on the same connection.
    const rows = await new Promise<unknown[]>((resolve, reject) =>
      connection.all(`SELECT "key" FROM "hydrant_setting" WHERE "key" = 'native.a'`, (e: Error | null, r: unknown[]) => (e ? reject(e) : resolve(r))),
    );
    await dataSource.query('ROLLBACK');
    expect(rows).toEqual([{ key: 'native.a' }]);
  });
});

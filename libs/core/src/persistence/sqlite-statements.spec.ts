import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { openMigratedDataSource } from '../../../../test/support/test-database';
import { finalizeSqliteStatements, sqliteStatements } from './sqlite-statements';
import { TransactionRunner } from './transaction.runner';
import { nativeConnection } from './typeorm-sqlite.adapter';
import { unitOfWork } from './unit-of-work';

/** Where TypeORM's own API sends a statement from the running code: the unit of work it is in, else the shared connection. */
const database = (dataSource: DataSource) => unitOfWork(dataSource) ?? dataSource.manager;

describe('SqliteStatements', () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = (await openMigratedDataSource('sqlite')).dataSource;
  });
  afterEach(async () => {
    await finalizeSqliteStatements(dataSource);
    if (dataSource.isInitialized) await dataSource.destroy();
  });

  const insert = (key: string) => sqliteStatements(dataSource).all('INSERT INTO "hydrant_setting" ("key", "value") VALUES (?, ?)', [key, 'v']);
  const keys = () => sqliteStatements(dataSource).all<{ key: string }>('SELECT "key" FROM "hydrant_setting" WHERE "key" LIKE ? ORDER BY "key"', ['prep.%']);

  it('runs writes and queries through statements it prepares once and reuses', async () => {
    const prepare = jest.spyOn(nativeConnection(dataSource), 'prepare');
    for (const key of ['prep.a', 'prep.b', 'prep.c']) await insert(key);
    expect((await keys()).map((r) => r.key)).toEqual(['prep.a', 'prep.b', 'prep.c']);
    expect(await keys()).toHaveLength(3);
    expect(prepare).toHaveBeenCalledTimes(2);
  });

  it('reports a failing statement, and the statement still works afterwards', async () => {
    await insert('prep.dup');
    await expect(insert('prep.dup')).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
    await insert('prep.other');
    expect((await keys()).map((r) => r.key)).toEqual(['prep.dup', 'prep.other']);
  });

  it('keeps its writes out of a unit of work that is open meanwhile', async () => {
    const runner = new TransactionRunner(dataSource);
    let written!: Promise<unknown>;
    await expect(
      runner.run(async () => {
        await database(dataSource).query(`INSERT INTO "hydrant_setting" ("key", "value") VALUES ('prep.tx', 'v')`);
        written = insert('prep.outside');
        await sleep(5);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await written;
    expect((await keys()).map((r) => r.key)).toEqual(['prep.outside']);
  });

  it('finalizes its statements, after which the connection closes', async () => {
    await insert('prep.a');
    await keys();
    await finalizeSqliteStatements(dataSource);
    await expect(dataSource.destroy()).resolves.toBeUndefined();
  });
});

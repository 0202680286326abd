import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { makeReadOnly } from '../../../../test/support/read-only-file';
import { createPostgresDatabase, openMigratedDataSource } from '../../../../test/support/test-database';
import { createDataSource } from '../persistence/data-source.factory';
import { migrateUp } from '../persistence/migrator';
import { TransactionRunner } from '../persistence/transaction.runner';
import { DatabaseWriteProbe } from './database-write.probe';

const describePg = process.env.TEST_PG !== 'off' ? describe : describe.skip;

const settingKeys = async (ds: DataSource) => ((await ds.query(`SELECT "key" FROM "hydrant_setting"`)) as Array<{ key: string }>).map((r) => r.key);

describe('DatabaseWriteProbe on SQLite', () => {
  let dir: string;
  let dataSource: DataSource;
  let probe: DatabaseWriteProbe;
  let transactions: TransactionRunner;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hydrant-probe-'));
    dataSource = createDataSource({ dsn: `sqlite://${path.join(dir, 'db.sqlite')}`, dbBusyTimeout: 500, dbPoolSize: 1 });
    await dataSource.initialize();
    await migrateUp(dataSource);
    transactions = new TransactionRunner(dataSource);
    probe = new DatabaseWriteProbe(dataSource, transactions);
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds a writable database writable, and leaves nothing behind', async () => {
    const before = await settingKeys(dataSource);
    expect(await probe.check()).toEqual({ writable: true });
    expect(await settingKeys(dataSource)).toEqual(before);
  });

  it('fails when the write itself fails, although reads still answer', async () => {
    await dataSource.query(`CREATE TRIGGER "refuse" BEFORE INSERT ON "hydrant_setting" BEGIN SELECT RAISE(ABORT, 'the disk refuses writes'); END`);
    expect(await dataSource.query('SELECT 1 AS "one"')).toEqual([{ one: 1 }]);
    expect(await probe.check()).toEqual({ writable: false, reason: expect.stringContaining('the disk refuses writes') });
  });

  it('fails once the database file is read-only, although the open connection could still write', async () => {
    const makeWritable = makeReadOnly(path.join(dir, 'db.sqlite'));
    try {
      expect(await probe.check()).toEqual({ writable: false, reason: expect.stringMatching(/EACCES|EPERM|permission/i) });
    } finally {
      makeWritable();
    }
  });

  it('answers from one probe for two seconds, however often it is asked', async () => {
    const run = jest.spyOn(transactions, 'run');
    await Promise.all([probe.check(), probe.check()]);
    await probe.check();
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('fails at once when the connection is closed, without waiting for the cached answer to age', async () => {
    expect(await probe.check()).toEqual({ writable: true });
    await dataSource.destroy();
    expect(await probe.check()).toEqual({ writable: false, reason: expect.any(String) });
  });
});

describe('DatabaseWriteProbe on SQLite in memory', () => {
  it('finds it writable', async () => {
    const { dataSource } = await openMigratedDataSource('sqlite');
    try {
      expect(await new DatabaseWriteProbe(dataSource, new TransactionRunner(dataSource)).check()).toEqual({ writable: true });
    } finally {
      await dataSource.destroy();
    }
  });
});

describePg('DatabaseWriteProbe on PostgreSQL', () => {
  it('finds a writable database writable, leaves nothing behind, and fails once the database only takes reads', async () => {
    const pg = await createPostgresDatabase();
    const open = async () => {
      const ds = createDataSource({ dsn: pg.dsn, dbBusyTimeout: 1000, dbPoolSize: 2 });
      await ds.initialize();
      return ds;
    };
    let dataSource = await open();
    try {
      await migrateUp(dataSource);
      const before = await settingKeys(dataSource);
      expect(await new DatabaseWriteProbe(dataSource, new TransactionRunner(dataSource)).check()).toEqual({ writable: true });
      expect(await settingKeys(dataSource)).toEqual(before);

      // As a standby or a server whose transactions are read-only by configuration: reads answer, writes fail.
      const name = new URL(pg.dsn).pathname.slice(1);
      await dataSource.query(`ALTER DATABASE "${name}" SET default_transaction_read_only = on`);
      await dataSource.destroy();
      dataSource = await open();
      expect(await dataSource.query('SELECT 1 AS "one"')).toEqual([{ one: 1 }]);
      expect(await new DatabaseWriteProbe(dataSource, new TransactionRunner(dataSource)).check()).toEqual({ writable: false, reason: expect.stringContaining('read-only') });
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await pg.drop();
    }
  });
});

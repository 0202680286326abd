import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, EntityManager } from 'typeorm';
import { openMigratedDataSource } from '../../../../test/support/test-database';
import { sql } from './sql';
import { sqlDatabase } from './sql-database';
import { TransactionRunner } from './transaction.runner';
import { unitOfWork } from './unit-of-work';

/** Where TypeORM's own API sends a statement from the running code: the unit of work it is in, else the shared connection. */
const database = (dataSource: DataSource) => unitOfWork(dataSource) ?? dataSource.manager;

const describePg = process.env.TEST_PG !== 'off' ? describe : describe.skip;

async function openSqlite(): Promise<DataSource> {
  return (await openMigratedDataSource('sqlite')).dataSource;
}

async function settingKeys(dataSource: DataSource, prefix: string): Promise<string[]> {
  const rows: Array<{ key: string }> = await dataSource.query('SELECT "key" FROM "hydrant_setting" ORDER BY "key"');
  return rows.map((r) => r.key).filter((k) => k.startsWith(prefix));
}

/** Inserts a setting where the running code is: inside a unit of work, with it. */
const insertSetting = (dataSource: DataSource, key: string, value = 'v') =>
  sqlDatabase(dataSource).run(sql`INSERT INTO "hydrant_setting" ("key", "value") VALUES (${key}, ${value})`);

/** What every dialect must do: all of a unit of work lands, or none of it. */
function atomicity(open: () => Promise<DataSource>) {
  let dataSource: DataSource;
  let runner: TransactionRunner;

  beforeAll(async () => {
    dataSource = await open();
    runner = new TransactionRunner(dataSource);
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
  });

  it('commits a unit of work and returns its result', async () => {
    const result = await runner.run(async () => {
      await insertSetting(dataSource, 'commit.a');
      await insertSetting(dataSource, 'commit.b');
      return 'done';
    });
    expect(result).toBe('done');
    expect(await settingKeys(dataSource, 'commit.')).toEqual(['commit.a', 'commit.b']);
  });

  it('rolls back every row of a failing unit of work and rethrows its error', async () => {
    const failure = new Error('the second step failed');
    await expect(
      runner.run(async () => {
        await insertSetting(dataSource, 'rollback.a');
        await sqlDatabase(dataSource).run(sql`UPDATE "hydrant_setting" SET "value" = 'changed' WHERE "key" = 'commit.a'`);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await settingKeys(dataSource, 'rollback.')).toEqual([]);
    expect(await dataSource.query(`SELECT "value" FROM "hydrant_setting" WHERE "key" = 'commit.a'`)).toEqual([{ value: 'v' }]);
  });

  it('rolls back when a statement fails half way (unique violation)', async () => {
    await expect(
      runner.run(async () => {
        await insertSetting(dataSource, 'dup.a');
        await insertSetting(dataSource, 'dup.a');
      }),
    ).rejects.toThrow();
    expect(await settingKeys(dataSource, 'dup.')).toEqual([]);
  });

  it('lets the unit of work read what it wrote before it commits', async () => {
    const seen = await runner.run(async () => {
      await insertSetting(dataSource, 'read-own.a', '1');
      return sqlDatabase(dataSource).all(sql`SELECT "value" FROM "hydrant_setting" WHERE "key" = ${'read-own.a'}`);
    });
    expect(seen).toEqual([{ value: '1' }]);
  });

  it('rolls back a guarded write when the unit of work fails', async () => {
    await expect(
      runner.run(async () => {
        await insertSetting(dataSource, 'save-rollback.a', '1');
        expect(await sqlDatabase(dataSource).run(sql`UPDATE "hydrant_setting" SET "value" = '2' WHERE "key" = 'save-rollback.a' AND "value" = '1'`)).toBe(1);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await settingKeys(dataSource, 'save-rollback.')).toEqual([]);
  });

  it('lets statements outside a unit of work run after one failed', async () => {
    await expect(
      runner.run(async () => {
        await insertSetting(dataSource, 'outside.rolled-back', '1');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await insertSetting(dataSource, 'outside.a', '1');
    await dataSource.manager.transaction((manager) => manager.query(`INSERT INTO "hydrant_setting" ("key", "value") VALUES ('outside.b', '1')`));
    expect(await settingKeys(dataSource, 'outside.')).toEqual(['outside.a', 'outside.b']);
  });

  it('keeps what code outside the unit of work writes meanwhile out of it, so that its rollback cannot take it', async () => {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    // Registered outside the unit, as another request's code is: it runs while the unit is open.
    const outside = turn.then(() => insertSetting(dataSource, 'apart.outside'));
    await expect(
      runner.run(async () => {
        await insertSetting(dataSource, 'apart.inside');
        release();
        await sleep(5);
        throw new Error('the unit of work fails');
      }),
    ).rejects.toThrow('the unit of work fails');
    await outside;
    expect(await settingKeys(dataSource, 'apart.')).toEqual(['apart.outside']);
  });

  it('joins a run inside another to the outer unit of work: it commits and rolls back with it', async () => {
    await runner.run(async () => {
      await runner.run(() => insertSetting(dataSource, 'join.a.inner'));
      await insertSetting(dataSource, 'join.a.outer');
    });
    await expect(
      runner.run(async () => {
        await runner.run(() => insertSetting(dataSource, 'join.b.inner'));
        await insertSetting(dataSource, 'join.b.outer');
        throw new Error('the outer unit fails');
      }),
    ).rejects.toThrow('the outer unit fails');
    expect(await settingKeys(dataSource, 'join.')).toEqual(['join.a.inner', 'join.a.outer']);
  });

  it('lets the unit of work nest a transaction', async () => {
    await runner.run(async () => {
      await insertSetting(dataSource, 'nest.outer');
      await database(dataSource).transaction((inner: EntityManager) => inner.query(`INSERT INTO "hydrant_setting" ("key", "value") VALUES ('nest.inner', 'v')`));
    });
    expect(await settingKeys(dataSource, 'nest.')).toEqual(['nest.inner', 'nest.outer']);
  });

  it('rolls back only a failing nested transaction whose error the unit of work handles', async () => {
    await runner.run(async () => {
      await insertSetting(dataSource, 'nest2.outer');
      await expect(
        database(dataSource).transaction(async (inner: EntityManager) => {
          await inner.query(`INSERT INTO "hydrant_setting" ("key", "value") VALUES ('nest2.inner', 'v')`);
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
      await insertSetting(dataSource, 'nest2.after');
    });
    expect(await settingKeys(dataSource, 'nest2.')).toEqual(['nest2.after', 'nest2.outer']);
  });

  it('keeps working after a failure', async () => {
    await expect(runner.run(async () => Promise.reject(new Error('first fails')))).rejects.toThrow('first fails');
    await runner.run(() => insertSetting(dataSource, 'after.a'));
    expect(await settingKeys(dataSource, 'after.')).toEqual(['after.a']);
  });
}

describe('TransactionRunner on SQLite', () => {
  describe('atomicity', () => atomicity(openSqlite));

  describe('concurrency', () => {
    let dataSource: DataSource;
    let runner: TransactionRunner;

    beforeEach(async () => {
      dataSource = await openSqlite();
      runner = new TransactionRunner(dataSource);
    });
    afterEach(async () => {
      if (dataSource?.isInitialized) await dataSource.destroy();
    });

    it('runs concurrent units of work one after the other and commits them all', async () => {
      let inside = 0;
      let mostInside = 0;
      const order: string[] = [];
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          runner.run(async () => {
            inside += 1;
            mostInside = Math.max(mostInside, inside);
            order.push(`start ${i}`);
            await insertSetting(dataSource, `tx${String(i).padStart(2, '0')}.a`);
            await sleep(2);
            await insertSetting(dataSource, `tx${String(i).padStart(2, '0')}.b`);
            order.push(`end ${i}`);
            inside -= 1;
          }),
        ),
      );
      expect(mostInside).toBe(1);
      expect(order).toEqual(Array.from({ length: 20 }, (_, i) => [`start ${i}`, `end ${i}`]).flat());
      const keys = await settingKeys(dataSource, 'tx');
      expect(keys).toHaveLength(40);
      expect(keys).toEqual(Array.from({ length: 20 }, (_, i) => [`tx${String(i).padStart(2, '0')}.a`, `tx${String(i).padStart(2, '0')}.b`]).flat());
    });

    it('rolls back only the failing one of several concurrent units of work, and runs the ones queued after it', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          runner.run(async () => {
            await insertSetting(dataSource, `mix${i}.a`);
            await sleep(1);
            if (i % 3 === 1) throw new Error(`unit ${i} fails`);
            await insertSetting(dataSource, `mix${i}.b`);
            return i;
          }),
        ),
      );
      const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
      expect(failed).toEqual([1, 4, 7]);
      const keys = await settingKeys(dataSource, 'mix');
      const committed = [0, 2, 3, 5, 6, 8, 9];
      expect(keys.sort()).toEqual(committed.flatMap((i) => [`mix${i}.a`, `mix${i}.b`]).sort());
    });

    it('keeps a statement another request sends meanwhile out of an open unit of work, so that its rollback cannot take it', async () => {
      let statementSent!: Promise<unknown>;
      const failing = runner.run(async () => {
        await insertSetting(dataSource, 'alone.tx');
        statementSent = dataSource.query(`INSERT INTO "hydrant_setting" ("key", "value") VALUES ('alone.statement', 'v')`);
        await sleep(5);
        throw new Error('the unit of work fails');
      });
      await expect(failing).rejects.toThrow('the unit of work fails');
      await statementSent;
      expect(await settingKeys(dataSource, 'alone.')).toEqual(['alone.statement']);
    });

    it('starts a unit of work only once the statements in flight are done', async () => {
      const order: string[] = [];
      const statements = Array.from({ length: 5 }, (_, i) =>
        dataSource.query(`INSERT INTO "hydrant_setting" ("key", "value") VALUES ('flight.${i}', 'v')`).then(() => order.push(`statement ${i}`)),
      );
      const unit = runner.run(async () => {
        order.push('unit starts');
        return (await database(dataSource).query(`SELECT COUNT(*) AS n FROM "hydrant_setting" WHERE "key" LIKE 'flight.%'`)) as Array<{ n: number }>;
      });
      await Promise.all(statements);
      expect(Number((await unit)[0].n)).toBe(5);
      expect(order.indexOf('unit starts')).toBe(5);
    });

    it('serves statements and units of work in arrival order, so that units arriving all the time cannot starve a statement', async () => {
      const order: string[] = [];
      const unit = (name: string, ms: number) =>
        runner.run(async () => {
          order.push(`${name} starts`);
          await sleep(ms);
          order.push(`${name} ends`);
        });
      const first = unit('unit 1', 20);
      const statement = dataSource.query('SELECT 1').then(() => order.push('statement'));
      const second = unit('unit 2', 1);
      await Promise.all([first, statement, second]);
      expect(order).toEqual(['unit 1 starts', 'unit 1 ends', 'statement', 'unit 2 starts', 'unit 2 ends']);
    });

    it('fails, instead of hanging, a statement that a unit of work waits for (one sent straight to the DataSource, past the unit it runs in)', async () => {
      const started = Date.now();
      await expect(runner.run(() => dataSource.query('SELECT 1'))).rejects.toThrow(/waited over 1000 ms/);
      expect(Date.now() - started).toBeLessThan(5000);
      await runner.run(() => insertSetting(dataSource, 'after-timeout.a'));
      expect(await settingKeys(dataSource, 'after-timeout.')).toEqual(['after-timeout.a']);
    });

    it('starts the next unit of work only after the one whose statement gave up waiting', async () => {
      const order: string[] = [];
      const first = runner.run(async () => {
        await expect(dataSource.query('SELECT 1')).rejects.toThrow(/waited over/);
        await sleep(50);
        order.push('unit 1 ends');
      });
      await sleep(10);
      const second = runner.run(async () => order.push('unit 2 starts'));
      await Promise.all([first, second]);
      expect(order).toEqual(['unit 1 ends', 'unit 2 starts']);
    });

    it('is not blocked by a unit of work that failed before it', async () => {
      const failing = runner.run(async () => {
        await insertSetting(dataSource, 'block.fail');
        throw new Error('fails');
      });
      const next = runner.run(async () => {
        await insertSetting(dataSource, 'block.next');
        return 'ran';
      });
      await expect(failing).rejects.toThrow('fails');
      await expect(next).resolves.toBe('ran');
      expect(await settingKeys(dataSource, 'block.')).toEqual(['block.next']);
    });

    it('does not start a transaction for a unit of work queued behind a failure until that failure rolled back', async () => {
      const seen: string[][] = [];
      await Promise.allSettled([
        runner.run(async () => {
          await insertSetting(dataSource, 'seq.first');
          throw new Error('fails');
        }),
        runner.run(async () => {
          seen.push((await sqlDatabase(dataSource).all<{ key: string }>(sql`SELECT "key" FROM "hydrant_setting"`)).map((r) => r.key).filter((k) => k.startsWith('seq.')));
        }),
      ]);
      expect(seen).toEqual([[]]);
    });
  });
});

describePg('TransactionRunner on PostgreSQL', () => {
  let drop: (() => Promise<void>) | undefined;

  async function openPostgres(): Promise<DataSource> {
    const db = await openMigratedDataSource('postgres');
    drop = db.drop;
    return db.dataSource;
  }

  // Runs after the afterAll of the nested `atomicity` block, which destroys the data source.
  afterAll(async () => {
    await drop?.();
  });

  describe('atomicity', () => atomicity(openPostgres));
});

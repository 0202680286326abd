import { DataSource } from 'typeorm';
import { connectionGate, unitOfWorkRunner } from './connection-gate';
import { markTransaction } from './typeorm-sqlite.adapter';
import { unitOfWork, withinUnitOfWork } from './unit-of-work';

/**
 * Runs a unit of work in one database transaction: it all lands or none of it does. Stores called
 * inside it join it by themselves (unit-of-work.ts), and a `run` inside another joins the outer one.
 *
 * On PostgreSQL a transaction has a pooled connection of its own. TypeORM's SQLite driver shares one
 * connection per process, so units of work there go through the connection's gate (connection-gate.ts):
 * they run one after the other, each alone on the connection, and no other statement lands inside one.
 * `BEGIN IMMEDIATE` takes the file's write lock up front, so a transaction never fails half way when a
 * writer in another process got there first (the busy timeout waits for it instead).
 */
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {
    if (dataSource.options.type === 'sqlite') connectionGate(dataSource);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (unitOfWork(this.dataSource)) return work();
    if (this.dataSource.options.type !== 'sqlite') return this.dataSource.transaction((manager) => withinUnitOfWork(manager, work));
    return connectionGate(this.dataSource).unitOfWork(() => this.runSqlite(work));
  }

  private async runSqlite<T>(work: () => Promise<T>): Promise<T> {
    const runner = unitOfWorkRunner(this.dataSource);
    await runner.query('BEGIN IMMEDIATE');
    // TypeORM must know that a transaction is open: otherwise save() opens one of its own with a second
    // BEGIN, which SQLite refuses.
    markTransaction(runner, true);
    try {
      const result = await withinUnitOfWork(runner.manager, work);
      await runner.query('COMMIT');
      return result;
    } catch (e) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      markTransaction(runner, false);
      await runner.release();
    }
  }
}

import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs a unit of work in one database transaction: it all lands or none of it does.
 *
 * TypeORM's SQLite driver shares one connection per process, so two concurrent transactions would nest
 * into each other; here they queue instead. `BEGIN IMMEDIATE` takes the file's write lock up front, so a
 * transaction never fails half way when a writer in another process got there first (the busy timeout
 * waits for it instead).
 */
export class TransactionRunner {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type !== 'sqlite') return this.dataSource.transaction(work);
    const turn = this.tail.then(() => this.runSqlite(work));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Runs work that is atomic by itself (one statement) but must not land inside another unit of work. On
   * SQLite a statement sent while this process has a transaction open would join it on the shared
   * connection, and vanish with its rollback; here it waits its turn instead. Other dialects run it at once.
   */
  async runAlone<T>(work: () => Promise<T>): Promise<T> {
    if (this.dataSource.options.type !== 'sqlite') return work();
    const turn = this.tail.then(work);
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async runSqlite<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.query('BEGIN IMMEDIATE');
    // TypeORM must know that a transaction is open: otherwise save() opens one of its own with a second
    // BEGIN, which SQLite refuses, and its rollback ends ours and leaves the driver's one shared query
    // runner at depth -1 for the rest of the process. At depth 1, nested transactions become savepoints.
    const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
    state.isTransactionActive = true;
    state.transactionDepth = 1;
    try {
      const result = await work(runner.manager);
      await runner.query('COMMIT');
      return result;
    } catch (e) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      state.isTransactionActive = false;
      state.transactionDepth = 0;
      await runner.release();
    }
  }
}

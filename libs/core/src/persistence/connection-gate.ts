import { DataSource } from 'typeorm';
import { SqliteDriver } from 'typeorm/driver/sqlite/SqliteDriver';
import { SqliteQueryRunner } from 'typeorm/driver/sqlite/SqliteQueryRunner';

/**
 * Who may use a process's one SQLite connection when: any number of single statements together (each is
 * its own transaction), or one unit of work alone.
 *
 * TypeORM's SQLite driver shares one connection per process, and a transaction belongs to the connection,
 * not to the code that opened it: a statement another request sent while a unit of work was open ran
 * inside that unit's transaction. It was invisible to other processes until that unit committed (a login
 * challenge created meanwhile answered 404 on another worker), and gone if it rolled back. So a unit of
 * work starts once the statements in flight are done, and statements that arrive while one is pending or
 * running wait for its COMMIT or ROLLBACK; units of work run one after the other, in arrival order.
 *
 * A statement waits at most `timeoutMs` (DB_BUSY_TIMEOUT, as SQLite waits for another process's lock),
 * so that code which, inside a unit of work, forgets the unit's EntityManager fails instead of hanging.
 */
export class ConnectionGate {
  private statementsInFlight = 0;
  private unitsPending = 0;
  private unitTail: Promise<void> = Promise.resolve();
  private whenIdle: Array<() => void> = [];
  private whenOpen: Array<() => void> = [];

  constructor(private readonly timeoutMs: number) {}

  /** Runs one statement, alongside any other statement but never inside a unit of work. */
  async statement<T>(run: () => Promise<T>): Promise<T> {
    if (this.unitsPending > 0) await this.waitUntilOpen();
    this.statementsInFlight++;
    try {
      return await run();
    } finally {
      if (--this.statementsInFlight === 0) this.whenIdle.splice(0).forEach((wake) => wake());
    }
  }

  /** Runs a unit of work alone on the connection, after the units and statements ahead of it. */
  unitOfWork<T>(run: () => Promise<T>): Promise<T> {
    this.unitsPending++;
    const turn = this.unitTail.then(async () => {
      while (this.statementsInFlight > 0) await new Promise<void>((wake) => this.whenIdle.push(wake));
      return run();
    });
    this.unitTail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn.finally(() => {
      if (--this.unitsPending === 0) this.whenOpen.splice(0).forEach((wake) => wake());
    });
  }

  private async waitUntilOpen(): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    while (this.unitsPending > 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`A statement waited over ${this.timeoutMs} ms for the units of work ahead of it on this SQLite connection`);
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((wake) => {
        this.whenOpen.push(wake);
        timer = setTimeout(wake, left);
      });
      clearTimeout(timer);
    }
  }
}

/** The query runner of the statements outside units of work: each goes through the gate. */
class GatedSqliteQueryRunner extends SqliteQueryRunner {
  constructor(
    driver: SqliteDriver,
    private readonly gate: ConnectionGate,
  ) {
    super(driver);
  }

  override query(...args: Parameters<SqliteQueryRunner['query']>): ReturnType<SqliteQueryRunner['query']> {
    return this.gate.statement(() => super.query(...args));
  }
}

const gates = new WeakMap<DataSource, ConnectionGate>();

/**
 * The gate of an SQLite DataSource, installed on first use: from then on the driver's shared query runner
 * (what `dataSource.query` and every repository without a unit of work's manager use) passes through it.
 * Install it before statements run concurrently; TransactionRunner does so when it is created.
 */
export function connectionGate(dataSource: DataSource): ConnectionGate {
  let gate = gates.get(dataSource);
  if (!gate) {
    const driver = dataSource.driver as SqliteDriver;
    gate = new ConnectionGate(driver.options.busyTimeout ?? 5000);
    const runner = new GatedSqliteQueryRunner(driver, gate);
    Object.assign(runner, { manager: dataSource.createEntityManager(runner) });
    driver.queryRunner = runner;
    gates.set(dataSource, gate);
  }
  return gate;
}

/** A query runner of its own on the shared connection, for one unit of work (it does not pass through the gate). */
export function unitOfWorkRunner(dataSource: DataSource): SqliteQueryRunner {
  const runner = new SqliteQueryRunner(dataSource.driver as SqliteDriver);
  Object.assign(runner, { manager: dataSource.createEntityManager(runner) });
  return runner;
}

import { DataSource } from 'typeorm';
import { SqliteDriver } from 'typeorm/driver/sqlite/SqliteDriver';
import { SqliteQueryRunner } from 'typeorm/driver/sqlite/SqliteQueryRunner';
import { queryRunnerFor, replaceSharedQueryRunner } from './typeorm-sqlite.adapter';

/** Statements that may run together: they start once everything queued before them is done. */
interface SharedPhase {
  started: Promise<void>;
  hasStarted: boolean;
  running: number;
  /** No statement joins once a unit of work is queued after the phase. */
  closed: boolean;
  finish: () => void;
  finished: Promise<void>;
}

/**
 * Who may use a process's one SQLite connection when: any number of single statements together (each is
 * its own transaction), or one unit of work alone.
 *
 * TypeORM's SQLite driver shares one connection per process, and a transaction belongs to the connection,
 * not to the code that opened it: a statement another request sent while a unit of work was open ran
 * inside that unit's transaction. It was invisible to other processes until that unit committed (a login
 * challenge created meanwhile answered 404 on another worker), and gone if it rolled back.
 *
 * So work is served in arrival order, in phases: statements that arrive one after another run together;
 * a unit of work waits for the statements before it and runs alone; statements that arrive while a unit
 * is queued or running wait for it, and only for it and those before it (so a steady stream of units of
 * work cannot starve them). A statement waits at most `timeoutMs` (DB_BUSY_TIMEOUT, as SQLite waits for
 * another process's lock), so that a statement sent straight to the DataSource from inside a unit of work
 * (past sql-database.ts, which stores go through) fails instead of hanging.
 */
export class ConnectionGate {
  /** Settles once everything queued so far is done. */
  private tail: Promise<void> = Promise.resolve();
  private open: SharedPhase | null = null;

  constructor(private readonly timeoutMs: number) {}

  /** Runs one statement, alongside other statements but never inside a unit of work. */
  async statement<T>(run: () => Promise<T>): Promise<T> {
    const phase = this.open ?? this.openPhase();
    phase.running++;
    try {
      if (!phase.hasStarted) await this.within(phase.started);
      return await run();
    } finally {
      phase.running--;
      if (phase.closed && phase.running === 0) phase.finish();
    }
  }

  /** Runs a unit of work alone on the connection, once everything queued before it is done. */
  unitOfWork<T>(run: () => Promise<T>): Promise<T> {
    if (this.open) {
      this.open.closed = true;
      if (this.open.running === 0) this.open.finish();
      this.open = null;
    }
    const turn = this.tail.then(run);
    this.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private openPhase(): SharedPhase {
    const started = this.tail;
    let finish!: () => void;
    // Never before it started, even when a statement gave up waiting: what comes next waits for what came before.
    const finished = new Promise<void>((resolve) => (finish = () => void started.then(resolve)));
    const phase: SharedPhase = { started, hasStarted: false, running: 0, closed: false, finish, finished };
    void phase.started.then(() => (phase.hasStarted = true));
    this.tail = finished;
    this.open = phase;
    return phase;
  }

  /** Waits for `started`, at most timeoutMs. */
  private async within(started: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`A statement waited over ${this.timeoutMs} ms for the units of work ahead of it on this SQLite connection`)),
        this.timeoutMs,
      );
    });
    try {
      await Promise.race([started, timeout]);
    } finally {
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
 * (what `dataSource.query` outside a unit of work uses) passes through it.
 * Install it before statements run concurrently; TransactionRunner does so when it is created.
 */
export function connectionGate(dataSource: DataSource): ConnectionGate {
  let gate = gates.get(dataSource);
  if (!gate) {
    const options = dataSource.options;
    const created = new ConnectionGate((options.type === 'sqlite' ? options.busyTimeout : undefined) ?? 5000);
    replaceSharedQueryRunner(dataSource, queryRunnerFor(dataSource, (driver) => new GatedSqliteQueryRunner(driver, created)));
    gate = created;
    gates.set(dataSource, gate);
  }
  return gate;
}

/** A query runner of its own on the shared connection, for one unit of work (it does not pass through the gate). */
export function unitOfWorkRunner(dataSource: DataSource): SqliteQueryRunner {
  return queryRunnerFor(dataSource, (driver) => new SqliteQueryRunner(driver));
}

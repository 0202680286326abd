import { DataSource } from 'typeorm';
import { activeTracing } from '../tracing/active-tracing';
import { traceStatement } from '../tracing/statement-span';
import { Dialect, identifier, list, Sql, sql } from './sql';
import { SqliteStatements, sqliteStatements } from './sqlite-statements';
import { StatementBatcher } from './statement-batcher';
import { unitOfWork } from './unit-of-work';

/**
 * The one way the stores talk to the database: statements written with `sql`, run where they belong.
 * Inside a unit of work (TransactionRunner) a statement joins its transaction by itself; outside, it runs
 * on its own. On SQLite every statement runs prepared, kept by text (sqlite-statements.ts): TypeORM
 * prepares each anew, a thread-pool round trip and a parse per statement. With tracing on, each statement
 * is a span (statement-span.ts) that carries its text, never its parameters.
 */
export class SqlDatabase {
  readonly dialect: Dialect;
  private readonly prepared?: SqliteStatements;

  constructor(private readonly dataSource: DataSource) {
    this.dialect = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
    if (this.dialect === 'sqlite') this.prepared = sqliteStatements(dataSource);
  }

  /** Whether the running code is inside a unit of work on this database. */
  inUnitOfWork(): boolean {
    return unitOfWork(this.dataSource) !== undefined;
  }

  /**
   * A point read that requests arriving together share: outside a unit of work a key joins the next batch,
   * one `IN (…)` statement for all of them, which starts after the call (so it sees every write before it);
   * inside a unit of work it is read with it. `select` answers one result per key, in the keys' order.
   */
  batchedRead<K, R>(select: (keys: K[]) => Promise<Array<R | null>>): (key: K) => Promise<R | null> {
    const batches = new StatementBatcher<K, R | null>(select, { maxInFlight: this.dialect === 'postgres' ? 4 : 1 });
    return async (key) => (this.inUnitOfWork() ? (await select([key]))[0] : batches.add(key));
  }

  /** The rows a statement answers. */
  async all<T>(statement: Sql): Promise<T[]> {
    const { text, params } = statement.render(this.dialect);
    return activeTracing() ? traceStatement(this.dialect, text, () => this.allRendered<T>(text, params)) : this.allRendered<T>(text, params);
  }

  private allRendered<T>(text: string, params: unknown[]): Promise<T[]> {
    const within = unitOfWork(this.dataSource);
    if (this.prepared) return within ? this.prepared.allWithin<T>(text, params) : this.prepared.all<T>(text, params);
    return (within ?? this.dataSource.manager).query(text, params);
  }

  /** The first row a statement answers, or null. */
  async one<T>(statement: Sql): Promise<T | null> {
    const [row] = await this.all<T>(statement);
    return row ?? null;
  }

  /**
   * Runs a write and answers how many rows it changed. Guarded updates (`… WHERE state = ${from}`) use the
   * count to learn whether they won: that is what makes a challenge, a verifier or a code single use across
   * processes and instances.
   */
  async run(statement: Sql): Promise<number> {
    const { text, params } = statement.render(this.dialect);
    return activeTracing() ? traceStatement(this.dialect, text, () => this.runRendered(text, params)) : this.runRendered(text, params);
  }

  private async runRendered(text: string, params: unknown[]): Promise<number> {
    const within = unitOfWork(this.dataSource);
    if (this.prepared) return within ? this.prepared.runWithin(text, params) : this.prepared.run(text, params);
    const runner = within?.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(text, params, true);
      return result.affected ?? 0;
    } finally {
      if (!within?.queryRunner) await runner.release();
    }
  }

  /**
   * Deletes up to `batchSize` rows of `table` that match `where` and answers how many. Two short
   * statements, a select of keys then a delete by key, so that a flush never holds the write lock for long
   * whatever it has to delete.
   */
  async deleteBatch(table: string, key: string, where: Sql, batchSize: number): Promise<number> {
    const rows = await this.all<Record<string, unknown>>(
      sql`SELECT ${identifier(key)} AS "key" FROM ${identifier(table)} WHERE ${where} LIMIT ${Math.floor(batchSize)}`,
    );
    if (rows.length === 0) return 0;
    await this.run(sql`DELETE FROM ${identifier(table)} WHERE ${identifier(key)} IN (${list(rows.map((r) => r.key))})`);
    return rows.length;
  }
}

const byDataSource = new WeakMap<DataSource, SqlDatabase>();

/** The SqlDatabase of a DataSource (one per connection). */
export function sqlDatabase(dataSource: DataSource): SqlDatabase {
  let database = byDataSource.get(dataSource);
  if (!database) {
    database = new SqlDatabase(dataSource);
    byDataSource.set(dataSource, database);
  }
  return database;
}

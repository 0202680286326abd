import type { Statement } from 'sqlite3';
import { DataSource } from 'typeorm';
import { connectionGate } from './connection-gate';
import { nativeConnection } from './typeorm-sqlite.adapter';

/**
 * Enough for every batch size of every hot statement (token inserts and lookups, client lookups, signing
 * keys: up to about 40 sizes each under load); the least recently used one is finalized beyond. At 64,
 * sign-ins re-prepared statements all the time once clients and signing keys were read on every request.
 */
const MAX_STATEMENTS = 256;

/**
 * Prepared statements on an SQLite DataSource's shared connection, kept by SQL text, for every statement
 * the stores run (sql-database.ts). TypeORM prepares each statement anew, and through node-sqlite3 that
 * costs a thread-pool round trip and the parse of a statement with hundreds of parameters: reusing them
 * took about 6% off an issued token's CPU with two workers. Outside a unit of work they run through the
 * connection's gate; inside one, the unit already holds the connection alone.
 */
export class SqliteStatements {
  private readonly prepared = new Map<string, Statement>();

  constructor(private readonly dataSource: DataSource) {}

  /** Runs a statement on its own and answers its rows (none for a write). */
  all<T>(sql: string, params: unknown[]): Promise<T[]> {
    return connectionGate(this.dataSource).statement(() => this.allWithin<T>(sql, params));
  }

  /** Runs a write on its own and answers how many rows it changed. */
  run(sql: string, params: unknown[]): Promise<number> {
    return connectionGate(this.dataSource).statement(() => this.runWithin(sql, params));
  }

  /** Runs a statement inside the unit of work that holds the connection (TransactionRunner) and answers its rows. */
  allWithin<T>(sql: string, params: unknown[]): Promise<T[]> {
    return new Promise<T[]>((resolve, reject) => this.statement(sql).all(params, (e: Error | null, rows: T[]) => (e ? reject(e) : resolve(rows))));
  }

  /** Runs a write inside the unit of work that holds the connection and answers how many rows it changed. */
  runWithin(sql: string, params: unknown[]): Promise<number> {
    return new Promise<number>((resolve, reject) =>
      this.statement(sql).run(params, function (this: { changes: number }, e: Error | null) {
        if (e) reject(e);
        else resolve(this.changes);
      }),
    );
  }

  /** Finalizes every statement: SQLite refuses to close a connection that still has some. */
  async finalize(): Promise<void> {
    const statements = [...this.prepared.values()];
    this.prepared.clear();
    await Promise.all(statements.map((s) => new Promise<void>((resolve) => s.finalize(() => resolve()))));
  }

  private statement(sql: string): Statement {
    let statement = this.prepared.get(sql);
    if (statement) {
      this.prepared.delete(sql); // re-inserted below: the map's order is the order of use
    } else {
      statement = nativeConnection(this.dataSource).prepare(sql);
      if (this.prepared.size >= MAX_STATEMENTS) {
        const [oldestSql, oldest] = this.prepared.entries().next().value as [string, Statement];
        this.prepared.delete(oldestSql);
        oldest.finalize();
      }
    }
    this.prepared.set(sql, statement);
    return statement;
  }
}

const byDataSource = new WeakMap<DataSource, SqliteStatements>();

/** The prepared statements of an SQLite DataSource (one set per connection). */
export function sqliteStatements(dataSource: DataSource): SqliteStatements {
  let statements = byDataSource.get(dataSource);
  if (!statements) {
    statements = new SqliteStatements(dataSource);
    byDataSource.set(dataSource, statements);
  }
  return statements;
}

/** Finalizes a DataSource's prepared statements, if it has any; call it before `destroy()`. */
export async function finalizeSqliteStatements(dataSource: DataSource): Promise<void> {
  await byDataSource.get(dataSource)?.finalize();
}

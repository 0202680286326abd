import { randomUUID } from 'node:crypto';
import { access, constants } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { sql } from '../persistence/sql';
import { sqlDatabase } from '../persistence/sql-database';
import { TransactionRunner } from '../persistence/transaction.runner';

/** How long a probe's answer is reused: readiness may be polled by anyone on the public port. */
const PROBE_TTL_MS = 2000;

/** Thrown inside the probe's unit of work so that its write is rolled back. */
class ProbeRollback extends Error {}

export type ProbeResult = { writable: true } | { writable: false; reason: string };

/**
 * Whether a write to the database can succeed now, for `/health/ready`: a SELECT kept answering while every
 * write failed (issue 15: a disk that refused writes left readiness at 200).
 *
 * The probe writes one row to `hydrant_setting` in a unit of work and rolls it back, so nothing lands:
 * on PostgreSQL BEGIN, INSERT, ROLLBACK on one pooled connection (three round trips, no WAL flush; it
 * fails on a read-only server or transaction); on SQLite the same after `BEGIN IMMEDIATE`, which must win
 * the file's write lock within the busy timeout. A rolled-back write never reaches SQLite's file, so on a
 * file database the probe also asks the operating system whether the file (and its WAL) can be opened
 * for writing: that fails for a read-only file or a read-only mount. One answer serves every caller for
 * PROBE_TTL_MS, and callers that arrive during a probe share it: at most one probe every two seconds.
 */
export class DatabaseWriteProbe {
  private last?: { at: number; result: Promise<ProbeResult> };

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
  ) {}

  check(): Promise<ProbeResult> {
    // Closed (the process is shutting down): known without asking, and a cached answer would be stale.
    if (!this.dataSource.isInitialized) return Promise.resolve({ writable: false, reason: 'the database connection is closed' });
    const now = Date.now();
    if (!this.last || now - this.last.at >= PROBE_TTL_MS) this.last = { at: now, result: this.probe() };
    return this.last.result;
  }

  private async probe(): Promise<ProbeResult> {
    try {
      await this.checkFiles();
      await this.transactions.run(async () => {
        await sqlDatabase(this.dataSource).run(sql`INSERT INTO "hydrant_setting" ("key", "value") VALUES (${`health.write-probe.${randomUUID()}`}, '')`);
        throw new ProbeRollback();
      });
      return { writable: false, reason: 'the probe was not rolled back' };
    } catch (e) {
      if (e instanceof ProbeRollback) return { writable: true };
      return { writable: false, reason: (e as Error).message };
    }
  }

  private async checkFiles(): Promise<void> {
    const options = this.dataSource.options;
    if (options.type !== 'sqlite' || options.database === ':memory:') return;
    await access(options.database, constants.W_OK);
    await access(`${options.database}-wal`, constants.W_OK).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
}

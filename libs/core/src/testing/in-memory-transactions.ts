import { AsyncLocalStorage } from 'node:async_hooks';
import { TransactionRunner } from '../persistence/transaction.runner';

/**
 * A TransactionRunner for the in-memory stores. Units of work run one at a time, in arrival order, as on
 * SQLite (`BEGIN IMMEDIATE` behind the connection's gate); on PostgreSQL the row locks of a guarded update
 * order two units of work on the same row the same way. A `run` inside another joins it. Statements
 * outside any unit of work still interleave with one that is running.
 *
 * No rollback: what a unit of work wrote before it threw stays written. A spec that depends on a rollback
 * needs a real database; it should say so rather than rely on this.
 */
export function inMemoryTransactions(): TransactionRunner & { units: number } {
  const inside = new AsyncLocalStorage<true>();
  let tail: Promise<unknown> = Promise.resolve();
  const runner = {
    /** How many units of work ran (a nested `run` is part of its outer one). */
    units: 0,
    run<T>(work: () => Promise<T>): Promise<T> {
      if (inside.getStore()) return work();
      runner.units++;
      const result = tail.then(() => inside.run(true, work));
      tail = result.catch(() => undefined);
      return result;
    },
  };
  return runner as unknown as TransactionRunner & { units: number };
}

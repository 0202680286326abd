import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The unit of work the running code is in, carried by Node's async context: a store called inside
 * `TransactionRunner.run` joins that transaction by itself, and one called anywhere else (another
 * request's code, however it interleaves) never does. No method takes an EntityManager, so none can be
 * forgotten.
 */
const current = new AsyncLocalStorage<EntityManager>();

/** Runs `work` as the unit of work `manager` belongs to. Only TransactionRunner opens one. */
export function withinUnitOfWork<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
  return current.run(manager, work);
}

/** The manager of the unit of work on `dataSource` that the running code is in, if it is in one. */
export function unitOfWork(dataSource: DataSource): EntityManager | undefined {
  const manager = current.getStore();
  return manager?.connection === dataSource ? manager : undefined;
}

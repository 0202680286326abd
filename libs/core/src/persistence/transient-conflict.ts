import { setTimeout as sleep } from 'node:timers/promises';

/** PostgreSQL's SQLSTATEs of a transaction that lost a race and was rolled back whole: it may simply run again. */
const DEADLOCK_DETECTED = '40P01';
const SERIALIZATION_FAILURE = '40001';

/**
 * Whether a driver error is a deadlock or a serialization failure. Both mean that the database rolled the
 * statement (or the whole unit of work) back because another transaction wrote the same rows at the same
 * time; nothing of it landed, and running it again is safe.
 */
export function isTransientConflict(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string } } | null | undefined;
  const code = err?.driverError?.code ?? err?.code;
  return code === DEADLOCK_DETECTED || code === SERIALIZATION_FAILURE;
}

/**
 * Runs `work` again when it fails with a transient conflict, up to `attempts` times in all, after a short
 * random pause so that the transactions that collided do not collide again in step. Any other error, and
 * the conflict of the last attempt, is thrown. `work` must be a whole statement or unit of work.
 */
export async function retryOnConflict<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (attempt >= attempts || !isTransientConflict(e)) throw e;
      await sleep(5 + Math.random() * 20 * attempt);
    }
  }
}

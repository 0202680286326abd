import { ClientAssertionJtiStore } from '../clients/authentication/client-assertion-jti.store';
import { deleteBatch } from './delete-batch';
import { yieldTurn } from './yield-turn';

/**
 * ClientAssertionJtiStore in memory, with SqlClientAssertionJtiStore's semantics: remembering is one insert
 * on a primary key, so of two assertions with one jti at once exactly one is accepted, and the other is
 * told it is a replay. A jti stays remembered until the janitor deletes it, whether or not it expired.
 */
export class InMemoryClientAssertionJtiStore implements ClientAssertionJtiStore {
  private readonly rows = new Map<string, number>();

  async remember(signature: string, expiresAtMs: number): Promise<boolean> {
    await yieldTurn();
    if (this.rows.has(signature)) return false;
    this.rows.set(signature, expiresAtMs);
    return true;
  }

  async deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    await yieldTurn();
    return deleteBatch(this.rows, (expiresAt) => expiresAt < before.getTime(), batchSize);
  }

  /** How many jtis are remembered. */
  get size(): number {
    return this.rows.size;
  }
}

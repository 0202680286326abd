import { AuthorizationCodeRecord, AuthorizationCodeStore } from '../tokens/authorization-code.store';
import { deleteBatch } from './delete-batch';
import { copy, yieldTurn } from './yield-turn';

/**
 * AuthorizationCodeStore in memory, with SqlAuthorizationCodeStore's semantics: codes keyed by signature,
 * and `markUsed` one guarded update, so that of two redemptions at once exactly one wins (RFC 6749 §4.1.2).
 */
export class InMemoryAuthorizationCodeStore implements AuthorizationCodeStore {
  private readonly rows = new Map<string, AuthorizationCodeRecord>();

  /** `clientExists`: the foreign key to the clients table; omitted, any client id is accepted. */
  constructor(private readonly clientExists?: (clientId: string) => boolean) {}

  async insert(code: AuthorizationCodeRecord): Promise<void> {
    await yieldTurn();
    if (this.rows.has(code.signature)) throw new Error(`UNIQUE constraint failed: hydrant_authorization_code.signature (${code.signature})`);
    if (this.clientExists && !this.clientExists(code.clientId)) throw new Error('FOREIGN KEY constraint failed: hydrant_authorization_code.client_id');
    this.rows.set(code.signature, copy(code));
  }

  async findBySignature(signature: string): Promise<AuthorizationCodeRecord | null> {
    await yieldTurn();
    const row = this.rows.get(signature);
    return row ? copy(row) : null;
  }

  async markUsed(signature: string): Promise<boolean> {
    await yieldTurn();
    const row = this.rows.get(signature);
    if (!row || row.used) return false;
    row.used = true;
    return true;
  }

  async deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    await yieldTurn();
    return deleteBatch(this.rows, (row) => row.expiresAt.getTime() < before.getTime(), batchSize);
  }

  /** What the database's ON DELETE CASCADE does when a client is deleted (InMemoryClientStore calls it). */
  cascadeClientDeletion(clientId: string): void {
    for (const [signature, row] of this.rows) if (row.clientId === clientId) this.rows.delete(signature);
  }
}

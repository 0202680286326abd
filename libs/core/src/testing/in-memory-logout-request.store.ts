import { canTransitionLogout, LogoutRequest, LogoutState } from '../flows/logout-request.model';
import { LogoutRequestStore } from '../flows/logout-request.store';
import { copy, yieldTurn } from './yield-turn';

/**
 * LogoutRequestStore in memory, for fast specs: the semantics of SqlLogoutRequestStore without a database.
 * A guarded transition is one atomic step, as its UPDATE … WHERE state = from is; copies in and out.
 */
export class InMemoryLogoutRequestStore implements LogoutRequestStore {
  private readonly rows = new Map<string, LogoutRequest>();

  async insert(request: LogoutRequest): Promise<void> {
    await yieldTurn();
    if (this.rows.has(request.id)) throw new Error(`UNIQUE constraint failed: hydrant_logout_request.id (${request.id})`);
    this.rows.set(request.id, copy(request));
  }

  async findById(id: string): Promise<LogoutRequest | null> {
    await yieldTurn();
    const request = this.rows.get(id);
    return request ? copy(request) : null;
  }

  async transition(id: string, from: LogoutState, to: LogoutState, verifier?: string): Promise<boolean> {
    if (!canTransitionLogout(from, to)) throw new Error(`a logout request cannot move from ${from} to ${to}`);
    await yieldTurn();
    const request = this.rows.get(id);
    if (!request || request.state !== from) return false;
    this.rows.set(id, { ...request, state: to, ...(verifier === undefined ? {} : { verifier }) });
    return true;
  }

  async deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    await yieldTurn();
    const keys = [...this.rows.values()]
      .filter((r) => r.expiresAt.getTime() < before.getTime())
      .slice(0, Math.floor(batchSize))
      .map((r) => r.id);
    if (keys.length === 0) return 0;
    await yieldTurn();
    for (const id of keys) this.rows.delete(id);
    return keys.length;
  }

  /** Every stored request, as copies: for specs that check what was written. */
  all(): LogoutRequest[] {
    return [...this.rows.values()].map((r) => copy(r));
  }
}

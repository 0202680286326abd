import { Errors } from '../errors';
import { TokenKind, TokenRecord } from '../tokens/token.model';
import { TokenStore } from '../tokens/token.store';
import { copy, yieldTurn } from './yield-turn';

/**
 * TokenStore in memory, with SqlTokenStore's semantics: tokens keyed by signature; an insert of several
 * tokens lands whole or not at all; a token of a client that does not exist is `invalid_client` (the
 * foreign key, when built with `clientExists`); `rotate` is one guarded update (exactly one caller wins
 * and it sets `usedAt`); revoking a grant clears `usedAt`, ending any grace period.
 */
export class InMemoryTokenStore implements TokenStore {
  private readonly rows = new Map<string, TokenRecord>();

  /** `clientExists`: the foreign key to the clients table; omitted, any client id is accepted. */
  constructor(private readonly clientExists?: (clientId: string) => boolean) {}

  async insert(tokens: TokenRecord[]): Promise<void> {
    await yieldTurn();
    if (this.clientExists && tokens.some((t) => !this.clientExists!(t.clientId))) {
      throw Errors.invalidClient().withHint('The client does not exist.');
    }
    const signatures = new Set<string>();
    for (const t of tokens) {
      if (this.rows.has(t.signature) || signatures.has(t.signature)) throw new Error(`UNIQUE constraint failed: hydrant_token.signature (${t.signature})`);
      signatures.add(t.signature);
    }
    for (const t of tokens) this.rows.set(t.signature, { ...copy(t), usedAt: null });
  }

  async findBySignature(signature: string, kind: TokenKind): Promise<TokenRecord | null> {
    await yieldTurn();
    const row = this.rows.get(signature);
    return row?.kind === kind ? copy(row) : null;
  }

  async deactivate(signature: string): Promise<void> {
    await yieldTurn();
    const row = this.rows.get(signature);
    if (row) row.active = false;
  }

  async deactivateRequest(requestId: string): Promise<void> {
    await this.deactivateRequests([requestId]);
  }

  async deactivateRequests(requestIds: string[]): Promise<void> {
    await yieldTurn();
    const ids = new Set(requestIds);
    for (const row of this.rows.values()) {
      if (!ids.has(row.requestId)) continue;
      row.active = false;
      row.usedAt = null;
    }
  }

  async retireRequest(requestId: string, until: Date | null): Promise<void> {
    await yieldTurn();
    for (const row of this.rows.values()) {
      if (row.requestId !== requestId) continue;
      if (until === null) row.active = false;
      else if (row.expiresAt.getTime() > until.getTime()) row.expiresAt = new Date(until.getTime());
    }
  }

  async rotate(signature: string, now: Date): Promise<boolean> {
    await yieldTurn();
    const row = this.rows.get(signature);
    if (!row?.active) return false;
    row.active = false;
    row.usedAt = new Date(now.getTime());
    return true;
  }

  async deleteByClient(clientId: string): Promise<number> {
    await yieldTurn();
    return this.deleteWhere((row) => row.clientId === clientId);
  }

  async deleteInactiveBatch(before: Date, batchSize: number): Promise<number> {
    await yieldTurn();
    const cutoff = before.getTime();
    return this.deleteWhere((row) => row.expiresAt.getTime() < cutoff || (!row.active && row.issuedAt.getTime() < cutoff), batchSize);
  }

  /** Every stored token, as copies: for specs that look at what a grant wrote or revoked. */
  all(): TokenRecord[] {
    return [...this.rows.values()].map(copy);
  }

  /** What the database's ON DELETE CASCADE does when a client is deleted (InMemoryClientStore calls it). */
  cascadeClientDeletion(clientId: string): void {
    for (const [signature, row] of this.rows) if (row.clientId === clientId) this.rows.delete(signature);
  }

  private deleteWhere(matches: (row: TokenRecord) => boolean, limit = Infinity): number {
    let deleted = 0;
    for (const [signature, row] of this.rows) {
      if (deleted >= limit) break;
      if (!matches(row)) continue;
      this.rows.delete(signature);
      deleted++;
    }
    return deleted;
  }
}

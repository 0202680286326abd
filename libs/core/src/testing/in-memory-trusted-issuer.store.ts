import { Errors } from '../errors';
import { TrustedIssuer } from '../trust/trusted-issuer.model';
import { TrustedIssuerQuery, TrustedIssuerStore } from '../trust/trusted-issuer.store';
import { copy, yieldTurn } from './yield-turn';

/**
 * TrustedIssuerStore in memory, with SqlTrustedIssuerStore's semantics: one trust per issuer, subject and
 * kid (a second is a 409 conflict), listings in id order.
 */
export class InMemoryTrustedIssuerStore implements TrustedIssuerStore {
  private readonly rows = new Map<string, TrustedIssuer>();

  async insert(trust: TrustedIssuer): Promise<void> {
    await yieldTurn();
    const taken = [...this.rows.values()].some((t) => t.issuer === trust.issuer && t.subject === trust.subject && t.keyId === trust.keyId);
    if (taken) throw Errors.conflict().withHint(`Issuer "${trust.issuer}" is trusted already for this subject with key "${trust.keyId}".`);
    this.rows.set(trust.id, copy(trust));
  }

  async findById(id: string): Promise<TrustedIssuer | null> {
    await yieldTurn();
    const row = this.rows.get(id);
    return row ? copy(row) : null;
  }

  async find(query: TrustedIssuerQuery): Promise<TrustedIssuer[]> {
    await yieldTurn();
    return this.sorted()
      .filter((t) => (query.issuer === undefined || t.issuer === query.issuer) && (query.afterId === undefined || t.id > query.afterId))
      .slice(0, query.limit)
      .map(copy);
  }

  async findForAssertion(issuer: string, subject: string): Promise<TrustedIssuer[]> {
    await yieldTurn();
    return this.sorted().filter((t) => t.issuer === issuer && (t.subject === subject || t.allowAnySubject)).map(copy);
  }

  async countUsingKey(issuer: string, keyId: string): Promise<number> {
    await yieldTurn();
    return [...this.rows.values()].filter((t) => t.issuer === issuer && t.keyId === keyId).length;
  }

  async delete(id: string): Promise<boolean> {
    await yieldTurn();
    return this.rows.delete(id);
  }

  async findExpired(before: Date, limit: number): Promise<TrustedIssuer[]> {
    await yieldTurn();
    return this.sorted()
      .filter((t) => t.expiresAt < before)
      .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
      .slice(0, limit)
      .map(copy);
  }

  private sorted(): TrustedIssuer[] {
    return [...this.rows.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

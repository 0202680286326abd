import { LoginSession } from '../flows/login-session.model';
import { LoginSessionStore } from '../flows/login-session.store';
import { copy, yieldTurn } from './yield-turn';

/**
 * LoginSessionStore in memory, for fast specs: the semantics of SqlLoginSessionStore without a database,
 * yielding a turn wherever SQL makes a round trip, and keeping copies so callers cannot change stored state.
 */
export class InMemoryLoginSessionStore implements LoginSessionStore {
  private readonly rows = new Map<string, LoginSession>();

  async insert(session: LoginSession): Promise<void> {
    await yieldTurn();
    if (this.rows.has(session.id)) throw new Error(`UNIQUE constraint failed: hydrant_login_session.id (${session.id})`);
    this.rows.set(session.id, copy(session));
  }

  async findById(id: string): Promise<LoginSession | null> {
    await yieldTurn();
    const session = this.rows.get(id);
    return session ? copy(session) : null;
  }

  async extend(id: string, expiresAt: Date | null): Promise<void> {
    await yieldTurn();
    const session = this.rows.get(id);
    if (session) this.rows.set(id, { ...session, expiresAt: expiresAt && new Date(expiresAt.getTime()) });
  }

  async delete(filter: { subject: string } | { id: string }): Promise<LoginSession[]> {
    const match = (s: LoginSession) => ('subject' in filter ? s.subject === filter.subject : s.id === filter.id);
    await yieldTurn();
    const ended = [...this.rows.values()].filter(match).map((s) => copy(s));
    if (ended.length === 0) return ended;
    // SQL selects, then deletes by the same filter in a second statement.
    await yieldTurn();
    for (const s of [...this.rows.values()]) if (match(s)) this.rows.delete(s.id);
    return ended;
  }

  async deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    await yieldTurn();
    const keys = [...this.rows.values()]
      // NULL < before is not true in SQL: a session until the browser closes is never swept here.
      .filter((s) => s.expiresAt !== null && s.expiresAt.getTime() < before.getTime())
      .slice(0, Math.floor(batchSize))
      .map((s) => s.id);
    if (keys.length === 0) return 0;
    await yieldTurn();
    for (const id of keys) this.rows.delete(id);
    return keys.length;
  }

  /** Every stored session, as copies: for specs that check what was written. */
  all(): LoginSession[] {
    return [...this.rows.values()].map((s) => copy(s));
  }
}

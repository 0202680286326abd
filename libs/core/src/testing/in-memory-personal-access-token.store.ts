import { PersonalAccessToken, PersonalAccessTokenStore } from '../tokens/personal-access-token.store';
import { deleteBatch } from './delete-batch';
import { copy, yieldTurn } from './yield-turn';

/** PersonalAccessTokenStore in memory, with SqlPersonalAccessTokenStore's semantics (a subject's tokens newest first). */
export class InMemoryPersonalAccessTokenStore implements PersonalAccessTokenStore {
  private readonly rows = new Map<string, PersonalAccessToken>();

  async insert(pat: PersonalAccessToken): Promise<void> {
    await yieldTurn();
    if (this.rows.has(pat.id) || [...this.rows.values()].some((r) => r.signature === pat.signature)) {
      throw new Error(`UNIQUE constraint failed: hydrant_personal_access_token (${pat.id})`);
    }
    this.rows.set(pat.id, copy(pat));
  }

  async findBySignature(signature: string): Promise<PersonalAccessToken | null> {
    await yieldTurn();
    const row = [...this.rows.values()].find((r) => r.signature === signature);
    return row ? copy(row) : null;
  }

  /** ORDER BY created_at DESC, id */
  async findBySubject(subject: string): Promise<PersonalAccessToken[]> {
    await yieldTurn();
    return [...this.rows.values()]
      .filter((r) => r.subject === subject)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(copy);
  }

  async delete(id: string): Promise<boolean> {
    await yieldTurn();
    return this.rows.delete(id);
  }

  async deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    await yieldTurn();
    return deleteBatch(this.rows, (row) => row.expiresAt.getTime() < before.getTime(), batchSize);
  }
}

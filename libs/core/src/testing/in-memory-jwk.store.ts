import { Errors } from '../errors';
import { JwkStore, SigningHead, StoredJwk } from '../keys/jwk.store';
import { copy, yieldTurn } from './yield-turn';

/** A key as the table holds it: the public JWK as the JSON text it was written as. */
interface JwkRow {
  key: StoredJwk;
  publicJwk: string;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** ORDER BY "created_at" DESC, "kid" ASC */
const newestFirst = (a: JwkRow, b: JwkRow): number => b.key.createdAt.getTime() - a.key.createdAt.getTime() || compare(a.key.kid, b.key.kid);

/**
 * JwkStore in memory, with SqlJwkStore's semantics: keys by set and kid (a second insert of one is a 409
 * conflict, upsert replaces), sets read newest first, the signing head the newest "sig" key with a private
 * part. `lockSetCreation` has nothing to do: inMemoryTransactions runs units of work one at a time.
 */
export class InMemoryJwkStore implements JwkStore {
  private readonly rows = new Map<string, JwkRow>();

  async lockSetCreation(): Promise<void> {
    await yieldTurn();
  }

  async findSet(setId: string): Promise<StoredJwk[]> {
    await yieldTurn();
    return this.set(setId).map((r) => copy(r.key));
  }

  async findAll(): Promise<StoredJwk[]> {
    await yieldTurn();
    return [...this.rows.values()].sort((a, b) => compare(a.key.setId, b.key.setId) || compare(a.key.kid, b.key.kid)).map((r) => copy(r.key));
  }

  async findSigningHead(setId: string): Promise<SigningHead | null> {
    await yieldTurn();
    const head = this.set(setId).find((r) => r.key.use === 'sig' && r.key.privateJwkJwe !== null);
    return head ? { kid: head.key.kid, publicJwk: head.publicJwk } : null;
  }

  async findPublicKeys(setId: string): Promise<Array<{ kid: string; publicJwk: string }>> {
    await yieldTurn();
    return this.set(setId).map((r) => ({ kid: r.key.kid, publicJwk: r.publicJwk }));
  }

  async findKey(setId: string, kid: string): Promise<StoredJwk | null> {
    await yieldTurn();
    const row = this.rows.get(keyOf(setId, kid));
    return row ? copy(row.key) : null;
  }

  async insert(key: StoredJwk): Promise<void> {
    await yieldTurn();
    if (this.rows.has(keyOf(key.setId, key.kid))) throw Errors.conflict().withHint(`Key set "${key.setId}" already has a key with kid "${key.kid}".`);
    this.write(key);
  }

  async upsert(key: StoredJwk): Promise<void> {
    await yieldTurn();
    this.write(key);
  }

  async deleteKey(setId: string, kid: string): Promise<boolean> {
    await yieldTurn();
    return this.rows.delete(keyOf(setId, kid));
  }

  async deleteSet(setId: string): Promise<number> {
    await yieldTurn();
    const keys = this.set(setId);
    for (const r of keys) this.rows.delete(keyOf(r.key.setId, r.key.kid));
    return keys.length;
  }

  private set(setId: string): JwkRow[] {
    return [...this.rows.values()].filter((r) => r.key.setId === setId).sort(newestFirst);
  }

  private write(key: StoredJwk): void {
    this.rows.set(keyOf(key.setId, key.kid), { key: copy(key), publicJwk: JSON.stringify(key.publicJwk) });
  }
}

function keyOf(setId: string, kid: string): string {
  return `${setId}\u0000${kid}`;
}

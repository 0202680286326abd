import { JWK } from 'jose';

import { Errors } from '../errors';
import type { TransactionRunner } from '../persistence/transaction.runner';
import { importOperatorJwk, ImportedJwk, JsonWebKeyInput } from './jwk-import';
import { JwkStore, StoredJwk } from './jwk.store';
import { KeyEncryption } from './key-encryption';
import { KeySetService } from './key-set.service';
import { GENERATABLE_ALGS, GeneratableAlg, KEY_SETS } from './key-sets';

/** The admin API's answer shape (Hydra's JsonWebKeySet). */
export interface KeySetView {
  keys: JWK[];
}

/** Sets Hydrant signs with: they must keep a private signing key, or token issuance stops. */
const SIGNING_SETS: readonly string[] = Object.values(KEY_SETS);
const MAX_SET_LENGTH = 255;

/**
 * The admin API's JSON Web Key operations (Hydra's JwkApi): generate, import, read and delete keys of
 * named sets. A change is used everywhere from its commit on: KeySetService reads the current keys at
 * every use.
 *
 * Like Hydra, reads answer with the private parts of the keys Hydrant holds (Hydra's admin
 * `getJsonWebKeySet` returns the stored private keys): the admin port is the operator's, and this is how
 * an operator exports a key. Only /.well-known/jwks.json is restricted to public parts.
 */
export class KeySetAdminService {
  constructor(
    private readonly keySets: KeySetService,
    private readonly keys: JwkStore,
    private readonly encryption: KeyEncryption,
    private readonly transactions: TransactionRunner,
  ) {}

  /** POST /admin/keys/{set}: generates a key, which becomes the set's newest (signing) key. Answers with it alone, as Hydra does. */
  async create(setId: string, request: { alg: string; kid?: string; use?: string }): Promise<KeySetView> {
    checkSetId(setId);
    if (!GENERATABLE_ALGS.includes(request.alg as GeneratableAlg)) {
      // Symmetric algs (Hydra's HS256/HS512) are refused: a key set's keys are published as a JWKS.
      throw Errors.invalidRequest().withHint(`Unknown "alg" "${request.alg}"; supported are ${GENERATABLE_ALGS.join(', ')}.`);
    }
    const kid = request.kid || undefined;
    if (kid !== undefined && kid.length > 255) throw Errors.invalidRequest().withHint('A "kid" may have at most 255 characters.');
    const use = (request.use || 'sig') as 'sig' | 'enc';
    // A kid the set has already is a 409 conflict (JwkStore.insert).
    const stored = await this.keySets.addKey(setId, request.alg as GeneratableAlg, { kid, use });
    return { keys: [await this.present(stored)] };
  }

  async getSet(setId: string): Promise<KeySetView> {
    const stored = await this.keys.findSet(setId);
    if (stored.length === 0) throw Errors.notFound().withHint(`Key set "${setId}" does not exist.`);
    return { keys: await Promise.all(stored.map((k) => this.present(k))) };
  }

  async getKey(setId: string, kid: string): Promise<KeySetView> {
    const stored = await this.keys.findKey(setId, kid);
    if (!stored) throw Errors.notFound().withHint(`Key set "${setId}" has no key "${kid}".`);
    return { keys: [await this.present(stored)] };
  }

  /**
   * PUT /admin/keys/{set}: the set becomes exactly the given keys (Hydra replaces the set). The first key
   * listed becomes the newest, so the first private signing key listed signs.
   */
  async putSet(setId: string, inputs: JsonWebKeyInput[]): Promise<KeySetView> {
    checkSetId(setId);
    const imported: ImportedJwk[] = [];
    for (const input of inputs) imported.push(await importOperatorJwk(input));
    const kids = new Set(imported.map((k) => k.kid));
    if (kids.size !== imported.length) throw Errors.invalidRequest().withHint('Every key of a set needs a distinct "kid".');
    const now = Date.now();
    const rows = await Promise.all(imported.map((k, i) => this.toStored(setId, k, new Date(now - i))));
    await this.change(setId, async () => {
      await this.keys.deleteSet(setId);
      for (const row of rows) await this.keys.insert(row);
    });
    return { keys: await Promise.all(rows.map((k) => this.present(k))) };
  }

  /** PUT /admin/keys/{set}/{kid}: adds the key or replaces the one with this kid; either way it becomes the newest. */
  async putKey(setId: string, kid: string, input: JsonWebKeyInput): Promise<JWK> {
    checkSetId(setId);
    const row = await this.toStored(setId, await importOperatorJwk(input, kid), new Date());
    await this.change(setId, () => this.keys.upsert(row));
    return this.present(row);
  }

  async deleteSet(setId: string): Promise<void> {
    await this.change(setId, async () => {
      if ((await this.keys.deleteSet(setId)) === 0) throw Errors.notFound().withHint(`Key set "${setId}" does not exist.`);
    });
  }

  async deleteKey(setId: string, kid: string): Promise<void> {
    await this.change(setId, async () => {
      if (!(await this.keys.deleteKey(setId, kid))) throw Errors.notFound().withHint(`Key set "${setId}" has no key "${kid}".`);
    });
  }

  /**
   * Runs a change in one transaction and refuses it (rolling it back) when it leaves a set Hydrant signs
   * with no private signing key.
   */
  private async change(setId: string, work: () => Promise<void>): Promise<void> {
    await this.transactions.run(async () => {
      await work();
      if (!SIGNING_SETS.includes(setId)) return;
      const left = await this.keys.findSet(setId);
      if (!left.some((k) => k.privateJwkJwe !== null && k.use === 'sig')) {
        throw Errors.invalidRequest().withHint(
          `Key set "${setId}" must keep a private signing key: Hydrant signs with it. Add a new key before removing the last one.`,
        );
      }
    });
  }

  private async toStored(setId: string, key: ImportedJwk, createdAt: Date): Promise<StoredJwk> {
    return {
      setId,
      kid: key.kid,
      alg: key.alg,
      use: key.use,
      publicJwk: key.publicJwk as Record<string, unknown>,
      privateJwkJwe: key.privateJwk ? await this.encryption.encrypt(JSON.stringify(key.privateJwk)) : null,
      createdAt,
    };
  }

  /** A key as the admin API shows it: the private JWK when Hydrant holds one (it includes the public members), else the public JWK. */
  private async present(stored: StoredJwk): Promise<JWK> {
    return (await this.keySets.privateJwk(stored)) ?? (stored.publicJwk as JWK);
  }
}

function checkSetId(setId: string): void {
  if (setId.length === 0 || setId.length > MAX_SET_LENGTH) {
    throw Errors.invalidRequest().withHint(`A key set name must have 1 to ${MAX_SET_LENGTH} characters.`);
  }
}

import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, CryptoKey, exportJWK, generateKeyPair, importJWK, JWK, JWTVerifyGetKey } from 'jose';
import type { TransactionRunner } from '../persistence/transaction.runner';
import { KeyEncryption } from './key-encryption';
import { GeneratableAlg } from './key-sets';
import { JwkStore, StoredJwk } from './jwk.store';

export interface SigningKey {
  kid: string;
  alg: string;
  key: CryptoKey;
}

/**
 * Key sets: generation (private parts encrypted at rest), the signing key of a set (its newest private
 * "sig" key), and the public keys in circulation (every key of the set, for verification and the JWKS
 * document). Each use reads the set's current keys from the database, so a key added or deleted through
 * any worker or instance is published, used or dropped everywhere at its next use: a key is in the
 * database, and so in every JWKS document, before anything can sign with it. What is kept per process is
 * only the work that follows from a key's public JWK: the imported private key and the jose key set,
 * reused while the database names the same keys.
 */
export class KeySetService {
  private readonly signing = new Map<string, { head: string; key: Promise<SigningKey> }>();
  private readonly verifiers = new Map<string, { keys: string; keySet: JWTVerifyGetKey }>();

  constructor(
    private readonly keys: JwkStore,
    private readonly encryption: KeyEncryption,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Creates the set's first key unless it has one; safe when several processes start at once. */
  async ensureSet(setId: string, alg: GeneratableAlg): Promise<void> {
    if ((await this.keys.findSet(setId)).length > 0) return;
    const generated = await this.generate(setId, alg);
    await this.transactions.run(async () => {
      await this.keys.lockSetCreation();
      if ((await this.keys.findSet(setId)).length === 0) await this.keys.insert(generated);
    });
  }

  /** Generates and stores a new key, which becomes the set's signing key (rotation by adding). */
  async addKey(setId: string, alg: GeneratableAlg, options: { kid?: string; use?: 'sig' | 'enc' } = {}): Promise<StoredJwk> {
    const key = await this.generate(setId, alg, options);
    await this.keys.insert(key);
    return key;
  }

  /** The private JWK of a stored key, decrypted. */
  async privateJwk(stored: StoredJwk): Promise<JWK | null> {
    if (stored.privateJwkJwe === null) return null;
    return JSON.parse(await this.encryption.decrypt(stored.privateJwkJwe)) as JWK;
  }

  /** The key that signs for a set now: its newest one with a private part and use "sig". */
  async signingKey(setId: string): Promise<SigningKey> {
    const head = await this.keys.findSigningHead(setId);
    if (!head) throw new Error(`key set "${setId}" has no private signing key`);
    // The public JWK names the key pair: a key replaced under the same kid is loaded again.
    const fingerprint = `${head.kid}\n${head.publicJwk}`;
    const cached = this.signing.get(setId);
    if (cached?.head === fingerprint) return cached.key;
    const key = this.loadSigningKey(setId, head.kid);
    this.signing.set(setId, { head: fingerprint, key });
    key.catch(() => this.signing.delete(setId));
    return key;
  }

  /** The public keys of a set as the database holds them now, newest first. */
  async publicKeys(setId: string): Promise<JWK[]> {
    return (await this.keys.findPublicKeys(setId)).map((k) => JSON.parse(k.publicJwk) as JWK);
  }

  /** A jose key set of the set's current public keys, to verify what Hydrant signed. */
  async verificationKeySet(setId: string): Promise<JWTVerifyGetKey> {
    const current = await this.keys.findPublicKeys(setId);
    const fingerprint = current.map((k) => k.publicJwk).join('\n');
    const cached = this.verifiers.get(setId);
    if (cached?.keys === fingerprint) return cached.keySet;
    const keySet = createLocalJWKSet({ keys: current.map((k) => JSON.parse(k.publicJwk) as JWK) });
    this.verifiers.set(setId, { keys: fingerprint, keySet });
    return keySet;
  }

  private async loadSigningKey(setId: string, kid: string): Promise<SigningKey> {
    const stored = await this.keys.findKey(setId, kid);
    if (!stored || stored.privateJwkJwe === null) throw new Error(`key set "${setId}" has no private signing key`);
    const jwk = (await this.privateJwk(stored)) as JWK;
    return { kid: stored.kid, alg: stored.alg, key: (await importJWK(jwk, stored.alg)) as CryptoKey };
  }

  private async generate(setId: string, alg: GeneratableAlg, options: { kid?: string; use?: 'sig' | 'enc' } = {}): Promise<StoredJwk> {
    const pair = await generateKeyPair(alg, { extractable: true, ...(alg.startsWith('RS') || alg.startsWith('PS') ? { modulusLength: 2048 } : {}) });
    const kid = options.kid ?? randomUUID();
    const use = options.use ?? 'sig';
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg, use };
    const privateJwk = { ...(await exportJWK(pair.privateKey)), kid, alg, use };
    return {
      setId,
      kid,
      alg,
      use,
      publicJwk,
      privateJwkJwe: await this.encryption.encrypt(JSON.stringify(privateJwk)),
      createdAt: new Date(),
    };
  }
}

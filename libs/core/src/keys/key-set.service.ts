import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, CryptoKey, exportJWK, generateKeyPair, importJWK, JWK, JWTVerifyGetKey } from 'jose';
import { TransactionRunner } from '../persistence/transaction.runner';
import { KeyEncryption } from './key-encryption';
import { GeneratableAlg } from './key-sets';
import { JwkRepository, StoredJwk } from './jwk.repository';

export interface SigningKey {
  kid: string;
  alg: string;
  key: CryptoKey;
}

/** How long a process trusts its copy of a key set; a key added elsewhere is used everywhere within this time. */
const CACHE_MS = 30_000;
/** PostgreSQL advisory lock that serialises the creation of a set's first key across instances. */
const KEY_BOOTSTRAP_LOCK = 4_444_446;

/**
 * Key sets: generation (private parts encrypted at rest), the signing key of a set (its newest key), and
 * the public keys in circulation (every key of the set, for verification and the JWKS document). Each
 * process caches what it decrypted for a short while; the database stays the one source.
 */
export class KeySetService {
  private readonly signing = new Map<string, { at: number; key: Promise<SigningKey> }>();
  private readonly publics = new Map<string, { at: number; keys: Promise<JWK[]> }>();
  private readonly verifiers = new Map<string, { keys: Promise<JWK[]>; keySet: JWTVerifyGetKey }>();

  constructor(
    private readonly keys: JwkRepository,
    private readonly encryption: KeyEncryption,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Creates the set's first key unless it has one; safe when several processes start at once. */
  async ensureSet(setId: string, alg: GeneratableAlg): Promise<void> {
    if ((await this.keys.findSet(setId)).length > 0) return;
    const generated = await this.generate(setId, alg);
    await this.transactions.run(async (manager) => {
      if (manager.connection.options.type === 'postgres') await manager.query('SELECT pg_advisory_xact_lock($1)', [KEY_BOOTSTRAP_LOCK]);
      if ((await this.keys.findSet(setId, manager)).length === 0) await this.keys.insert(generated, manager);
    });
  }

  /** Generates and stores a new key, which becomes the set's signing key (rotation by adding). */
  async addKey(setId: string, alg: GeneratableAlg, options: { kid?: string; use?: 'sig' | 'enc' } = {}): Promise<StoredJwk> {
    const key = await this.generate(setId, alg, options);
    await this.keys.insert(key);
    this.forget(setId);
    return key;
  }

  /** Drops this process's copies of a set after a change, so that the change is used at once here. */
  forget(setId: string): void {
    this.signing.delete(setId);
    this.publics.delete(setId);
    this.verifiers.delete(setId);
  }

  /** The private JWK of a stored key, decrypted. */
  async privateJwk(stored: StoredJwk): Promise<JWK | null> {
    if (stored.privateJwkJwe === null) return null;
    return JSON.parse(await this.encryption.decrypt(stored.privateJwkJwe)) as JWK;
  }

  /** The key that signs for a set: its newest one with a private part. */
  signingKey(setId: string): Promise<SigningKey> {
    const cached = this.signing.get(setId);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.key;
    const key = this.loadSigningKey(setId);
    this.signing.set(setId, { at: Date.now(), key });
    key.catch(() => this.signing.delete(setId));
    return key;
  }

  /** The public keys of a set, newest first. */
  publicKeys(setId: string): Promise<JWK[]> {
    const cached = this.publics.get(setId);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.keys;
    const keys = this.keys.findSet(setId).then((all) => all.map((k) => k.publicJwk as JWK));
    this.publics.set(setId, { at: Date.now(), keys });
    keys.catch(() => this.publics.delete(setId));
    return keys;
  }

  /** A jose key set of the set's public keys, to verify what Hydrant signed. */
  async verificationKeySet(setId: string): Promise<JWTVerifyGetKey> {
    const keys = this.publicKeys(setId);
    const cached = this.verifiers.get(setId);
    if (cached && cached.keys === keys) return cached.keySet;
    const keySet = createLocalJWKSet({ keys: await keys });
    this.verifiers.set(setId, { keys, keySet });
    return keySet;
  }

  private async loadSigningKey(setId: string): Promise<SigningKey> {
    const stored = (await this.keys.findSet(setId)).find((k) => k.privateJwkJwe !== null && k.use === 'sig');
    if (!stored) throw new Error(`key set "${setId}" has no private signing key`);
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

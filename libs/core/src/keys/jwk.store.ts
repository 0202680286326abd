export interface StoredJwk {
  setId: string;
  kid: string;
  alg: string;
  use: string;
  publicJwk: Record<string, unknown>;
  privateJwkJwe: string | null;
  createdAt: Date;
}

/** A set's signing key as findSigningHead answers it. */
export interface SigningHead {
  kid: string;
  /** The public JWK as stored (JSON text): it names the key pair. */
  publicJwk: string;
}

/** What key management and signing need from storage: JSON Web Keys, by set. */
export interface JwkStore {
  /** Inside a unit of work, waits until no other one may be creating a set's first key. */
  lockSetCreation(): Promise<void>;
  /** The keys of a set, newest first. */
  findSet(setId: string): Promise<StoredJwk[]>;
  /** Every key of every set (the secret migration re-encrypts them all). */
  findAll(): Promise<StoredJwk[]>;
  /** The key a set signs with now: its newest key with a private part and use "sig". Read on every signature. */
  findSigningHead(setId: string): Promise<SigningHead | null>;
  /** The public JWKs of a set as stored (JSON text), newest first, in findSet's order. */
  findPublicKeys(setId: string): Promise<Array<{ kid: string; publicJwk: string }>>;
  /** One key of a set, or null. */
  findKey(setId: string, kid: string): Promise<StoredJwk | null>;
  /** Adds a key; one with the same set and kid is a 409 conflict. */
  insert(key: StoredJwk): Promise<void>;
  /** Inserts the key or replaces the one with the same set and kid (PUT semantics). */
  upsert(key: StoredJwk): Promise<void>;
  /** Whether a key was there to delete. */
  deleteKey(setId: string, kid: string): Promise<boolean>;
  /** How many keys the set had. */
  deleteSet(setId: string): Promise<number>;
}

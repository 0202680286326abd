/** An issued authorization code, keyed by its signature. Everything else about the grant is its flow's. */
export interface AuthorizationCodeRecord {
  signature: string;
  flowId: string;
  clientId: string;
  expiresAt: Date;
  used: boolean;
}

/** What the code flow needs from storage: issued authorization codes. */
export interface AuthorizationCodeStore {
  insert(code: AuthorizationCodeRecord): Promise<void>;
  findBySignature(signature: string): Promise<AuthorizationCodeRecord | null>;
  /** Marks the code used if nobody did before; answers whether this call did (RFC 6749 §4.1.2: single use). */
  markUsed(signature: string): Promise<boolean>;
  /** Deletes up to `batchSize` codes that expired before `before`; answers how many. */
  deleteExpiredBatch(before: Date, batchSize: number): Promise<number>;
}

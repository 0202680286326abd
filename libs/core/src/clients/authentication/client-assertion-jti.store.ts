/**
 * The jtis of assertions seen: client assertions (private_key_jwt, client_secret_jwt) and JWT bearer grant
 * assertions (RFC 7523 §3 item 7), each kept by a signature of what it must be unique within.
 */
export interface ClientAssertionJtiStore {
  /** Records a jti as used until `expiresAtMs`; answers false when it was recorded already (a replay). */
  remember(signature: string, expiresAtMs: number): Promise<boolean>;
  /** Forgets up to `batchSize` jtis whose assertions expired before `before`; answers how many. */
  deleteExpiredBatch(before: Date, batchSize: number): Promise<number>;
}

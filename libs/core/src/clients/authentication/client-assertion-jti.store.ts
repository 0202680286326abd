/** What client assertions (private_key_jwt, client_secret_jwt) need from storage: the jtis seen. */
export interface ClientAssertionJtiStore {
  /** Records a jti as used until `expiresAtMs`; a jti already recorded is a replay (`invalid_client`). */
  remember(signature: string, expiresAtMs: number): Promise<void>;
  /** Forgets up to `batchSize` jtis whose assertions expired before `before`; answers how many. */
  deleteExpiredBatch(before: Date, batchSize: number): Promise<number>;
}

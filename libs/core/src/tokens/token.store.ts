import { TokenKind, TokenRecord } from './token.model';

/** What the token handlers need from storage: issued access and refresh tokens, kept by signature. */
export interface TokenStore {
  /** Stores issued tokens; a client deleted meanwhile is `invalid_client`. */
  insert(tokens: TokenRecord[]): Promise<void>;
  /** The token of `kind` stored under `signature`, or null. */
  findBySignature(signature: string, kind: TokenKind): Promise<TokenRecord | null>;
  /** Marks one token inactive. */
  deactivate(signature: string): Promise<void>;
  /**
   * Marks every token of a grant inactive (a refresh chain, or what an authorization code issued), and ends
   * any rotation grace period: a revoked chain stays revoked.
   */
  deactivateRequest(requestId: string): Promise<void>;
  deactivateRequests(requestIds: string[]): Promise<void>;
  /**
   * Retires the tokens a grant issued so far, as a refresh does (Hydra's rotation): at once when `until` is
   * null, or else by ending their lifetime at `until` at the latest (the rotation grace period, during which
   * they live on). Leaves the time a refresh token was used, so its own grace period goes on.
   */
  retireRequest(requestId: string, until: Date | null): Promise<void>;
  /**
   * Retires a refresh token on use (rotation) if it is still active; answers whether this call did. The
   * time of use is kept for OAUTH2_REFRESH_TOKEN_ROTATION_GRACE_PERIOD.
   */
  rotate(signature: string, now: Date): Promise<boolean>;
  /** Deletes every token of a client; answers how many. */
  deleteByClient(clientId: string): Promise<number>;
  /** Deletes up to `batchSize` tokens that expired, or were revoked, before `before`; answers how many. */
  deleteInactiveBatch(before: Date, batchSize: number): Promise<number>;
}

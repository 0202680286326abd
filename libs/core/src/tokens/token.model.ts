/** What a stored token is; `personal_access_token` rows live in their own table (personal-access-token.store.ts). */
export type TokenKind = 'access_token' | 'refresh_token' | 'personal_access_token';

/** What Hydrant remembers of an issued token (keyed by its signature, never the token). */
export interface TokenRecord {
  signature: string;
  kind: TokenKind;
  /** Shared by every token issued from one grant: a refresh chain, or what one authorization code issued. */
  requestId: string;
  clientId: string;
  subject: string;
  scopes: string[];
  audience: string[];
  issuedAt: Date;
  expiresAt: Date;
  active: boolean;
  /** Extra claims the consent session attached to the access token (introspection `ext`). */
  ext: Record<string, unknown>;
  /** When a refresh token was rotated (read only; null while unused or once its chain is revoked). */
  usedAt?: Date | null;
}

export function isTokenUsable(token: TokenRecord, now = Date.now()): boolean {
  return token.active && token.expiresAt.getTime() > now;
}

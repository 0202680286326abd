import { OpaqueTokenCodec } from './opaque-token.codec';
import { JwtAccessTokenCodec, jwtSignature } from './jwt-access-token';
import { PersonalAccessToken, PersonalAccessTokenStore } from './personal-access-token.store';
import { TokenKind, TokenRecord } from './token.model';
import { TokenStore } from './token.store';

/**
 * Finds the record of a presented access, refresh or personal access token, whatever its format: an
 * opaque token whose HMAC verifies, or a JWT access token whose signature verifies. Anything else resolves
 * to null before the database is asked.
 */
export class TokenResolver {
  constructor(
    private readonly codec: OpaqueTokenCodec,
    private readonly jwts: JwtAccessTokenCodec,
    private readonly tokens: TokenStore,
    private readonly pats: PersonalAccessTokenStore,
  ) {}

  async resolve(token: string): Promise<TokenRecord | null> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 8192) return null;
    const kind = this.codec.kindOf(token);
    if (kind === 'access_token' || kind === 'refresh_token') {
      const signature = this.codec.verify(token, kind);
      return signature === null ? null : this.tokens.findBySignature(signature, kind as TokenKind);
    }
    if (kind === 'personal_access_token') {
      const signature = this.codec.verify(token, kind);
      const pat = signature === null ? null : await this.pats.findBySignature(signature);
      return pat === null ? null : patRecord(pat);
    }
    const jti = await this.jwts.verify(token);
    return jti === null ? null : this.tokens.findBySignature(jwtSignature(jti), 'access_token');
  }
}

/** A personal access token as a bearer token of its subject: no client, no grant, no audience. */
function patRecord(pat: PersonalAccessToken): TokenRecord {
  return {
    signature: pat.signature,
    kind: 'personal_access_token',
    requestId: pat.id,
    clientId: '',
    subject: pat.subject,
    scopes: pat.scopes,
    audience: [],
    issuedAt: pat.createdAt,
    expiresAt: pat.expiresAt,
    active: true,
    ext: {},
  };
}

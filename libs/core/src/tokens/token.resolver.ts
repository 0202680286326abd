import { OpaqueTokenCodec } from './opaque-token.codec';
import { JwtAccessTokenCodec, jwtSignature } from './jwt-access-token';
import { TokenKind, TokenRecord } from './token.model';
import { TokenRepository } from './token.repository';

/**
 * Finds the record of a presented access or refresh token, whatever its format: an opaque token whose
 * HMAC verifies, or a JWT access token whose signature verifies. Anything else resolves to null before
 * the database is asked.
 */
export class TokenResolver {
  constructor(
    private readonly codec: OpaqueTokenCodec,
    private readonly jwts: JwtAccessTokenCodec,
    private readonly tokens: TokenRepository,
  ) {}

  async resolve(token: string): Promise<TokenRecord | null> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 8192) return null;
    const kind = this.codec.kindOf(token);
    if (kind === 'access_token' || kind === 'refresh_token') {
      const signature = this.codec.verify(token, kind);
      return signature === null ? null : this.tokens.findBySignature(signature, kind as TokenKind);
    }
    const jti = await this.jwts.verify(token);
    return jti === null ? null : this.tokens.findBySignature(jwtSignature(jti), 'access_token');
  }
}

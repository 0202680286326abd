import { jwtVerify, SignJWT } from 'jose';
import { v7 as timeOrderedUuid } from 'uuid';
import { KeySetService } from '../keys/key-set.service';
import { KEY_SETS } from '../keys/key-sets';

/** The typ of RFC 9068 access tokens. */
export const AT_JWT_TYP = 'at+jwt';

export interface JwtAccessTokenClaims {
  subject: string;
  clientId: string;
  scopes: string[];
  audience: string[];
  issuedAt: Date;
  expiresAt: Date;
  ext: Record<string, unknown>;
}

/** The storage key of a JWT access token: its jti, in a namespace apart from opaque signatures. */
export function jwtSignature(jti: string): string {
  return `jwt_${jti}`;
}

/**
 * JWT access tokens (RFC 9068), signed with the newest key of `hydra.jwt.access-token`. Besides the
 * RFC's `scope` string they carry Hydra's `scp` array and `ext` claims, so that resource servers written
 * for Hydra read them unchanged. Each is also recorded by its jti, which is what makes it revocable.
 */
export class JwtAccessTokenCodec {
  constructor(
    private readonly keys: KeySetService,
    private readonly issuer: string,
  ) {}

  async sign(claims: JwtAccessTokenClaims): Promise<{ token: string; jti: string }> {
    const key = await this.keys.signingKey(KEY_SETS.accessToken);
    // Time-ordered (UUIDv7), as the record is stored under it: new rows append to the index.
    const jti = timeOrderedUuid();
    const token = await new SignJWT({
      client_id: claims.clientId,
      scope: claims.scopes.join(' '),
      scp: claims.scopes,
      ...(Object.keys(claims.ext).length > 0 ? { ext: claims.ext } : {}),
    })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: AT_JWT_TYP })
      .setIssuer(this.issuer)
      .setSubject(claims.subject)
      .setAudience(claims.audience)
      .setJti(jti)
      .setIssuedAt(Math.floor(claims.issuedAt.getTime() / 1000))
      .setNotBefore(Math.floor(claims.issuedAt.getTime() / 1000))
      .setExpirationTime(Math.floor(claims.expiresAt.getTime() / 1000))
      .sign(key.key);
    return { token, jti };
  }

  /** The jti of a JWT access token that Hydrant signed and that has not expired; null otherwise. */
  async verify(token: string): Promise<string | null> {
    if (token.split('.').length !== 3) return null;
    try {
      const { payload } = await jwtVerify(token, await this.keys.verificationKeySet(KEY_SETS.accessToken), {
        issuer: this.issuer,
        typ: AT_JWT_TYP,
      });
      return typeof payload.jti === 'string' ? payload.jti : null;
    } catch {
      return null;
    }
  }
}

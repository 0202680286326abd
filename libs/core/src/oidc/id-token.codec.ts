import { createHash, randomUUID } from 'node:crypto';
import { decodeJwt, jwtVerify, SignJWT } from 'jose';
import { KeySetService } from '../keys/key-set.service';
import { KEY_SETS } from '../keys/key-sets';

export interface IdTokenClaims {
  subject: string;
  clientId: string;
  issuedAt: Date;
  expiresAt: Date;
  authTime: number;
  nonce?: string;
  acr?: string;
  amr?: string[];
  sid?: string;
  /** The access token issued with it, for `at_hash`. */
  accessToken?: string;
  /** The consent's `session.id_token` claims; they never override the registered claims. */
  extra: Record<string, unknown>;
}

/** Claims the consent app cannot set: OIDC Core §2 and what Hydrant computes itself. */
const RESERVED = ['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'auth_time', 'nonce', 'acr', 'amr', 'azp', 'sid', 'at_hash', 'c_hash'];

/** OIDC Core §3.1.3.6: the left half of the hash of the access token, with the hash of the signing alg. */
export function atHash(accessToken: string, alg: string): string {
  const bits = /(\d{3})$/.exec(alg)?.[1] ?? '256';
  const digest = createHash(`sha${bits === '384' || bits === '512' ? bits : '256'}`).update(accessToken).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/**
 * ID tokens (OIDC Core §2), signed with the newest key of `hydra.openid.id-token`; and the reading of an
 * `id_token_hint`, which must be one Hydrant signed (expired ones are fine, OIDC Core §3.1.2.1).
 */
export class IdTokenCodec {
  constructor(
    private readonly keys: KeySetService,
    private readonly issuer: string,
  ) {}

  async sign(claims: IdTokenClaims): Promise<string> {
    const key = await this.keys.signingKey(KEY_SETS.idToken);
    const extra = Object.fromEntries(Object.entries(claims.extra).filter(([k]) => !RESERVED.includes(k)));
    const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
    return new SignJWT({
      ...extra,
      auth_time: claims.authTime,
      ...(claims.nonce ? { nonce: claims.nonce } : {}),
      ...(claims.acr ? { acr: claims.acr } : {}),
      ...(claims.amr && claims.amr.length > 0 ? { amr: claims.amr } : {}),
      ...(claims.sid ? { sid: claims.sid } : {}),
      ...(claims.accessToken ? { at_hash: atHash(claims.accessToken, key.alg) } : {}),
    })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setSubject(claims.subject)
      .setAudience([claims.clientId])
      .setJti(randomUUID())
      .setIssuedAt(seconds(claims.issuedAt))
      .setExpirationTime(seconds(claims.expiresAt))
      .sign(key.key);
  }

  /** The claims of an ID token Hydrant issued to `clientId` (any client when omitted), expired or not; null for anything else. */
  async readHint(token: string, clientId?: string): Promise<Record<string, unknown> | null> {
    try {
      const issuedAt = decodeJwt(token).iat;
      const { payload } = await jwtVerify(token, await this.keys.verificationKeySet(KEY_SETS.idToken), {
        issuer: this.issuer,
        // Verified as of its own issue time: an expired ID token is still a good hint of who it was for.
        currentDate: new Date(typeof issuedAt === 'number' ? issuedAt * 1000 : Date.now()),
      });
      const audience = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      return clientId === undefined || audience.includes(clientId) ? payload : null;
    } catch {
      return null;
    }
  }

  /** OIDC Back-Channel Logout 1.0 §2.4: the logout token sent to a client when a session ends. */
  async signLogoutToken(clientId: string, subject: string, sid: string): Promise<string> {
    const key = await this.keys.signingKey(KEY_SETS.idToken);
    return new SignJWT({ sid, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'logout+jwt' })
      .setIssuer(this.issuer)
      .setSubject(subject)
      .setAudience([clientId])
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('2m')
      .sign(key.key);
  }
}

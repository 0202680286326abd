import { createHmac, hkdfSync } from 'node:crypto';
import { safeEqual } from '../clients/client-secret.hasher';
import { randomKey } from './random-key';

export type OpaqueTokenKind = 'access_token' | 'refresh_token' | 'authorization_code';

/** Readable prefixes (API.md "Tokens"), so that a leaked token is recognisable by secret scanners. */
export const TOKEN_PREFIXES: Record<OpaqueTokenKind, string> = {
  access_token: 'hy_at_',
  refresh_token: 'hy_rt_',
  authorization_code: 'hy_ac_',
};

/** 256 random bits and an HMAC-SHA256, both base64url without padding. */
const TOKEN_BODY = /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/;

export interface MintedToken {
  /** What the client receives: prefix, 256 random bits, a dot, and the signature. */
  token: string;
  /** What the database keeps: HMAC-SHA256 of the random part. The token itself is never stored. */
  signature: string;
}

/**
 * Opaque tokens in fosite's HMAC scheme: `<prefix><key>.<HMAC(key)>`. Storage is keyed by the signature, so
 * a copy of the database does not hold a single usable token. The HMAC keys are derived (HKDF) from
 * SECRETS_SYSTEM; tokens are minted under the first secret and verified under every one, so that the
 * secret can rotate without logging everyone out.
 */
export class OpaqueTokenCodec {
  private readonly keys: Buffer[];

  constructor(systemSecrets: readonly string[]) {
    if (systemSecrets.length === 0) throw new Error('OpaqueTokenCodec needs at least one system secret');
    this.keys = systemSecrets.map((s) => Buffer.from(hkdfSync('sha256', s, 'hydrant', 'opaque-token-hmac', 32)));
  }

  mint(kind: OpaqueTokenKind): MintedToken {
    const key = randomKey();
    const signature = this.sign(this.keys[0], key);
    return { token: `${TOKEN_PREFIXES[kind]}${key}.${signature}`, signature };
  }

  /**
   * The signature of a well-formed token of `kind` whose HMAC verifies under one of the system secrets;
   * null for anything else, so callers never touch the database for a forged or foreign token.
   */
  verify(token: string, kind: OpaqueTokenKind): string | null {
    const prefix = TOKEN_PREFIXES[kind];
    // Exactly the shape mint() writes. Buffer.from(…, 'base64url') skips characters outside the alphabet,
    // so a looser check let `<token>%00` verify and reach the database with a NUL (a 500 on PostgreSQL).
    if (typeof token !== 'string' || !token.startsWith(prefix) || !TOKEN_BODY.test(token.slice(prefix.length))) return null;
    const [key, signature] = token.slice(prefix.length).split('.');
    const presented = Buffer.from(signature, 'base64url');
    for (const hmacKey of this.keys) {
      if (safeEqual(presented, Buffer.from(this.sign(hmacKey, key), 'base64url'))) return signature;
    }
    return null;
  }

  /** The kind a token's prefix announces, if any. */
  kindOf(token: string): OpaqueTokenKind | undefined {
    return (Object.keys(TOKEN_PREFIXES) as OpaqueTokenKind[]).find((k) => token.startsWith(TOKEN_PREFIXES[k]));
  }

  private sign(hmacKey: Buffer, key: string): string {
    return createHmac('sha256', hmacKey).update(key).digest('base64url');
  }
}

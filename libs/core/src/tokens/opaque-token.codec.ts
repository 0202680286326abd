import { createHmac, hkdfSync } from 'node:crypto';
import { safeEqual } from '../clients/client-secret.hasher';
import { randomKey } from './random-key';

export type OpaqueTokenKind = 'access_token' | 'refresh_token' | 'authorization_code' | 'personal_access_token' | 'device_code';

/** Readable prefixes (API.md "Tokens"), so that a leaked token is recognisable by secret scanners. */
export const TOKEN_PREFIXES: Record<OpaqueTokenKind, string> = {
  access_token: 'hy_at_',
  refresh_token: 'hy_rt_',
  authorization_code: 'hy_ac_',
  personal_access_token: 'hy_pat_',
  device_code: 'hy_dc_',
};

/** The time-ordered head: milliseconds since the epoch, 12 hex digits (sortable as text until the year 10889). */
const HEAD_LENGTH = 12;

/** The head, 256 random bits, a dot and an HMAC-SHA256, all base64url without padding. */
const TOKEN_BODY = /^[0-9a-f]{12}[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/;

export interface MintedToken {
  /** What the client receives: prefix, the key (time head and 256 random bits), a dot, and the HMAC of the key. */
  token: string;
  /** What the database keeps: the time head, a dot, and the HMAC. The token itself is never stored. */
  signature: string;
}

/**
 * Opaque tokens in fosite's HMAC scheme, `<prefix><key>.<HMAC(key)>`, with a key that starts with the time
 * it was minted: `<head><256 random bits>`. Storage is keyed by the signature, `<head>.<HMAC>`, so a copy of
 * the database does not hold a single usable token, and new rows land at the end of the key's b-tree rather
 * than on a random page of it: on SQLite a random key cost each issued token a page of its own in the
 * write-ahead log (a third of the database's work per token). The HMAC keys are derived (HKDF) from
 * SECRETS_SYSTEM; tokens are minted under the first secret and verified under every one, so that the
 * secret can rotate without logging everyone out.
 */
export class OpaqueTokenCodec {
  private readonly keys: Buffer[];

  constructor(systemSecrets: readonly string[]) {
    if (systemSecrets.length === 0) throw new Error('OpaqueTokenCodec needs at least one system secret');
    this.keys = systemSecrets.map((s) => Buffer.from(hkdfSync('sha256', s, 'hydrant', 'opaque-token-hmac', 32)));
  }

  mint(kind: OpaqueTokenKind, now = Date.now()): MintedToken {
    const head = now.toString(16).padStart(HEAD_LENGTH, '0');
    const key = `${head}${randomKey()}`;
    const hmac = this.sign(this.keys[0], key);
    return { token: `${TOKEN_PREFIXES[kind]}${key}.${hmac}`, signature: `${head}.${hmac}` };
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
    const [key, hmac] = token.slice(prefix.length).split('.');
    const presented = Buffer.from(hmac, 'base64url');
    for (const hmacKey of this.keys) {
      if (safeEqual(presented, Buffer.from(this.sign(hmacKey, key), 'base64url'))) return `${key.slice(0, HEAD_LENGTH)}.${hmac}`;
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

import { createHmac } from 'node:crypto';
import { safeEqual } from '../clients/client-secret.hasher';
import { hashSecret } from '../flows/flow-credentials';
import { randomKey } from '../tokens/random-key';

/** A device challenge that verified: the browser it binds and until when. */
export interface VerifiedDeviceChallenge {
  /** The hash of the CSRF value in the browser's device cookie. */
  csrfHash: string;
}

/**
 * The `device_challenge` that `/oauth2/device/verify` hands the operator's device page: Hydra's step before
 * the user code is known. It is stateless, `<csrf hash>.<expiry ms>.<HMAC>` under the system secret, so a
 * visit writes nothing; it binds the browser that got the matching CSRF cookie, and it ends with
 * TTL_DEVICE_USER_CODE. What makes it useful once, the user code, is single use in the database.
 */
export class DeviceChallenges {
  constructor(
    private readonly secrets: readonly string[],
    private readonly ttlMs: number,
  ) {}

  /** A new challenge, and the CSRF value for the browser's cookie. */
  mint(now = Date.now()): { challenge: string; csrf: string; maxAgeMs: number } {
    const csrf = randomKey();
    const body = `${hashSecret(csrf)}.${now + this.ttlMs}`;
    return { challenge: `${body}.${this.mac(this.secrets[0], body)}`, csrf, maxAgeMs: this.ttlMs };
  }

  /** The challenge's binding if it is one of ours and has not expired; null otherwise. */
  verify(challenge: unknown, now = Date.now()): VerifiedDeviceChallenge | null {
    if (typeof challenge !== 'string' || challenge.length > 200) return null;
    const [csrfHash, expiry, mac, extra] = challenge.split('.');
    if (!csrfHash || !expiry || !mac || extra !== undefined || !/^\d{1,15}$/.test(expiry)) return null;
    const body = `${csrfHash}.${expiry}`;
    if (!this.secrets.some((secret) => safeEqual(Buffer.from(this.mac(secret, body)), Buffer.from(mac)))) return null;
    return Number(expiry) > now ? { csrfHash } : null;
  }

  private mac(secret: string, body: string): string {
    return createHmac('sha256', secret).update(`device-challenge\0${body}`).digest('base64url');
  }
}

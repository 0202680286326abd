import { createHash } from 'node:crypto';
import { safeEqual } from '../clients/client-secret.hasher';
import { randomKey } from '../tokens/random-key';

/**
 * The strings a flow hands out: challenges (for the login and consent apps, through the admin API) and
 * verifiers (through the browser, back to `/oauth2/auth`). Each is `<flow id>.<random>`: the id finds the
 * row. A verifier is a bearer secret, so the row keeps only its SHA-256 and a copy of the database cannot
 * replay one. Challenges only name a flow to the trusted admin API and are kept as they are (Hydra lists
 * them in consent sessions); the login challenge is the bare flow id.
 */
export interface FlowCredential {
  /** What is handed out. */
  value: string;
  /** What the flow row keeps. */
  hash: string;
}

export function newFlowId(): string {
  return randomKey();
}

export function mintFlowCredential(flowId: string): FlowCredential {
  const secret = randomKey();
  return { value: `${flowId}.${secret}`, hash: hashSecret(secret) };
}

/** The flow id a credential names, or null when it is not one. */
export function flowIdOf(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 200) return null;
  const id = value.split('.')[0];
  return /^[A-Za-z0-9_-]{16,64}$/.test(id) ? id : null;
}

/** Whether `value` is the credential whose hash the flow kept, in constant time. */
export function credentialMatches(value: string, hash: string | null): boolean {
  if (hash === null) return false;
  const [, secret, extra] = value.split('.');
  if (!secret || extra !== undefined) return false;
  return safeEqual(Buffer.from(hashSecret(secret)), Buffer.from(hash));
}

/** Whether `value` is the challenge the flow kept, in constant time. */
export function sameChallenge(value: string, stored: string | null): boolean {
  return stored !== null && safeEqual(Buffer.from(value), Buffer.from(stored));
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

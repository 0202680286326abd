/**
 * The cookies of the browser flow, described without a framework: the public app (flow-cookies.writer.ts)
 * writes them signed (SECRETS_COOKIE), HttpOnly, SameSite=Lax, and Secure when the issuer is https.
 */
export interface CookieInstruction {
  name: string;
  /** Null clears the cookie. */
  value: string | null;
  /** Omitted: a session cookie, gone when the browser closes. */
  maxAgeMs?: number;
}

/** Remembers an authenticated subject in this browser (Hydra's `ory_hydra_session`). */
export const SESSION_COOKIE = 'hydrant_authentication_session';

/** Binds a device challenge (RFC 8628) to the browser that opened `/oauth2/device/verify`. */
export const DEVICE_CSRF_COOKIE = 'hydrant_device_csrf';

/**
 * Binds one flow to the browser that started it. One cookie per flow, named after it, so that several
 * tabs can sign in at once without overwriting each other's.
 */
export function csrfCookieName(flowId: string): string {
  return `hydrant_csrf_${flowId.slice(0, 16)}`;
}

/** The signed cookies a request carried: a value, or false when the signature did not verify. */
export type SignedCookies = Readonly<Record<string, string | false | undefined>>;

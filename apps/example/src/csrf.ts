import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Request, Response } from 'express';
import { PageError } from './page-error';

/** A random per-browser secret; another site can make the browser send it but never read it. */
const COOKIE = 'example_csrf';

/** The name of the hidden form field that carries the token. */
export const CSRF_FIELD = '_csrf';

function cookieSecret(req: Request): string | undefined {
  const value: unknown = req.cookies?.[COOKIE];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function tokenFor(secret: string, challenge: string): Buffer {
  return createHmac('sha256', secret).update(challenge).digest();
}

/**
 * The token for a form about `challenge`: an HMAC of the challenge under the browser's secret cookie
 * (set here on first use). A forged form lacks it, and a token copied from one flow does not fit another.
 */
export function csrfToken(req: Request, res: Response, challenge: string): string {
  let secret = cookieSecret(req);
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    res.cookie(COOKIE, secret, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
  }
  return tokenFor(secret, challenge).toString('base64url');
}

/** Refuses a form whose token does not match the browser's cookie and the form's challenge. */
export function verifyCsrf(req: Request, challenge: string, token: string): void {
  const secret = cookieSecret(req);
  const presented = Buffer.from(token, 'base64url');
  const valid = secret !== undefined && presented.length === 32 && timingSafeEqual(presented, tokenFor(secret, challenge));
  if (!valid) {
    throw new PageError(403, 'This form has expired', 'The form was not sent from this browser\'s page, or its cookies were cleared. Go back and try again.');
  }
}

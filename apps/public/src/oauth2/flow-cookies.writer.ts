import { Response } from 'express';
import { CookieInstruction } from '@hydrant/core';

/**
 * Writes the browser flow's cookies as libs/core describes them: signed (SECRETS_COOKIE), HttpOnly,
 * SameSite=Lax (they must come along on the top-level redirects back from the login and consent apps),
 * for the whole site, and Secure when the issuer is https.
 */
export function writeFlowCookies(res: Response, cookies: CookieInstruction[], secure: boolean): void {
  const options = { httpOnly: true, sameSite: 'lax' as const, secure, path: '/' };
  for (const cookie of cookies) {
    if (cookie.value === null) res.clearCookie(cookie.name, options);
    else res.cookie(cookie.name, cookie.value, { ...options, signed: true, ...(cookie.maxAgeMs ? { maxAge: cookie.maxAgeMs } : {}) });
  }
}

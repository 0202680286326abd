import { NextFunction, Request, Response } from 'express';
import { Errors, safeEqual, sha256 } from '@hydrant/core';

/** Paths served as they are; every other path without `/admin` is served as if it had it (Hydra's behaviour). */
const UNPREFIXED = /^\/(admin|health|version|metrics)(\/|$|\?)/;
/** Hydra also serves the probes, the version and the metrics under `/admin`: the same routes, and the probes without the key. */
const PREFIXED_OPERATIONAL = /^\/admin(\/(health|version|metrics)(\/|$|\?))/;

/**
 * Rewrites legacy paths (`/clients`, `/oauth2/introspect`, `/keys/...`) to their `/admin/...` form, and
 * Hydra's `/admin/health/*`, `/admin/version` and `/admin/metrics/*` to the operational routes.
 */
export function adminPrefix(req: Request, _res: Response, next: NextFunction): void {
  if (PREFIXED_OPERATIONAL.test(req.url)) req.url = req.url.slice('/admin'.length);
  else if (!UNPREFIXED.test(req.url)) req.url = `/admin${req.url}`;
  next();
}

/** Admin answers carry client secrets and session data: no cache may keep any of them. */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/**
 * SERVE_ADMIN_API_KEYS: when keys are configured, every request except the health probes must carry
 * `Authorization: Bearer <key>`. Keys are compared as SHA-256 digests in constant time. The check throws
 * `unauthorized` (401, rendered with a Bearer challenge by the admin error answer).
 */
export function adminApiKeyCheck(keys: string[]): (req: Request) => void {
  const digests = keys.map(sha256);
  return (req: Request): void => {
    if (digests.length === 0 || req.path.startsWith('/health/')) return;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const presented = sha256(match?.[1] ?? '');
    let ok = false;
    for (const digest of digests) ok = safeEqual(presented, digest) || ok;
    if (!ok) throw Errors.unauthorized().withHint('The admin API requires a valid API key as a bearer token.');
  };
}

/** The API-key check as middleware, for every admin route but the fast ones (which run it as their guard). */
export function adminApiKeys(check: (req: Request) => void) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    try {
      check(req);
      next();
    } catch (e) {
      next(e);
    }
  };
}

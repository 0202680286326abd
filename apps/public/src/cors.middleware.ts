import { NextFunction, Request, Response } from 'express';
import { CorsPolicy } from '@hydrant/core';

/** The public endpoints a browser-based client calls directly. */
const CORS_PATHS = new Set(['/oauth2/token', '/oauth2/revoke', '/oauth2/token/revoke', '/userinfo', '/oauth2/userinfo']);

/** The client a request is made as: HTTP Basic user, or the `client_id` form parameter. */
function clientIdOf(req: Request, form: unknown): string | undefined {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const user = Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
    try {
      return decodeURIComponent(user.replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
  }
  const fromBody = (form as Record<string, unknown> | undefined)?.client_id;
  return typeof fromBody === 'string' ? fromBody : undefined;
}

/**
 * Adds `Access-Control-Allow-Origin` to the response of a CORS request (one with an Origin) when the policy
 * allows that origin for the client the request is made as; `form` is the request's parsed body.
 */
export async function allowCorsOrigin(policy: CorsPolicy, req: Request, res: Response, form: unknown): Promise<void> {
  const origin = req.headers.origin;
  if (!policy.enabled || !origin) return;
  res.vary('Origin');
  if (await policy.allows(origin, clientIdOf(req, form))) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
  }
}

/**
 * CORS for the token, revocation and userinfo endpoints. A preflight is answered for any origin (it only
 * lets the browser send the request); the actual response carries `Access-Control-Allow-Origin` only when
 * the policy allows that origin for the client the request is made as. The token and revocation fast
 * routes call allowCorsOrigin themselves.
 */
export function publicCors(policy: CorsPolicy) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const origin = req.headers.origin;
    if (!policy.enabled || !origin || !CORS_PATHS.has(req.path)) return next();
    if (req.method === 'OPTIONS') {
      res.vary('Origin');
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    try {
      await allowCorsOrigin(policy, req, res, req.body);
      next();
    } catch (e) {
      next(e);
    }
  };
}

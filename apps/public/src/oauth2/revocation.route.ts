import type { Request, Response } from 'express';
import { CorsPolicy, FastRoute, RevocationService } from '@hydrant/core';
import { allowCorsOrigin } from '../cors.middleware';

/** Where RFC 7009 revocation is served: Hydra's path, and Fluxer's (`/oauth2/token/revoke`). */
export const REVOCATION_PATHS = ['/oauth2/revoke', '/oauth2/token/revoke'] as const;

/**
 * RFC 7009 token revocation as fast routes, one per path: the client authenticates, the answer is 200 with
 * no body (§2.2). The form may also arrive as multipart/form-data, as Fluxer's clients send it.
 */
export function revocationRoutes(revocation: RevocationService, cors: CorsPolicy): FastRoute[] {
  return REVOCATION_PATHS.map((path) => ({
    path,
    multipart: true,
    async handle(form, req: Request, res: Response) {
      await allowCorsOrigin(cors, req, res, form);
      await revocation.revoke(form, req.headers.authorization, req.ip);
      return { status: 200, headers: { 'Cache-Control': 'no-store' } };
    },
  }));
}

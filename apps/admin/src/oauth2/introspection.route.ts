import type { Request } from 'express';
import { FastRoute, IntrospectionService } from '@hydrant/core';

/**
 * RFC 7662 token introspection, on the admin port as in Hydra (the legacy `/oauth2/introspect` arrives here
 * rewritten by adminPrefix).
 * Resource servers ask it on every request they serve, so it is a fast route
 * (libs/core/src/http/fast-routes.ts), behind the same API-key check as the rest of the admin API. Like the
 * token endpoint it reads its form with libs/core's parameter rules rather than a DTO: running the global
 * ValidationPipe for two string fields was an eighth of an introspection's CPU.
 */
/** Where the admin port serves introspection (and, through adminPrefix, the legacy `/oauth2/introspect`). */
export const ADMIN_INTROSPECTION_PATH = '/admin/oauth2/introspect';

export function introspectionRoute(introspection: IntrospectionService, guard: (req: Request) => void): FastRoute {
  return {
    path: ADMIN_INTROSPECTION_PATH,
    guard,
    async handle(form) {
      return { status: 200, headers: { 'Cache-Control': 'no-store' }, body: await introspection.introspectRequest(form) };
    },
  };
}

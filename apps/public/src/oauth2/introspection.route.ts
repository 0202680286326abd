import type { Request } from 'express';
import { FastRoute, IntrospectionService } from '@hydrant/core';

export const PUBLIC_INTROSPECTION_PATH = '/oauth2/introspect';

/**
 * RFC 7662 token introspection on the public port (Spatio's and Fluxer's `/oauth2/introspect`): the caller
 * authenticates as a client, as §2.1 asks. A fast route like the token endpoint, since resource servers
 * ask it on every request they serve; the form may also arrive as multipart/form-data (Fluxer).
 */
export function introspectionRoute(introspection: IntrospectionService): FastRoute {
  return {
    path: PUBLIC_INTROSPECTION_PATH,
    multipart: true,
    async handle(form, req: Request) {
      return { status: 200, headers: { 'Cache-Control': 'no-store' }, body: await introspection.introspectForClient(form, req.headers.authorization, req.ip) };
    },
  };
}

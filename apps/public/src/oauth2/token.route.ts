import type { Request, Response } from 'express';
import { CorsPolicy, FastRoute, TokenEndpoint } from '@hydrant/core';
import { allowCorsOrigin } from '../cors.middleware';

const TOKEN_RESPONSE_HEADERS = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export const TOKEN_PATH = '/oauth2/token';

/**
 * RFC 6749 §3.2: the token endpoint, served as a fast route (libs/core/src/http/fast-routes.ts). The form
 * may also arrive as multipart/form-data, as Fluxer's clients send it.
 */
export function tokenRoute(endpoint: TokenEndpoint, cors: CorsPolicy): FastRoute {
  return {
    path: TOKEN_PATH,
    multipart: true,
    async handle(form, req: Request, res: Response) {
      await allowCorsOrigin(cors, req, res, form);
      return { status: 200, headers: TOKEN_RESPONSE_HEADERS, body: await endpoint.exchange(form, req.headers.authorization, req.ip) };
    },
  };
}

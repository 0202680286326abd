import { buildOpenApiDocument, HealthController, OpenApiPortDescription } from '@hydrant/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { OAuth2ErrorResponse } from '../oauth2-error.response';
import { PublicFastRoutesDocumentation } from '../oauth2/fast-routes.openapi';
import { UserinfoResponse } from '../oidc/userinfo.response';
import { PUBLIC_CONTROLLERS } from '../public.module';

/** Where the public port serves its document. */
export const PUBLIC_OPENAPI_PATH = '/openapi.json';

export const PUBLIC_OPENAPI: OpenApiPortDescription = {
  title: 'Hydrant public API',
  description:
    "Ory Hydra's v2 public API (port 4444): OAuth 2.1 and OpenID Connect, with the public paths of the seed documents. " +
    'Errors answer RFC 6749 error JSON (`{"error", "error_description"}`); the browser endpoints answer redirects and HTML pages.',
  controllers: [HealthController, ...PUBLIC_CONTROLLERS, PublicFastRoutesDocumentation],
  securitySchemes: {
    client_secret_basic: { type: 'http', scheme: 'basic', description: 'RFC 6749 §2.3.1: client_id and client_secret.' },
    access_token: { type: 'http', scheme: 'bearer', description: 'RFC 6750: an access token (or a personal access token).' },
    registration_access_token: { type: 'http', scheme: 'bearer', description: "RFC 7592: the client's registration access token." },
    bot_token: { type: 'http', scheme: 'bearer', description: "Fluxer: an application's bot token, as `Bot <token>` or a bearer." },
  },
  errorResponse: OAuth2ErrorResponse,
  openObjects: [UserinfoResponse],
};

/** The public port's OpenAPI document. */
export function buildPublicOpenApiDocument(): Promise<OpenAPIObject> {
  return buildOpenApiDocument(PUBLIC_OPENAPI);
}

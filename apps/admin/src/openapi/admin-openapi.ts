import { buildOpenApiDocument, HealthController, OpenApiPortDescription, PathAlias } from '@hydrant/core';
import { AdminErrorResponse } from '../admin-error.response';
import { ADMIN_CONTROLLERS } from '../admin.module';
import { AdminIntrospectionDocumentation } from '../oauth2/introspection.openapi';
import type { OpenAPIObject } from '@nestjs/swagger';

/** Where the admin port serves its document and Swagger UI (adminPrefix serves `/openapi.json` and `/docs` here too). */
export const ADMIN_OPENAPI_PATH = '/admin/openapi.json';
export const ADMIN_DOCS_PATH = '/admin/docs';

const unprefixed = (path: string): PathAlias => ({ path: path.slice('/admin'.length), of: path, operationIdSuffix: '_unprefixed' });
const prefixed = (path: string): PathAlias => ({ path: `/admin${path}`, of: path, operationIdSuffix: '_prefixed' });

/**
 * The paths adminPrefix serves as another path, that API.md or a seed document spells that way: Hydra v0's
 * (`/clients`, `/oauth2/flush`, `/keys/{set}`, `/oauth2/consent/requests/{id}`), Fluxer's applications and
 * authorizations, and Hydra v2's `/admin/health/*`, `/admin/version` and `/admin/metrics/prometheus`.
 */
export const ADMIN_PATH_ALIASES: readonly PathAlias[] = [
  ...[
    '/admin/clients',
    '/admin/clients/{id}',
    '/admin/keys/{set}',
    '/admin/keys/{set}/{kid}',
    '/admin/oauth2/introspect',
    '/admin/oauth2/flush',
    '/admin/oauth2/consent/requests/{id}',
    '/admin/oauth2/consent/requests/{id}/accept',
    '/admin/oauth2/consent/requests/{id}/reject',
    '/admin/oauth2/applications',
    '/admin/oauth2/applications/@me',
    '/admin/oauth2/applications/{id}',
    '/admin/oauth2/applications/{id}/client-secret/reset',
    '/admin/oauth2/applications/{id}/bot/reset-token',
    '/admin/oauth2/applications/{id}/bot',
    '/admin/users/@me/applications',
    '/admin/applications/@me',
    '/admin/oauth2/@me/authorizations',
    '/admin/oauth2/@me/authorizations/{applicationId}',
    '/admin/oauth2/authorize/consent',
  ].map(unprefixed),
  ...['/health/alive', '/health/ready', '/version', '/metrics/prometheus'].map(prefixed),
];

export const ADMIN_OPENAPI: OpenApiPortDescription = {
  title: 'Hydrant admin API',
  description:
    "Ory Hydra's v2 admin API (port 4445), with the admin paths of the seed documents. A path without `/admin` is served as if it had it. " +
    'Errors answer `{"error", "error_description", "status_code"}`. When SERVE_ADMIN_API_KEYS is set, every request but the health probes needs one of the keys as a bearer token.',
  controllers: [HealthController, ...ADMIN_CONTROLLERS, AdminIntrospectionDocumentation],
  securitySchemes: { admin_api_key: { type: 'http', scheme: 'bearer', description: 'One of SERVE_ADMIN_API_KEYS, when set.' } },
  security: [{ admin_api_key: [] }, {}],
  aliases: ADMIN_PATH_ALIASES,
  errorResponse: AdminErrorResponse,
};

/** The admin port's OpenAPI document. */
export function buildAdminOpenApiDocument(): Promise<OpenAPIObject> {
  return buildOpenApiDocument(ADMIN_OPENAPI);
}

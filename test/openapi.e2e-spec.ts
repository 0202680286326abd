import SwaggerParser from '@apidevtools/swagger-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { OpenAPIObject } from '@nestjs/swagger';
import { LIFESPAN_FIELDS, openApiFileText } from '@hydrant/core';
import { buildAdminOpenApiDocument } from '../apps/admin/src/openapi/admin-openapi';
import { buildPublicOpenApiDocument } from '../apps/public/src/openapi/public-openapi';
import { startTestServer, TestServer } from './support/test-runtime';

/**
 * The OpenAPI documents (issue 14): each port serves its own at `/openapi.json`, a real validator accepts
 * it, it names every path of API.md and of the seed documents, the committed `openapi/*.json` are what
 * `npm run openapi` writes now, and real answers validate against their documented schemas with no member
 * the document does not declare.
 */

type Port = 'public' | 'admin';
const BUILD: Record<Port, () => Promise<OpenAPIObject>> = { public: buildPublicOpenApiDocument, admin: buildAdminOpenApiDocument };
const committed = (port: Port): string => readFileSync(join(__dirname, '..', 'openapi', `${port}.json`), 'utf8');

/** API.md's paths and the seed documents' paths, per port, as `METHOD path`. */
const EXPECTED: Record<Port, string[]> = {
  public: [
    'get /.well-known/openid-configuration', 'get /.well-known/oauth-authorization-server', 'get /.well-known/jwks.json',
    'get /oauth2/auth', 'post /oauth2/auth', 'get /oauth2/authorize', 'post /oauth2/token', 'post /oauth2/revoke', 'post /oauth2/token/revoke',
    'get /oauth2/sessions/logout', 'get /userinfo', 'post /userinfo', 'get /oauth2/userinfo', 'post /oauth2/userinfo',
    'post /oauth2/register', 'get /oauth2/register/{id}', 'put /oauth2/register/{id}', 'delete /oauth2/register/{id}',
    'post /connect/register', 'get /connect/register/{id}', 'put /connect/register/{id}', 'delete /connect/register/{id}',
    'post /oauth2/device/auth', 'get /oauth2/device/verify', 'post /oauth2/introspect',
    'get /oauth2/applications/{id}/public', 'get /applications/@me', 'get /oauth2/@me',
    'get /health/alive', 'get /health/ready', 'get /version',
  ],
  admin: [
    'post /admin/clients', 'get /admin/clients', 'get /admin/clients/{id}', 'put /admin/clients/{id}', 'patch /admin/clients/{id}', 'delete /admin/clients/{id}',
    'put /admin/clients/{id}/lifespans', 'post /admin/clients/{id}/secrets/rotate', 'delete /admin/clients/{id}/secrets/rotate',
    'get /admin/oauth2/auth/requests/login', 'put /admin/oauth2/auth/requests/login/accept', 'put /admin/oauth2/auth/requests/login/reject',
    'get /admin/oauth2/auth/requests/consent', 'put /admin/oauth2/auth/requests/consent/accept', 'put /admin/oauth2/auth/requests/consent/reject',
    'get /admin/oauth2/auth/requests/logout', 'put /admin/oauth2/auth/requests/logout/accept', 'put /admin/oauth2/auth/requests/logout/reject',
    'put /admin/oauth2/auth/requests/device/accept', 'get /admin/oauth2/auth/sessions/consent', 'delete /admin/oauth2/auth/sessions/consent',
    'delete /admin/oauth2/auth/sessions/login', 'post /admin/oauth2/introspect', 'delete /admin/oauth2/tokens', 'post /admin/oauth2/flush',
    'post /admin/keys/{set}', 'get /admin/keys/{set}', 'put /admin/keys/{set}', 'delete /admin/keys/{set}',
    'get /admin/keys/{set}/{kid}', 'put /admin/keys/{set}/{kid}', 'delete /admin/keys/{set}/{kid}',
    'post /admin/trust/grants/jwt-bearer/issuers', 'get /admin/trust/grants/jwt-bearer/issuers',
    'get /admin/trust/grants/jwt-bearer/issuers/{id}', 'delete /admin/trust/grants/jwt-bearer/issuers/{id}',
    'get /health/alive', 'get /health/ready', 'get /version', 'get /metrics/prometheus',
    'get /admin/health/alive', 'get /admin/health/ready', 'get /admin/version', 'get /admin/metrics/prometheus',
    'post /admin/personal-access-tokens', 'get /admin/personal-access-tokens', 'delete /admin/personal-access-tokens/{id}',
    // Hydra v0 (hydra-legacy-oauth2-api.md) and API.md's legacy paths
    'post /clients', 'get /clients', 'get /clients/{id}', 'put /clients/{id}', 'delete /clients/{id}', 'get /keys/{set}',
    'get /oauth2/consent/requests/{id}', 'patch /oauth2/consent/requests/{id}/accept', 'patch /oauth2/consent/requests/{id}/reject',
    'post /oauth2/flush', 'post /oauth2/introspect',
    // Fluxer (fluxer-oauth2-api.md), the operator's side
    'post /oauth2/applications', 'get /oauth2/applications/{id}', 'patch /oauth2/applications/{id}', 'delete /oauth2/applications/{id}',
    'get /oauth2/applications/@me', 'get /users/@me/applications', 'get /applications/@me',
    'post /oauth2/applications/{id}/client-secret/reset', 'post /oauth2/applications/{id}/bot/reset-token', 'patch /oauth2/applications/{id}/bot',
    'get /oauth2/@me/authorizations', 'delete /oauth2/@me/authorizations/{applicationId}', 'post /oauth2/authorize/consent',
  ],
};

describe('OpenAPI documents', () => {
  let server: TestServer;
  const served: Partial<Record<Port, OpenAPIObject>> = {};
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  describe.each<Port>(['public', 'admin'])('of the %s port', (port) => {
    it('is served at /openapi.json as OpenAPI 3.0 that swagger-parser validates', async () => {
      const res = await request(server[port]).get('/openapi.json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      served[port] = res.body as OpenAPIObject;
      expect(served[port]!.openapi).toMatch(/^3\.0\./);
      await expect(SwaggerParser.validate(structuredClone(res.body))).resolves.toBeDefined();
    });

    it('is the committed openapi file, which is what `npm run openapi` writes now', async () => {
      const built = await BUILD[port]();
      expect(committed(port)).toBe(openApiFileText(built));
      expect(served[port]).toEqual(JSON.parse(committed(port)));
    });

    it("names every path of API.md and of the seed documents, and only this port's", () => {
      const document = JSON.parse(committed(port)) as OpenAPIObject;
      const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`));
      expect(EXPECTED[port].filter((p) => !documented.includes(p))).toEqual([]);
      const other = port === 'public' ? '/admin/clients' : '/oauth2/token';
      expect(document.paths[other]).toBeUndefined();
    });
  });

  it('serves Swagger UI at /docs on the admin port only, reading the sibling openapi.json', async () => {
    for (const path of ['/docs', '/admin/docs']) {
      const page = await request(server.admin).get(path);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain(`${path}/swagger-ui-bundle.js`);
      expect((await request(server.admin).get(`${path}/swagger-ui.css`)).status).toBe(200);
    }
    const init = await request(server.admin).get('/docs/swagger-ui-init.js');
    expect(init.text).toContain("replace(/docs\\/?$/, 'openapi.json')");
    expect((await request(server.admin).get('/docs/index.html')).status).toBe(404);
    expect((await request(server.public).get('/docs')).status).toBe(404);
  });

  it('serves the admin document without the API key, and no Swagger UI when SERVE_ADMIN_DOCS_ENABLED is false', async () => {
    const locked = await startTestServer({ SERVE_ADMIN_API_KEYS: 'admin-key-0123456789', SERVE_ADMIN_DOCS_ENABLED: 'false' });
    try {
      expect((await request(locked.admin).get('/openapi.json')).status).toBe(200);
      expect((await request(locked.admin).get('/admin/clients')).status).toBe(401);
      expect((await request(locked.admin).get('/docs').set('Authorization', 'Bearer admin-key-0123456789')).status).toBe(404);
    } finally {
      await locked.close();
    }
  });

  it('declares every OAuth2Client field, the thirteen lifespans nullable, in request and response', () => {
    const { components } = JSON.parse(committed('admin')) as OpenAPIObject;
    const response = components!.schemas!.OAuth2ClientResponse as { properties: Record<string, { nullable?: boolean }> };
    const body = components!.schemas!.ClientDto as { properties: Record<string, { nullable?: boolean }> };
    expect(LIFESPAN_FIELDS).toHaveLength(13);
    for (const schema of [response, body]) {
      for (const field of LIFESPAN_FIELDS) expect(schema.properties[field]?.nullable).toBe(true);
    }
    const fields = ['client_id', 'client_name', 'redirect_uris', 'post_logout_redirect_uris', 'grant_types', 'response_types', 'scope', 'audience',
      'token_endpoint_auth_method', 'token_endpoint_auth_signing_alg', 'jwks', 'jwks_uri', 'subject_type', 'sector_identifier_uri', 'skip_consent',
      'skip_logout_consent', 'frontchannel_logout_uri', 'frontchannel_logout_session_required', 'backchannel_logout_uri',
      'backchannel_logout_session_required', 'allowed_cors_origins', 'access_token_strategy', 'owner', 'contacts', 'client_uri', 'logo_uri',
      'policy_uri', 'tos_uri', 'metadata', 'userinfo_signed_response_alg', 'request_object_signing_alg', 'request_uris', 'client_secret',
      'registration_access_token', 'registration_client_uri', 'created_at', 'updated_at'];
    expect(fields.filter((f) => !(f in response.properties))).toEqual([]);
  });
});

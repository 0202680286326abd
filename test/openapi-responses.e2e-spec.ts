import request, { Response } from 'supertest';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildAdminOpenApiDocument } from '../apps/admin/src/openapi/admin-openapi';
import { buildPublicOpenApiDocument } from '../apps/public/src/openapi/public-openapi';
import { ResponseValidator } from './support/openapi-responses';
import { startTestServer, TestServer } from './support/test-runtime';

/**
 * Real answers of both ports validate against the schemas their OpenAPI document gives them (ajv, every
 * object closed to members it does not declare): the document says what goes on the wire, and nothing
 * goes on the wire that it does not say.
 */

const REDIRECT_URI = 'https://app.test/callback';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describe('answers against their OpenAPI schemas', () => {
  let server: TestServer;
  const validators = {} as Record<'public' | 'admin', ResponseValidator>;
  let client: { client_id: string; client_secret: string };

  /** Fails with the validator's findings unless `res` validates against `method path` of the port's document. */
  function expectDocumented(port: 'public' | 'admin', method: string, path: string, res: Response, status: number): void {
    expect({ status: res.status, body: res.body as unknown }).toEqual({ status, body: status === res.status ? res.body : 'an answer of that status' });
    expect(validators[port].errors(method, path, res.status, res.body)).toEqual([]);
  }

  beforeAll(async () => {
    server = await startTestServer();
    validators.public = await ResponseValidator.of((await buildPublicOpenApiDocument()) as OpenAPIObject);
    validators.admin = await ResponseValidator.of((await buildAdminOpenApiDocument()) as OpenAPIObject);
    const res = await request(server.admin).post('/admin/clients').send({
      client_name: 'documented', redirect_uris: [REDIRECT_URI], scope: 'openid offline_access profile',
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code'],
      response_types: ['code'], authorization_code_grant_access_token_lifespan: '2h0m0s',
    });
    expectDocumented('admin', 'post', '/admin/clients', res, 201);
    client = res.body;
  });
  afterAll(() => server?.close());

  it('refuses a member the document does not declare, and accepts null only where declared', () => {
    expect(validators.admin.errors('get', '/version', 200, { version: 'v1.0.0', commit: 'abc' })).not.toEqual([]);
    expect(validators.admin.errors('get', '/admin/clients/{id}', 200, { ...client, client_name: null })).not.toEqual([]);
  });

  it('discovery, JWKS, health and version', async () => {
    expectDocumented('public', 'get', '/.well-known/openid-configuration', await request(server.public).get('/.well-known/openid-configuration'), 200);
    expectDocumented('public', 'get', '/.well-known/jwks.json', await request(server.public).get('/.well-known/jwks.json'), 200);
    expectDocumented('public', 'get', '/health/ready', await request(server.public).get('/health/ready'), 200);
    expectDocumented('admin', 'get', '/version', await request(server.admin).get('/version'), 200);
  });

  it('clients: read, list (legacy path), lifespans, rotation, and an error', async () => {
    const id = client.client_id;
    expectDocumented('admin', 'get', '/admin/clients/{id}', await request(server.admin).get(`/admin/clients/${id}`), 200);
    expectDocumented('admin', 'get', '/clients', await request(server.admin).get('/clients'), 200);
    expectDocumented('admin', 'put', '/admin/clients/{id}/lifespans', await request(server.admin).put(`/admin/clients/${id}/lifespans`).send({ refresh_token_grant_access_token_lifespan: '1h0m0s' }), 200);
    const rotated = await request(server.admin).post(`/admin/clients/${id}/secrets/rotate`);
    expectDocumented('admin', 'post', '/admin/clients/{id}/secrets/rotate', rotated, 200);
    client = { client_id: id, client_secret: rotated.body.client_secret };
    expectDocumented('admin', 'get', '/admin/clients/{id}', await request(server.admin).get('/admin/clients/no-such-client'), 404);
  });

  it('token, both introspections and device authorization', async () => {
    const auth = basic(client.client_id, client.client_secret);
    const token = await request(server.public).post('/oauth2/token').set('Authorization', auth).type('form').send({ grant_type: 'client_credentials', scope: 'openid' });
    expectDocumented('public', 'post', '/oauth2/token', token, 200);
    const introspected = await request(server.public).post('/oauth2/introspect').set('Authorization', auth).type('form').send({ token: token.body.access_token });
    expectDocumented('public', 'post', '/oauth2/introspect', introspected, 200);
    expectDocumented('admin', 'post', '/admin/oauth2/introspect', await request(server.admin).post('/admin/oauth2/introspect').type('form').send({ token: token.body.access_token }), 200);
    expectDocumented('public', 'post', '/oauth2/device/auth', await request(server.public).post('/oauth2/device/auth').set('Authorization', auth).type('form').send({ scope: 'openid' }), 200);
    expectDocumented('public', 'post', '/oauth2/token', await request(server.public).post('/oauth2/token').type('form').send({ grant_type: 'password' }), 400);
  });

  it('a login request, its acceptance, and the 410 of a second acceptance', async () => {
    const start = await request(server.public).get('/oauth2/auth').query({
      response_type: 'code', client_id: client.client_id, redirect_uri: REDIRECT_URI, scope: 'openid', state: 'state-0123456789',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
    });
    expect(start.status).toBe(302);
    const challenge = new URL(start.headers.location).searchParams.get('login_challenge')!;
    const login = await request(server.admin).get('/admin/oauth2/auth/requests/login').query({ login_challenge: challenge });
    expectDocumented('admin', 'get', '/admin/oauth2/auth/requests/login', login, 200);
    const accepted = await request(server.admin).put('/admin/oauth2/auth/requests/login/accept').query({ login_challenge: challenge }).send({ subject: 'alice' });
    expectDocumented('admin', 'put', '/admin/oauth2/auth/requests/login/accept', accepted, 200);
    expectDocumented('admin', 'put', '/admin/oauth2/auth/requests/login/accept', await request(server.admin).put('/admin/oauth2/auth/requests/login/accept').query({ login_challenge: challenge }).send({ subject: 'alice' }), 410);
  });

  it('keys and personal access tokens', async () => {
    expectDocumented('admin', 'post', '/admin/keys/{set}', await request(server.admin).post('/admin/keys/documented').send({ alg: 'ES256', use: 'sig' }), 201);
    expectDocumented('admin', 'get', '/keys/{set}', await request(server.admin).get('/keys/documented'), 200);
    expectDocumented('admin', 'post', '/admin/personal-access-tokens', await request(server.admin).post('/admin/personal-access-tokens').send({ subject: 'alice', scope: 'read' }), 201);
    expectDocumented('admin', 'get', '/admin/personal-access-tokens', await request(server.admin).get('/admin/personal-access-tokens').query({ subject: 'alice' }), 200);
  });

  it("Fluxer's applications on both ports", async () => {
    const created = await request(server.admin).post('/oauth2/applications').query({ owner: 'bob' }).send({ name: 'Fluxer app', redirect_uris: [REDIRECT_URI] });
    expectDocumented('admin', 'post', '/oauth2/applications', created, 200);
    expectDocumented('admin', 'post', '/oauth2/applications/{id}/bot/reset-token', await request(server.admin).post(`/oauth2/applications/${created.body.id}/bot/reset-token`).query({ owner: 'bob' }), 200);
    expectDocumented('admin', 'get', '/users/@me/applications', await request(server.admin).get('/users/@me/applications').query({ owner: 'bob' }), 200);
    expectDocumented('public', 'get', '/oauth2/applications/{id}/public', await request(server.public).get(`/oauth2/applications/${created.body.id}/public`), 200);
  });
});

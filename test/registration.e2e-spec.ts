import { NestExpressApplication } from '@nestjs/platform-express';
import request, { Response } from 'supertest';
import { createPublicApp } from '../apps/public/src/public.app';
import { startTestServer, startTwoInstances, TestServer, TwoInstances } from './support/test-runtime';

/** RFC 7591 dynamic client registration and RFC 7592 client management, on the public port. */

const ISSUER = 'https://auth.example.com/tenant';
const REDIRECT = 'https://rp.example.com/cb';

/** RFC 6749 §5.2-shaped error with no-store caching, as the public port answers every failure. */
function expectOAuthError(res: Response, status: number, error: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual(expect.objectContaining({ error, error_description: expect.any(String) }));
  expect(res.headers['cache-control']).toBe('no-store');
}

/**
 * RFC 6750 §3: a refused bearer token answers 401 with a Bearer challenge, which names the error only
 * when the request carried a token (§3.1).
 */
function expectBearerRefusal(res: Response): void {
  expectOAuthError(res, 401, 'invalid_token');
  const carriedToken = /^Bearer\s+\S/i.test(String((res as unknown as { req: { getHeader(n: string): unknown } }).req.getHeader('authorization') ?? ''));
  expect(res.headers['www-authenticate']).toMatch(carriedToken ? /^Bearer realm="hydrant", error="invalid_token"/ : /^Bearer realm="hydrant"$/);
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('dynamic client registration, disabled (the default)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('answers 404 with an RFC 6749 error body on every registration endpoint', async () => {
    expectOAuthError(await request(server.public).post('/oauth2/register').send({ redirect_uris: [REDIRECT] }), 404, 'not_found');
    expectOAuthError(await request(server.public).get('/oauth2/register/some-id').set(bearer('x')), 404, 'not_found');
    expectOAuthError(await request(server.public).put('/oauth2/register/some-id').set(bearer('x')).send({}), 404, 'not_found');
    expectOAuthError(await request(server.public).delete('/oauth2/register/some-id').set(bearer('x')), 404, 'not_found');
  });

  it('answers 404 even to a body it would refuse, so that a disabled endpoint looks absent', async () => {
    const res = await request(server.public).post('/oauth2/register').send({ redirect_uris: 'not-an-array', client_id: 'x' });
    expectOAuthError(res, 404, 'not_found');
  });

  it('registers nothing', async () => {
    await request(server.public).post('/oauth2/register').send({ client_name: 'ghost', redirect_uris: [REDIRECT] });
    const listed = await request(server.admin).get('/admin/clients').expect(200);
    expect(listed.body).toEqual([]);
  });
});

describe('dynamic client registration, enabled', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true',
      // The limit has its own suite below; here every test may register freely.
      OIDC_DYNAMIC_CLIENT_REGISTRATION_RATE_LIMIT: '0',
      // The default scope and "profile": a registering client may ask only for what is allowed (issue 15).
      OIDC_DYNAMIC_CLIENT_REGISTRATION_ALLOWED_SCOPE: 'openid,offline_access,offline,profile',
      URLS_SELF_ISSUER: ISSUER,
    });
  });
  afterAll(() => server?.close());

  const register = (body: Record<string, unknown>) => request(server.public).post('/oauth2/register').send(body);
  const adminGet = (id: string) => request(server.admin).get(`/admin/clients/${encodeURIComponent(id)}`);

  describe('POST /oauth2/register (RFC 7591 §3)', () => {
    it('registers a confidential client and answers its credentials with 201', async () => {
      const before = Math.floor(Date.now() / 1000);
      const res = await register({
        client_name: 'Relying Party',
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: 'openid profile',
        contacts: ['ops@rp.example.com'],
      });
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.body as Record<string, unknown>;
      expect(body.client_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.client_secret).toEqual(expect.any(String));
      expect((body.client_secret as string).length).toBeGreaterThanOrEqual(32);
      expect(body.client_secret_expires_at).toBe(0);
      expect(body.client_id_issued_at).toEqual(expect.any(Number));
      expect(body.client_id_issued_at as number).toBeGreaterThanOrEqual(before - 1);
      expect(body.client_id_issued_at as number).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 1);
      expect(body.registration_access_token).toEqual(expect.any(String));
      expect((body.registration_access_token as string).length).toBeGreaterThanOrEqual(32);
      expect(body.registration_client_uri).toBe(`${ISSUER}/oauth2/register/${body.client_id}`);
      // The registered metadata is echoed (§3.2.1).
      expect(body.client_name).toBe('Relying Party');
      expect(body.redirect_uris).toEqual([REDIRECT]);
      expect(body.grant_types).toEqual(['authorization_code', 'refresh_token']);
      expect(body.response_types).toEqual(['code']);
      expect(body.scope).toBe('openid profile');
      expect(body.token_endpoint_auth_method).toBe('client_secret_basic');
      expect(body.contacts).toEqual(['ops@rp.example.com']);

      // The client exists for the operator, without a secret or registration token in sight.
      const stored = await adminGet(body.client_id as string).expect(200);
      expect(stored.body.client_name).toBe('Relying Party');
      expect(stored.body.client_secret).toBeUndefined();
      expect(stored.body.registration_access_token).toBeUndefined();
    });

    it('answers a response that carries credentials with Cache-Control: no-store', async () => {
      const res = await register({ redirect_uris: [REDIRECT] }).expect(201);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('gives the configured default scope to a client that asks for none', async () => {
      const res = await register({ redirect_uris: [REDIRECT] }).expect(201);
      expect(res.body.scope.split(' ').sort()).toEqual(['offline', 'offline_access', 'openid']);
    });

    it('issues no secret to a public client (token_endpoint_auth_method "none")', async () => {
      const res = await register({ client_name: 'SPA', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
      expect(res.status).toBe(201);
      expect(res.body.token_endpoint_auth_method).toBe('none');
      expect(res.body).not.toHaveProperty('client_secret');
      expect(res.body.registration_access_token).toEqual(expect.any(String));
      const stored = await adminGet(res.body.client_id).expect(200);
      expect(stored.body.token_endpoint_auth_method).toBe('none');
    });

    it.each([
      ['metadata', { metadata: { tier: 'gold' } }],
      ['skip_consent', { skip_consent: true }],
      ['skip_logout_consent', { skip_logout_consent: true }],
      ['client_secret', { client_secret: 'my-own-chosen-secret' }],
      ['client_id', { client_id: 'my-own-chosen-id' }],
    ])('refuses the operator-only field %s with 400 invalid_client_metadata', async (field, extra) => {
      const res = await register({ client_name: `refused-${field}`, redirect_uris: [REDIRECT], ...extra });
      expectOAuthError(res, 400, 'invalid_client_metadata');
      expect(res.body.error_description).toContain(field);
      const listed = await request(server.admin).get('/admin/clients').query({ client_name: `refused-${field}` }).expect(200);
      expect(listed.body).toEqual([]);
    });

    it('ignores the fields an operator governs (owner, lifespans, access_token_strategy)', async () => {
      const res = await register({
        client_name: 'ignored-fields',
        redirect_uris: [REDIRECT],
        owner: 'someone-important',
        access_token_strategy: 'jwt',
        authorization_code_grant_access_token_lifespan: '720h0m0s',
        refresh_token_grant_refresh_token_lifespan: '8760h0m0s',
      });
      expect(res.status).toBe(201);
      const stored = await adminGet(res.body.client_id).expect(200);
      expect(stored.body.owner).toBe('');
      expect(stored.body.access_token_strategy ?? '').not.toBe('jwt');
      expect(stored.body.authorization_code_grant_access_token_lifespan).toBeNull();
      expect(stored.body.refresh_token_grant_refresh_token_lifespan).toBeNull();
      const byOwner = await request(server.admin).get('/admin/clients').query({ owner: 'someone-important' }).expect(200);
      expect(byOwner.body).toEqual([]);
    });

    it.each([
      ['a relative URI', 'cb'],
      ['a URI with a fragment', 'https://rp.example.com/cb#frag'],
      ['a javascript: URI', 'javascript:alert(1)'],
    ])('refuses %s in redirect_uris with 400 invalid_redirect_uri', async (_label, uri) => {
      expectOAuthError(await register({ redirect_uris: [uri] }), 400, 'invalid_redirect_uri');
    });

    it('refuses other bad metadata with 400 invalid_client_metadata', async () => {
      expectOAuthError(await register({ redirect_uris: 'https://rp.example.com/cb' }), 400, 'invalid_client_metadata');
      expectOAuthError(await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'magic' }), 400, 'invalid_client_metadata');
      expectOAuthError(
        await register({ redirect_uris: [REDIRECT], grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' }),
        400,
        'invalid_client_metadata',
      );
    });

    it('refuses a body that is not a JSON object with 400', async () => {
      const res = await request(server.public).post('/oauth2/register').set('Content-Type', 'application/json').send('[1, 2]');
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual(expect.any(String));
      const broken = await request(server.public).post('/oauth2/register').set('Content-Type', 'application/json').send('{"redirect_uris": [');
      expectOAuthError(broken, 400, 'invalid_request');
    });
  });

  describe('GET /oauth2/register/{id} (RFC 7592 §2.1)', () => {
    let client: Record<string, string>;
    let other: Record<string, string>;
    beforeAll(async () => {
      client = (await register({ client_name: 'reader', redirect_uris: [REDIRECT] }).expect(201)).body;
      other = (await register({ client_name: 'other', redirect_uris: [REDIRECT] }).expect(201)).body;
    });

    it('answers the client with its registration access token as bearer, without the secret', async () => {
      const res = await request(server.public).get(`/oauth2/register/${client.client_id}`).set(bearer(client.registration_access_token));
      expect(res.status).toBe(200);
      expect(res.body.client_id).toBe(client.client_id);
      expect(res.body.client_name).toBe('reader');
      expect(res.body.redirect_uris).toEqual([REDIRECT]);
      expect(res.body).not.toHaveProperty('client_secret');
      expect(res.body.registration_client_uri).toBe(client.registration_client_uri);
      expect(res.body.client_id_issued_at).toBe(client.client_id_issued_at);
      // The operator's private field is not the client's to read (Hydra strips it too).
      expect(res.body).not.toHaveProperty('metadata');
    });

    it('does not show the client the metadata an operator attached', async () => {
      await request(server.admin)
        .patch(`/admin/clients/${client.client_id}`)
        .send([{ op: 'add', path: '/metadata/internal_note', value: 'risk: high' }])
        .expect(200);
      const res = await request(server.public).get(`/oauth2/register/${client.client_id}`).set(bearer(client.registration_access_token)).expect(200);
      expect(JSON.stringify(res.body)).not.toContain('risk: high');
    });

    it('refuses a missing token with 401 and a Bearer challenge', async () => {
      expectBearerRefusal(await request(server.public).get(`/oauth2/register/${client.client_id}`));
    });

    it('refuses a wrong or malformed token with 401', async () => {
      expectBearerRefusal(await request(server.public).get(`/oauth2/register/${client.client_id}`).set(bearer('wrong-token')));
      expectBearerRefusal(
        await request(server.public).get(`/oauth2/register/${client.client_id}`).set(bearer(`${client.registration_access_token}x`)),
      );
      expectBearerRefusal(
        await request(server.public).get(`/oauth2/register/${client.client_id}`).set('Authorization', `Basic ${client.registration_access_token}`),
      );
      expectBearerRefusal(
        await request(server.public).get(`/oauth2/register/${client.client_id}`).set('Authorization', `Bearer ${client.registration_access_token} extra`),
      );
    });

    it("refuses another client's token with 401, and does not reveal the client", async () => {
      const res = await request(server.public).get(`/oauth2/register/${client.client_id}`).set(bearer(other.registration_access_token));
      expectBearerRefusal(res);
      expect(JSON.stringify(res.body)).not.toContain('reader');
    });

    it('answers 401, not 404, for an unknown client id', async () => {
      expectBearerRefusal(await request(server.public).get('/oauth2/register/no-such-client').set(bearer(client.registration_access_token)));
    });

    it('refuses to manage a client created through the admin API (it has no registration token)', async () => {
      const admin = await request(server.admin).post('/admin/clients').send({ client_name: 'admin-made' }).expect(201);
      expectBearerRefusal(await request(server.public).get(`/oauth2/register/${admin.body.client_id}`).set(bearer('')));
      expectBearerRefusal(
        await request(server.public).get(`/oauth2/register/${admin.body.client_id}`).set(bearer(client.registration_access_token)),
      );
    });
  });

  describe('PUT /oauth2/register/{id} (RFC 7592 §2.2)', () => {
    it('replaces the metadata and rotates the registration access token', async () => {
      const created = (await register({ client_name: 'v1', redirect_uris: [REDIRECT], contacts: ['a@rp.example.com'] }).expect(201)).body;
      const url = `/oauth2/register/${created.client_id}`;

      const res = await request(server.public)
        .put(url)
        .set(bearer(created.registration_access_token))
        .send({ client_id: created.client_id, client_name: 'v2', redirect_uris: [REDIRECT, 'https://rp.example.com/cb2'] });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body.client_id).toBe(created.client_id);
      expect(res.body.client_name).toBe('v2');
      expect(res.body.redirect_uris).toEqual([REDIRECT, 'https://rp.example.com/cb2']);
      // A full replacement: what was left out is back to its default.
      expect(res.body.contacts).toEqual([]);
      expect(res.body.registration_client_uri).toBe(created.registration_client_uri);
      const rotated = res.body.registration_access_token as string;
      expect(rotated).toEqual(expect.any(String));
      expect(rotated).not.toBe(created.registration_access_token);

      // The old token is dead, the new one works.
      expectBearerRefusal(await request(server.public).get(url).set(bearer(created.registration_access_token)));
      expectBearerRefusal(await request(server.public).put(url).set(bearer(created.registration_access_token)).send({ client_name: 'v3' }));
      const read = await request(server.public).get(url).set(bearer(rotated)).expect(200);
      expect(read.body.client_name).toBe('v2');
      expect((await adminGet(created.client_id).expect(200)).body.client_name).toBe('v2');
    });

    it('accepts back exactly what a read answered (RFC 7592 §2.2 round trip)', async () => {
      const created = (await register({ client_name: 'round-trip', redirect_uris: [REDIRECT] }).expect(201)).body;
      const url = `/oauth2/register/${created.client_id}`;
      const read = await request(server.public).get(url).set(bearer(created.registration_access_token)).expect(200);
      const res = await request(server.public)
        .put(url)
        .set(bearer(created.registration_access_token))
        .send({ ...read.body, client_name: 'round-tripped' });
      expect(res.status).toBe(200);
      expect(res.body.client_name).toBe('round-tripped');
      expect(res.body.redirect_uris).toEqual([REDIRECT]);
    });

    it('keeps the secret and the fields the operator governs', async () => {
      const created = (await register({ client_name: 'governed', redirect_uris: [REDIRECT] }).expect(201)).body;
      await request(server.admin)
        .patch(`/admin/clients/${created.client_id}`)
        .send([
          { op: 'replace', path: '/owner', value: 'tenant-42' },
          { op: 'replace', path: '/skip_consent', value: true },
          { op: 'replace', path: '/authorization_code_grant_access_token_lifespan', value: '5m0s' },
        ])
        .expect(200);
      const res = await request(server.public)
        .put(`/oauth2/register/${created.client_id}`)
        .set(bearer(created.registration_access_token))
        .send({ client_id: created.client_id, client_name: 'governed-v2', redirect_uris: [REDIRECT], owner: 'me-myself' });
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('client_secret');
      const stored = (await adminGet(created.client_id).expect(200)).body;
      expect(stored.client_name).toBe('governed-v2');
      expect(stored.owner).toBe('tenant-42');
      expect(stored.skip_consent).toBe(true);
      expect(stored.authorization_code_grant_access_token_lifespan).toBe('5m0s');
    });

    it('refuses a client_id in the body that is not the one in the path, and changes nothing', async () => {
      const created = (await register({ client_name: 'mismatch', redirect_uris: [REDIRECT] }).expect(201)).body;
      const url = `/oauth2/register/${created.client_id}`;
      const res = await request(server.public)
        .put(url)
        .set(bearer(created.registration_access_token))
        .send({ client_id: 'somebody-else', client_name: 'hijacked', redirect_uris: [REDIRECT] });
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual(expect.any(String));
      expect(res.headers['cache-control']).toBe('no-store');
      // The refused update neither applied nor rotated the token.
      const read = await request(server.public).get(url).set(bearer(created.registration_access_token)).expect(200);
      expect(read.body.client_name).toBe('mismatch');
    });

    it('refuses operator-only fields and bad metadata, keeping the token', async () => {
      const created = (await register({ client_name: 'strict', redirect_uris: [REDIRECT] }).expect(201)).body;
      const url = `/oauth2/register/${created.client_id}`;
      const put = (body: Record<string, unknown>) => request(server.public).put(url).set(bearer(created.registration_access_token)).send(body);
      expectOAuthError(await put({ redirect_uris: [REDIRECT], metadata: { a: 1 } }), 400, 'invalid_client_metadata');
      expectOAuthError(await put({ redirect_uris: [REDIRECT], skip_consent: true }), 400, 'invalid_client_metadata');
      expectOAuthError(await put({ redirect_uris: ['https://rp.example.com/cb#x'] }), 400, 'invalid_redirect_uri');
      const read = await request(server.public).get(url).set(bearer(created.registration_access_token)).expect(200);
      expect(read.body.client_name).toBe('strict');
    });

    it("refuses another client's token", async () => {
      const a = (await register({ client_name: 'a', redirect_uris: [REDIRECT] }).expect(201)).body;
      const b = (await register({ client_name: 'b', redirect_uris: [REDIRECT] }).expect(201)).body;
      expectBearerRefusal(
        await request(server.public).put(`/oauth2/register/${a.client_id}`).set(bearer(b.registration_access_token)).send({ client_name: 'taken' }),
      );
      expect((await adminGet(a.client_id).expect(200)).body.client_name).toBe('a');
    });
  });

  describe('DELETE /oauth2/register/{id} (RFC 7592 §2.3)', () => {
    it('deletes the client with 204; the admin API then answers 404', async () => {
      const created = (await register({ client_name: 'short-lived', redirect_uris: [REDIRECT] }).expect(201)).body;
      const url = `/oauth2/register/${created.client_id}`;
      expectBearerRefusal(await request(server.public).delete(url));
      expectBearerRefusal(await request(server.public).delete(url).set(bearer('wrong')));
      await adminGet(created.client_id).expect(200);

      const res = await request(server.public).delete(url).set(bearer(created.registration_access_token));
      expect(res.status).toBe(204);
      expect(res.text).toBe('');

      const gone = await adminGet(created.client_id);
      expect(gone.status).toBe(404);
      expect(gone.body).toEqual(expect.objectContaining({ error: 'not_found', status_code: 404 }));
      // The token died with its client.
      expectBearerRefusal(await request(server.public).get(url).set(bearer(created.registration_access_token)));
      expectBearerRefusal(await request(server.public).delete(url).set(bearer(created.registration_access_token)));
    });
  });
});

describe('dynamic client registration rate limit', () => {
  const LIMIT = 3;
  // A window of a year: the fixed window cannot roll over while the test runs.
  const ENV = {
    OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true',
    OIDC_DYNAMIC_CLIENT_REGISTRATION_RATE_LIMIT: String(LIMIT),
    OIDC_DYNAMIC_CLIENT_REGISTRATION_RATE_LIMIT_WINDOW: '8760h',
  };
  const body = { redirect_uris: [REDIRECT] };

  describe('per source address, shared through the database', () => {
    let server: TestServer;
    let secondApp: NestExpressApplication | undefined;
    beforeAll(async () => {
      server = await startTestServer(ENV);
    });
    afterAll(async () => {
      await secondApp?.close();
      await server?.close();
    });

    it(`allows ${LIMIT} registrations from one address, then answers 429 too_many_requests`, async () => {
      for (let i = 0; i < LIMIT; i++) await request(server.public).post('/oauth2/register').send(body).expect(201);
      const res = await request(server.public).post('/oauth2/register').send(body);
      expectOAuthError(res, 429, 'too_many_requests');
      // Refused registrations create nothing.
      const listed = await request(server.admin).get('/admin/clients').expect(200);
      expect(listed.body).toHaveLength(LIMIT);
    });

    it('does not let a client pick its address through X-Forwarded-For (SERVE_TRUST_PROXY is off)', async () => {
      const res = await request(server.public).post('/oauth2/register').set('X-Forwarded-For', '198.51.100.7').send(body);
      expectOAuthError(res, 429, 'too_many_requests');
    });

    it('counts in the database: another app on the same database is refused too', async () => {
      secondApp = await createPublicApp(server.runtime);
      await secondApp.init();
      const res = await request(secondApp.getHttpServer()).post('/oauth2/register').send(body);
      expectOAuthError(res, 429, 'too_many_requests');
    });

    it('limits registration only: reading a registered client still works', async () => {
      const clients = (await request(server.admin).get('/admin/clients').expect(200)).body as Array<{ client_id: string }>;
      // No token is known here; a 401 (not a 429) shows the limit does not apply to management.
      expectBearerRefusal(await request(server.public).get(`/oauth2/register/${clients[0].client_id}`).set(bearer('x')));
    });
  });

  describe('behind a trusted proxy', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ ...ENV, SERVE_TRUST_PROXY: 'true' });
    });
    afterAll(() => server?.close());

    it('counts each forwarded client address on its own', async () => {
      const from = (ip: string) => request(server.public).post('/oauth2/register').set('X-Forwarded-For', ip).send(body);
      for (let i = 0; i < LIMIT; i++) await from('203.0.113.1').expect(201);
      expectOAuthError(await from('203.0.113.1'), 429, 'too_many_requests');
      await from('203.0.113.2').expect(201);
    });
  });

  describe('across two processes on one database', () => {
    // Behind a trusted proxy, so that each test counts a client address of its own.
    const SHARED_ENV = { ...ENV, SERVE_TRUST_PROXY: 'true' };
    let instances: TwoInstances;
    let server: TestServer;
    let second: TwoInstances['second'];

    beforeAll(async () => {
      instances = await startTwoInstances(SHARED_ENV);
      ({ server, second } = instances);
    });
    afterAll(() => instances?.close());

    const from = (target: unknown, ip: string) =>
      request(target as Parameters<typeof request>[0]).post('/oauth2/register').set('X-Forwarded-For', ip).send(body);

    it('counts the registrations of both against one limit', async () => {
      const first = server.public;
      await from(first, '192.0.2.1').expect(201);
      await from(second, '192.0.2.1').expect(201);
      await from(first, '192.0.2.1').expect(201);
      expectOAuthError(await from(second, '192.0.2.1'), 429, 'too_many_requests');
      expectOAuthError(await from(first, '192.0.2.1'), 429, 'too_many_requests');
    });

    it(`lets exactly ${LIMIT} of many simultaneous registrations from both through`, async () => {
      const targets = [server.public, second];
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => from(targets[i % 2], '192.0.2.2')));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(LIMIT);
      expect(statuses.filter((s) => s === 429)).toHaveLength(10 - LIMIT);
    });
  });

  describe('concurrent registrations in one process', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(ENV);
    });
    afterAll(() => server?.close());

    it(`lets exactly ${LIMIT} of many simultaneous registrations through`, async () => {
      const results = await Promise.all(Array.from({ length: 10 }, () => request(server.public).post('/oauth2/register').send(body)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(LIMIT);
      expect(statuses.filter((s) => s === 429)).toHaveLength(10 - LIMIT);
      const listed = await request(server.admin).get('/admin/clients').expect(200);
      expect(listed.body).toHaveLength(LIMIT);
    });
  });
});

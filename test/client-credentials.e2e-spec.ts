import request from 'supertest';
import { KEY_SETS, KeySetService } from '@hydrant/core';
import { startTestServer, TestServer } from './support/test-runtime';

/** The client credentials grant, introspection, revocation and bulk token operations over HTTP. */
describe('client credentials, introspection, revocation', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  async function createClient(body: Record<string, unknown> = {}) {
    const res = await request(server.admin)
      .post('/admin/clients')
      .send({ grant_types: ['client_credentials'], scope: 'read write photos.*', audience: ['https://api.example.com'], ...body })
      .expect(201);
    return { id: res.body.client_id as string, secret: res.body.client_secret as string };
  }

  const tokenRequest = (form: Record<string, string>, basic?: { id: string; secret: string }) => {
    const req = request(server.public).post('/oauth2/token').type('form');
    if (basic) req.auth(encodeURIComponent(basic.id), encodeURIComponent(basic.secret));
    return req.send(form);
  };

  const introspect = async (token: string, scope?: string) =>
    (await request(server.admin).post('/admin/oauth2/introspect').type('form').send(scope ? { token, scope } : { token }).expect(200)).body;

  it('issues an opaque access token with client_secret_basic, no refresh token, no-store', async () => {
    const client = await createClient();
    const res = await tokenRequest({ grant_type: 'client_credentials', scope: 'read photos.upload' }, client).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ access_token: expect.stringMatching(/^hy_at_/), token_type: 'bearer', expires_in: 3600, scope: 'read photos.upload' });
    expect(res.body.refresh_token).toBeUndefined();

    const info = await introspect(res.body.access_token);
    expect(info).toMatchObject({ active: true, client_id: client.id, sub: client.id, scope: 'read photos.upload', token_use: 'access_token', token_type: 'Bearer' });
    expect(info.exp - info.iat).toBe(3600);
  });

  it('authenticates with client_secret_post when registered so, and refuses the other method', async () => {
    const client = await createClient({ token_endpoint_auth_method: 'client_secret_post' });
    await tokenRequest({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }).expect(200);
    const wrongMethod = await tokenRequest({ grant_type: 'client_credentials' }, client).expect(401);
    expect(wrongMethod.body.error).toBe('invalid_client');
    expect(wrongMethod.headers['www-authenticate']).toMatch(/^Basic/);
  });

  it('refuses wrong and missing credentials with 401 invalid_client', async () => {
    const client = await createClient();
    for (const res of [
      await tokenRequest({ grant_type: 'client_credentials' }, { id: client.id, secret: 'wrong' }),
      await tokenRequest({ grant_type: 'client_credentials' }, { id: 'no-such-client', secret: 'x' }),
      await tokenRequest({ grant_type: 'client_credentials' }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_client');
    }
  });

  it('limits scope and audience to what the client registered, and honours the client lifespan', async () => {
    const client = await createClient({ client_credentials_grant_access_token_lifespan: '5m0s' });
    expect((await tokenRequest({ grant_type: 'client_credentials', scope: 'admin' }, client).expect(400)).body.error).toBe('invalid_scope');
    expect((await tokenRequest({ grant_type: 'client_credentials', audience: 'https://evil.example.com' }, client).expect(400)).body.error).toBe('invalid_request');
    const ok = await tokenRequest({ grant_type: 'client_credentials', audience: 'https://api.example.com' }, client).expect(200);
    expect(ok.body.expires_in).toBe(300);
    expect((await introspect(ok.body.access_token)).aud).toEqual(['https://api.example.com']);
  });

  it('refuses grants the client may not use, unknown grants, and malformed requests', async () => {
    const client = await createClient({ grant_types: ['authorization_code'], response_types: ['code'] });
    expect((await tokenRequest({ grant_type: 'client_credentials' }, client).expect(400)).body.error).toBe('unauthorized_client');
    expect((await tokenRequest({ grant_type: 'password' }, client).expect(400)).body.error).toBe('unsupported_grant_type');
    expect((await tokenRequest({}, client).expect(400)).body.error).toBe('invalid_request');
    const json = await request(server.public).post('/oauth2/token').send({ grant_type: 'client_credentials' }).expect(400);
    expect(json.body.error).toBe('invalid_request');
    const repeated = await request(server.public).post('/oauth2/token').type('form').send('grant_type=client_credentials&grant_type=client_credentials').expect(400);
    expect(repeated.body.error).toBe('invalid_request');
  });

  it('introspects unknown, forged and malformed tokens as inactive, and checks a required scope', async () => {
    const client = await createClient();
    const { access_token } = (await tokenRequest({ grant_type: 'client_credentials', scope: 'read' }, client).expect(200)).body;
    for (const token of ['nonsense', 'hy_at_abc.def', `${access_token.slice(0, -2)}xx`, 'hy_rt_' + access_token.slice(6)]) {
      expect(await introspect(token)).toEqual({ active: false });
    }
    expect((await introspect(access_token, 'read')).active).toBe(true);
    expect(await introspect(access_token, 'write')).toEqual({ active: false });
    const missing = await request(server.admin).post('/admin/oauth2/introspect').type('form').send({}).expect(400);
    expect(missing.body).toMatchObject({ error: 'invalid_request', status_code: 400 });
  });

  it('introspects a token as inactive once its lifespan has passed', async () => {
    const client = await createClient({ client_credentials_grant_access_token_lifespan: '1s' });
    const { access_token, expires_in } = (await tokenRequest({ grant_type: 'client_credentials' }, client).expect(200)).body;
    expect(expires_in).toBe(1);
    expect((await introspect(access_token)).active).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await introspect(access_token)).toEqual({ active: false });
  });

  it('revokes only the owning client\'s tokens, idempotently', async () => {
    const owner = await createClient();
    const other = await createClient();
    const { access_token } = (await tokenRequest({ grant_type: 'client_credentials' }, owner).expect(200)).body;
    const revoke = (client: { id: string; secret: string }, token: string) =>
      request(server.public).post('/oauth2/revoke').type('form').auth(client.id, client.secret).send({ token, token_type_hint: 'refresh_token' });

    expect((await revoke(other, access_token).expect(400)).body.error).toBe('unauthorized_client');
    expect((await introspect(access_token)).active).toBe(true);
    await revoke(owner, access_token).expect(200);
    expect(await introspect(access_token)).toEqual({ active: false });
    await revoke(owner, access_token).expect(200);
    await revoke(owner, 'hy_at_unknown.token').expect(200);
    expect((await request(server.public).post('/oauth2/revoke').type('form').send({ token: access_token }).expect(401)).body.error).toBe('invalid_client');
  });

  it('deletes a client\'s tokens on request and when the client is deleted; flush keeps live tokens', async () => {
    const a = await createClient();
    const b = await createClient();
    const tokenA = (await tokenRequest({ grant_type: 'client_credentials' }, a).expect(200)).body.access_token;
    const tokenB = (await tokenRequest({ grant_type: 'client_credentials' }, b).expect(200)).body.access_token;
    await request(server.admin).delete('/admin/oauth2/tokens').query({ client_id: a.id }).expect(204);
    expect((await introspect(tokenA)).active).toBe(false);
    expect((await introspect(tokenB)).active).toBe(true);

    await request(server.admin).post('/admin/oauth2/flush').send({ notAfter: new Date().toISOString() }).expect(204);
    await request(server.admin).post('/oauth2/flush').send({}).expect(204);
    expect((await introspect(tokenB)).active).toBe(true);
    expect((await request(server.admin).post('/admin/oauth2/flush').send({ notAfter: 'yesterday' }).expect(400)).body.error).toBe('invalid_request');

    await request(server.admin).delete(`/admin/clients/${b.id}`).expect(204);
    expect((await introspect(tokenB)).active).toBe(false);
    await request(server.admin).delete('/admin/oauth2/tokens').expect(400);
  });
});

describe('CORS on the public token endpoints', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ SERVE_PUBLIC_CORS_ENABLED: 'true', SERVE_PUBLIC_CORS_ALLOWED_ORIGINS: 'https://global.example' });
  });
  afterAll(() => server.close());

  it('allows the global origins and a client\'s own origins for that client only', async () => {
    const created = await request(server.admin)
      .post('/admin/clients')
      .send({ grant_types: ['client_credentials'], allowed_cors_origins: ['https://spa.example'] })
      .expect(201);
    const call = (origin: string) =>
      request(server.public)
        .post('/oauth2/token')
        .set('Origin', origin)
        .type('form')
        .auth(created.body.client_id, created.body.client_secret)
        .send({ grant_type: 'client_credentials' });

    expect((await call('https://spa.example').expect(200)).headers['access-control-allow-origin']).toBe('https://spa.example');
    expect((await call('https://global.example').expect(200)).headers['access-control-allow-origin']).toBe('https://global.example');
    expect((await call('https://evil.example').expect(200)).headers['access-control-allow-origin']).toBeUndefined();

    const preflight = await request(server.public).options('/oauth2/token').set('Origin', 'https://spa.example').set('Access-Control-Request-Method', 'POST').expect(204);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
  });

  it('never answers CORS on the admin port', async () => {
    const res = await request(server.admin).get('/admin/clients').set('Origin', 'https://global.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('JWT access tokens (RFC 9068)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ STRATEGIES_ACCESS_TOKEN: 'jwt' });
  });
  afterAll(() => server.close());

  it('issues at+jwt tokens that introspect, verify with the published key, and can be revoked', async () => {
    const { createLocalJWKSet, decodeProtectedHeader, jwtVerify } = await import('jose');
    const created = await request(server.admin)
      .post('/admin/clients')
      .send({ grant_types: ['client_credentials'], scope: 'read', audience: ['https://api.example.com'] })
      .expect(201);
    const basic = { id: created.body.client_id, secret: created.body.client_secret };
    const res = await request(server.public)
      .post('/oauth2/token')
      .type('form')
      .auth(basic.id, basic.secret)
      .send({ grant_type: 'client_credentials', scope: 'read', audience: 'https://api.example.com' })
      .expect(200);
    const token: string = res.body.access_token;
    expect(decodeProtectedHeader(token)).toMatchObject({ typ: 'at+jwt', alg: 'RS256' });

    const keys = await server.publicApp.get(KeySetService).publicKeys(KEY_SETS.accessToken);
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys }), { issuer: 'http://127.0.0.1:4444/', typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: basic.id, client_id: basic.id, scope: 'read', scp: ['read'], aud: ['https://api.example.com'] });
    expect(typeof payload.jti).toBe('string');
    expect(keys.every((k) => !('d' in k))).toBe(true);

    const introspect = async () => (await request(server.admin).post('/admin/oauth2/introspect').type('form').send({ token }).expect(200)).body;
    expect(await introspect()).toMatchObject({ active: true, client_id: basic.id, token_use: 'access_token' });
    await request(server.public).post('/oauth2/revoke').type('form').auth(basic.id, basic.secret).send({ token }).expect(200);
    expect(await introspect()).toEqual({ active: false });

    const tampered = `${token.split('.').slice(0, 2).join('.')}.${'A'.repeat(40)}`;
    expect((await request(server.admin).post('/admin/oauth2/introspect').type('form').send({ token: tampered }).expect(200)).body).toEqual({ active: false });
  });

  it('follows a client\'s access_token_strategy over the default', async () => {
    const created = await request(server.admin)
      .post('/admin/clients')
      .send({ grant_types: ['client_credentials'], access_token_strategy: 'opaque' })
      .expect(201);
    const res = await request(server.public)
      .post('/oauth2/token')
      .type('form')
      .auth(created.body.client_id, created.body.client_secret)
      .send({ grant_type: 'client_credentials' })
      .expect(200);
    expect(res.body.access_token).toMatch(/^hy_at_/);
  });
});

describe('the token endpoint reads a client as it is now', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('refuses a replaced secret and a deleted client at once', async () => {
    const created = await request(server.admin).post('/admin/clients').send({ grant_types: ['client_credentials'] }).expect(201);
    const id = created.body.client_id;
    const token = (secret: string) =>
      request(server.public).post('/oauth2/token').type('form').auth(id, secret).send({ grant_type: 'client_credentials' });
    await token(created.body.client_secret).expect(200);

    const replaced = await request(server.admin).put(`/admin/clients/${id}`).send({ grant_types: ['client_credentials'], client_secret: 'a-new-secret-123' }).expect(200);
    expect(replaced.body.client_secret).toBe('a-new-secret-123');
    await token(created.body.client_secret).expect(401);
    await token('a-new-secret-123').expect(200);

    await request(server.admin).delete(`/admin/clients/${id}`).expect(204);
    expect((await token('a-new-secret-123').expect(401)).body.error).toBe('invalid_client');
  });

  it('answers invalid_client, not a 500, when a client it just served was deleted elsewhere', async () => {
    const created = await request(server.admin).post('/admin/clients').send({ grant_types: ['client_credentials'] }).expect(201);
    const id = created.body.client_id;
    const token = () => request(server.public).post('/oauth2/token').type('form').auth(id, created.body.client_secret).send({ grant_type: 'client_credentials' });
    await token().expect(200);
    // Another instance deletes it: straight in the database.
    await server.runtime.dataSource.query(`DELETE FROM "hydrant_client" WHERE "id" = ${server.runtime.dataSource.options.type === 'postgres' ? '$1' : '?'}`, [id]);
    expect((await token().expect(401)).body.error).toBe('invalid_client');
  });
});

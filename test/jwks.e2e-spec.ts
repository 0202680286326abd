import request from 'supertest';
import { KEY_SETS, KeySetService } from '@hydrant/core';
import { baseUrl, startTestServer, TestServer } from './support/test-runtime';

describe('/.well-known/jwks.json', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({}, { listen: true });
  });
  afterAll(() => server.close());

  it('publishes the public signing keys, cacheably, and a resource server verifies JWT access tokens with it', async () => {
    const { createRemoteJWKSet, jwtVerify } = await import('jose');
    const res = await request(server.public).get('/.well-known/jwks.json').expect(200);
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(res.body.keys.length).toBeGreaterThanOrEqual(2);
    for (const key of res.body.keys) {
      expect(key).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256', kid: expect.any(String) });
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret);
    }

    const created = await request(server.admin)
      .post('/admin/clients')
      .send({ grant_types: ['client_credentials'], access_token_strategy: 'jwt', scope: 'read' })
      .expect(201);
    const { access_token } = (
      await request(server.public)
        .post('/oauth2/token')
        .type('form')
        .auth(created.body.client_id, created.body.client_secret)
        .send({ grant_type: 'client_credentials', scope: 'read' })
        .expect(200)
    ).body;
    const jwks = createRemoteJWKSet(new URL(`${await baseUrl(server.publicApp)}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(access_token, jwks, { issuer: 'http://127.0.0.1:4444/', typ: 'at+jwt' });
    expect(payload.client_id).toBe(created.body.client_id);
  });

  it('keeps publishing a retired key after a new one is added', async () => {
    const keys = server.publicApp.get(KeySetService);
    const before = (await request(server.public).get('/.well-known/jwks.json').expect(200)).body.keys.map((k: { kid: string }) => k.kid);
    const added = await keys.addKey(KEY_SETS.accessToken, 'ES256');
    const after = (await request(server.public).get('/.well-known/jwks.json').expect(200)).body.keys.map((k: { kid: string }) => k.kid);
    expect(after).toEqual(expect.arrayContaining([...before, added.kid]));
    expect((await keys.signingKey(KEY_SETS.accessToken)).kid).toBe(added.kid);
  });
});

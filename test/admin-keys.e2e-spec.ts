import { Configuration, JwkApi } from '@ory/hydra-client';
import request from 'supertest';
import { KEY_SETS } from '@hydrant/core';
import { baseUrl, startTestServer, TestServer } from './support/test-runtime';
import { sdkFailure } from './support/sdk-failure';

/**
 * The JSON Web Key admin API (Hydra's JwkApi): generate, import, read, rotate and delete keys, over HTTP
 * and through Hydra's own SDK.
 */

type Jwk = Record<string, unknown> & { kid: string };
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

async function generatedJwk(alg: string, kid: string, use = 'sig'): Promise<{ privateJwk: Jwk; publicJwk: Jwk }> {
  const { exportJWK, generateKeyPair } = await import('jose');
  const pair = await generateKeyPair(alg, { extractable: true });
  return {
    privateJwk: { ...(await exportJWK(pair.privateKey)), kid, alg, use },
    publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg, use },
  };
}

function expectAdminError(body: Record<string, unknown>, status: number, code: string): void {
  expect(body).toEqual(expect.objectContaining({ error: code, error_description: expect.any(String), status_code: status }));
}

describe('admin JSON Web Key sets', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({}, { listen: true });
  });
  afterAll(() => server?.close());

  const admin = () => request(server.admin);

  describe('over HTTP', () => {
    it('generates an RS256 key with the given kid and answers it with its private part', async () => {
      const res = await admin().post('/admin/keys/app-rs').send({ alg: 'RS256', kid: 'rs-1', use: 'sig' }).expect(201);
      expect(res.body.keys).toHaveLength(1);
      expect(res.body.keys[0]).toMatchObject({ kty: 'RSA', kid: 'rs-1', alg: 'RS256', use: 'sig', n: expect.any(String), d: expect.any(String) });
    });

    it('generates an ES256 key with a generated kid and "sig" by default', async () => {
      const res = await admin().post('/admin/keys/app-es').send({ alg: 'ES256' }).expect(201);
      expect(res.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.stringMatching(/\S+/) });
    });

    it.each(['RS384', 'RS512', 'PS256', 'ES384', 'ES512', 'EdDSA'])('generates %s keys', async (alg) => {
      const res = await admin().post(`/admin/keys/app-${alg}`).send({ alg, use: 'enc' }).expect(201);
      expect(res.body.keys[0]).toMatchObject({ alg, use: 'enc' });
    });

    it('rotates by adding: a set lists its keys newest first; one key reads by kid, also on the legacy path', async () => {
      await admin().post('/admin/keys/rotating').send({ alg: 'RS256', kid: 'old' }).expect(201);
      await admin().post('/admin/keys/rotating').send({ alg: 'ES256', kid: 'new' }).expect(201);
      const set = await admin().get('/admin/keys/rotating').expect(200);
      expect(set.body.keys.map((k: Jwk) => k.kid)).toEqual(['new', 'old']);
      const one = await admin().get('/admin/keys/rotating/old').expect(200);
      expect(one.body).toEqual({ keys: [expect.objectContaining({ kid: 'old', kty: 'RSA', d: expect.any(String) })] });
      const legacy = await admin().get('/keys/rotating').expect(200);
      expect(legacy.body.keys).toHaveLength(2);
    });

    it('refuses a kid that the set already has with 409', async () => {
      await admin().post('/admin/keys/dupes').send({ alg: 'ES256', kid: 'same' }).expect(201);
      const res = await admin().post('/admin/keys/dupes').send({ alg: 'ES256', kid: 'same' }).expect(409);
      expectAdminError(res.body, 409, 'conflict');
    });

    it('signs JWT access tokens with a key added to hydra.jwt.access-token and keeps publishing the old ones', async () => {
      const { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } = await import('jose');
      const before = (await request(server.public).get('/.well-known/jwks.json').expect(200)).body.keys.map((k: Jwk) => k.kid);
      const created = await admin().post(`/admin/keys/${KEY_SETS.accessToken}`).send({ alg: 'ES256', use: 'sig' }).expect(201);
      const newKid = created.body.keys[0].kid as string;

      const client = await admin().post('/admin/clients').send({ grant_types: ['client_credentials'], access_token_strategy: 'jwt' }).expect(201);
      const token = await request(server.public)
        .post('/oauth2/token')
        .type('form')
        .auth(client.body.client_id, client.body.client_secret)
        .send({ grant_type: 'client_credentials' })
        .expect(200);
      expect(decodeProtectedHeader(token.body.access_token)).toMatchObject({ kid: newKid, alg: 'ES256' });

      const jwks = await request(server.public).get('/.well-known/jwks.json').expect(200);
      const after = jwks.body.keys.map((k: Jwk) => k.kid);
      expect(after).toEqual(expect.arrayContaining([...before, newKid]));
      for (const key of jwks.body.keys) for (const m of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(m);
      const remote = createRemoteJWKSet(new URL(`${await baseUrl(server.publicApp)}/.well-known/jwks.json`));
      await jwtVerify(token.body.access_token, remote, { typ: 'at+jwt' });
    });

    it('imports a key generated elsewhere, keeping its private part encrypted and answering it to the operator', async () => {
      const { privateJwk } = await generatedJwk('ES256', 'imported-1');
      const put = await admin().put('/admin/keys/imported/imported-1').send(privateJwk).expect(200);
      expect(put.body).toMatchObject({ kid: 'imported-1', kty: 'EC', alg: 'ES256', use: 'sig', d: privateJwk.d });
      const got = await admin().get('/admin/keys/imported/imported-1').expect(200);
      expect(got.body.keys[0]).toMatchObject({ x: privateJwk.x, d: privateJwk.d });

      const stored = await server.runtime.dataSource.query(`SELECT public_jwk, private_jwk_jwe FROM hydrant_jwk WHERE kid = 'imported-1'`);
      expect(stored[0].public_jwk).not.toContain(String(privateJwk.d));
      expect(stored[0].private_jwk_jwe).not.toContain(String(privateJwk.d));
    });

    it('imports a public-only key, replaces a key by kid, and a PUT of a set replaces the whole set', async () => {
      const a = await generatedJwk('RS256', 'a');
      const b = await generatedJwk('EdDSA', 'b');
      await admin().put('/admin/keys/replaced/a').send(a.publicJwk).expect(200);
      expect((await admin().get('/admin/keys/replaced/a').expect(200)).body.keys[0]).not.toHaveProperty('d');
      await admin().put('/admin/keys/replaced/a').send(a.privateJwk).expect(200);
      expect((await admin().get('/admin/keys/replaced/a').expect(200)).body.keys[0]).toHaveProperty('d');

      const c = await generatedJwk('PS256', 'c');
      const res = await admin().put('/admin/keys/replaced').send({ keys: [b.privateJwk, c.publicJwk] }).expect(200);
      expect(res.body.keys.map((k: Jwk) => k.kid)).toEqual(['b', 'c']);
      const set = await admin().get('/admin/keys/replaced').expect(200);
      expect(set.body.keys.map((k: Jwk) => k.kid)).toEqual(['b', 'c']);
      expect(set.body.keys[1]).not.toHaveProperty('d');
    });

    it('imports a signing key into hydra.openid.id-token, which then signs as the newest key', async () => {
      const { privateJwk } = await generatedJwk('RS256', 'operator-id-token-key');
      await admin().put(`/admin/keys/${KEY_SETS.idToken}/operator-id-token-key`).send(privateJwk).expect(200);
      const set = await admin().get(`/admin/keys/${KEY_SETS.idToken}`).expect(200);
      expect(set.body.keys[0].kid).toBe('operator-id-token-key');
    });

    it('deletes a key and a set with 204, then answers 404', async () => {
      await admin().post('/admin/keys/doomed').send({ alg: 'ES256', kid: 'k1' }).expect(201);
      await admin().post('/admin/keys/doomed').send({ alg: 'ES256', kid: 'k2' }).expect(201);
      await admin().delete('/admin/keys/doomed/k1').expect(204);
      expectAdminError((await admin().get('/admin/keys/doomed/k1').expect(404)).body, 404, 'not_found');
      expectAdminError((await admin().delete('/admin/keys/doomed/k1').expect(404)).body, 404, 'not_found');
      expect((await admin().get('/admin/keys/doomed').expect(200)).body.keys.map((k: Jwk) => k.kid)).toEqual(['k2']);
      await admin().delete('/admin/keys/doomed').expect(204);
      expectAdminError((await admin().get('/admin/keys/doomed').expect(404)).body, 404, 'not_found');
      expectAdminError((await admin().delete('/admin/keys/doomed').expect(404)).body, 404, 'not_found');
      expectAdminError((await admin().get('/admin/keys/never-created/x').expect(404)).body, 404, 'not_found');
    });

    it('refuses to remove the last private signing key of a set Hydrant signs with, and changes nothing', async () => {
      for (const setId of [KEY_SETS.idToken, KEY_SETS.accessToken]) {
        const kids = (await admin().get(`/admin/keys/${setId}`).expect(200)).body.keys.map((k: Jwk) => k.kid) as string[];
        for (const kid of kids.slice(1)) await admin().delete(`/admin/keys/${setId}/${encodeURIComponent(kid)}`).expect(204);
        expectAdminError((await admin().delete(`/admin/keys/${setId}/${encodeURIComponent(kids[0])}`).expect(400)).body, 400, 'invalid_request');
        expectAdminError((await admin().delete(`/admin/keys/${setId}`).expect(400)).body, 400, 'invalid_request');
        const publicOnly = (await generatedJwk('ES256', 'public-only')).publicJwk;
        expectAdminError((await admin().put(`/admin/keys/${setId}`).send({ keys: [publicOnly] }).expect(400)).body, 400, 'invalid_request');
        expect((await admin().get(`/admin/keys/${setId}`).expect(200)).body.keys.map((k: Jwk) => k.kid)).toEqual([kids[0]]);
      }
      // Hydrant still signs after the refusals.
      const client = await admin().post('/admin/clients').send({ grant_types: ['client_credentials'], access_token_strategy: 'jwt' }).expect(201);
      await request(server.public)
        .post('/oauth2/token')
        .type('form')
        .auth(client.body.client_id, client.body.client_secret)
        .send({ grant_type: 'client_credentials' })
        .expect(200);
    });

    it.each<[string, object]>([
      ['an unknown alg', { alg: 'XX999' }],
      ['a symmetric alg', { alg: 'HS256' }],
      ['no alg', { kid: 'x' }],
      ['a non-string alg', { alg: 256 }],
      ['an unknown use', { alg: 'ES256', use: 'both' }],
      ['a too long kid', { alg: 'ES256', kid: 'k'.repeat(256) }],
    ])('refuses to generate with %s (400)', async (_name, body) => {
      const res = await admin().post('/admin/keys/bad-create').send(body).expect(400);
      expectAdminError(res.body, 400, 'invalid_request');
    });

    it('refuses malformed keys with 400 and stores none of them', async () => {
      const good = await generatedJwk('ES256', 'good');
      const other = await generatedJwk('ES256', 'other');
      const rsa = await generatedJwk('RS256', 'rsa');
      const cases: Array<[string, unknown]> = [
        ['an unsupported alg', { ...good.publicJwk, alg: 'HS256' }],
        ['no alg', { ...good.publicJwk, alg: undefined }],
        ['an unknown use', { ...good.publicJwk, use: 'both' }],
        ['a key type that does not fit the alg', { ...rsa.publicJwk, alg: 'ES256' }],
        ['a curve that does not fit the alg', { ...good.publicJwk, alg: 'ES384' }],
        ['a broken coordinate', { ...good.publicJwk, x: 'not-base64url-!!' }],
        ['missing members', { kty: 'EC', kid: 'good', alg: 'ES256' }],
        ['a private part of another key', { ...good.publicJwk, d: other.privateJwk.d }],
        ['a mismatched kid', { ...good.publicJwk, kid: 'somebody-else' }],
        ['a non-string member', { ...good.publicJwk, x: 42 }],
        ['a JSON array', [good.publicJwk]],
      ];
      for (const [name, body] of cases) {
        const res = await admin().put('/admin/keys/malformed/good').send(body as object);
        expect([name, res.status]).toEqual([name, 400]);
        expectAdminError(res.body, 400, 'invalid_request');
      }
      const setCases: unknown[] = [{ keys: 'nope' }, { keys: [5] }, { keys: [{ ...good.publicJwk, kid: undefined }] }, { keys: [good.publicJwk, good.publicJwk] }, {}];
      for (const body of setCases) {
        const res = await admin().put('/admin/keys/malformed').send(body as object);
        expect([body, res.status]).toEqual([body, 400]);
      }
      await admin().get('/admin/keys/malformed').expect(404);
    });

    it('answers no input with a 500', async () => {
      const long = 's'.repeat(300);
      const calls = [
        admin().post(`/admin/keys/${long}`).send({ alg: 'ES256' }),
        admin().put(`/admin/keys/${long}/k`).send({ kty: 'EC' }),
        admin().get(`/admin/keys/${long}`),
        admin().get(`/admin/keys/${long}/${long}`),
        admin().delete(`/admin/keys/${long}/${long}`),
        admin().post('/admin/keys/x').set('Content-Type', 'application/json').send('{not json'),
        admin().post('/admin/keys/x').send([1, 2]),
        admin().post('/admin/keys/x').send({ alg: { $ne: 1 } }),
        admin().post('/admin/keys/x').send({ alg: 'ES256', kid: ['a'] }),
        admin().put('/admin/keys/x').send({ keys: [{ kty: 'RSA', kid: 'r', alg: 'RS256', n: 'AQAB', e: 'AQAB' }] }),
        admin().put('/admin/keys/x/r').send({ kty: 'RSA', kid: 'r', alg: 'RS256', n: 'AQAB', e: 'AQAB', d: 'AQAB' }),
        admin().put('/admin/keys/x/r').send({ kty: 'OKP', kid: 'r', alg: 'EdDSA', crv: 'X25519', x: 'AQAB' }),
        admin().put('/admin/keys/x/r').send({ kty: 'oct', kid: 'r', alg: 'HS256', k: 'AQAB' }),
        admin().put('/admin/keys/x').send({ keys: null }),
        admin().put('/admin/keys/x/r').send('plain text'),
        admin().patch('/admin/keys/x'),
      ];
      const statuses = (await Promise.all(calls)).map((res) => res.status);
      statuses.forEach((status, i) => expect([i, status >= 400 && status < 500]).toEqual([i, true]));
    });
  });

  describe("through Hydra's SDK (JwkApi)", () => {
    let jwk: JwkApi;

    beforeAll(async () => {
      jwk = new JwkApi(new Configuration({ basePath: await baseUrl(server.adminApp) }));
    });

    it('creates, reads, imports and deletes keys', async () => {
      const created = await jwk.createJsonWebKeySet({ set: 'sdk-set', createJsonWebKeySet: { alg: 'RS256', kid: 'sdk-rs', use: 'sig' } });
      expect(created.status).toBe(201);
      expect(created.data.keys?.[0]).toMatchObject({ kid: 'sdk-rs', kty: 'RSA', alg: 'RS256', use: 'sig' });
      await jwk.createJsonWebKeySet({ set: 'sdk-set', createJsonWebKeySet: { alg: 'ES256', kid: 'sdk-es', use: 'sig' } });

      const set = await jwk.getJsonWebKeySet({ set: 'sdk-set' });
      expect(set.data.keys?.map((k) => k.kid)).toEqual(['sdk-es', 'sdk-rs']);
      const one = await jwk.getJsonWebKey({ set: 'sdk-set', kid: 'sdk-rs' });
      expect(one.data.keys).toHaveLength(1);

      const { privateJwk } = await generatedJwk('ES256', 'sdk-imported');
      const put = await jwk.setJsonWebKey({ set: 'sdk-set', kid: 'sdk-imported', jsonWebKey: privateJwk as never });
      expect(put.data).toMatchObject({ kid: 'sdk-imported', kty: 'EC' });

      const replacement = await generatedJwk('EdDSA', 'sdk-ed');
      const replaced = await jwk.setJsonWebKeySet({ set: 'sdk-set', jsonWebKeySet: { keys: [replacement.privateJwk as never] } });
      expect(replaced.data.keys?.map((k) => k.kid)).toEqual(['sdk-ed']);

      expect((await jwk.deleteJsonWebKey({ set: 'sdk-set', kid: 'sdk-ed' })).status).toBe(204);
      expect((await sdkFailure(jwk.getJsonWebKey({ set: 'sdk-set', kid: 'sdk-ed' }))).response?.status).toBe(404);
      await jwk.createJsonWebKeySet({ set: 'sdk-set', createJsonWebKeySet: { alg: 'ES512', kid: 'again', use: 'sig' } });
      expect((await jwk.deleteJsonWebKeySet({ set: 'sdk-set' })).status).toBe(204);
      const gone = await sdkFailure(jwk.getJsonWebKeySet({ set: 'sdk-set' }));
      expect(gone.response?.status).toBe(404);
      expectAdminError(gone.response?.data ?? {}, 404, 'not_found');
    });

    it('surfaces 400s for a bad alg and for deleting the last signing key of a built-in set', async () => {
      const badAlg = await sdkFailure(jwk.createJsonWebKeySet({ set: 'sdk-bad', createJsonWebKeySet: { alg: 'none', kid: '', use: 'sig' } }));
      expectAdminError(badAlg.response?.data ?? {}, 400, 'invalid_request');
      const last = await sdkFailure(jwk.deleteJsonWebKeySet({ set: KEY_SETS.idToken }));
      expectAdminError(last.response?.data ?? {}, 400, 'invalid_request');
    });
  });
});

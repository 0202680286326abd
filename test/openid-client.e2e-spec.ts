import { randomUUID } from 'node:crypto';
import { Configuration as HydraConfiguration, IntrospectedOAuth2Token, OAuth2Api } from '@ory/hydra-client';
import { CryptoKey, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import * as client from 'openid-client';
import request from 'supertest';
import { baseUrl, startTestServer, TestServer } from './support/test-runtime';

/**
 * Interoperability with a certified relying-party library (`openid-client` v6, on `oauth4webapi`) and
 * with Hydra's own SDK: the client credentials grant with each client authentication method, RFC 7662
 * introspection on the admin port and RFC 7009 revocation, all over real HTTP on the listening ports.
 */

/** The configured issuer (a name here: the apps listen on ephemeral ports). */
const ISSUER = 'http://127.0.0.1:4444/';

/**
 * What openid-client (oauth4webapi) rejects a failed call with, reduced to what the tests compare. An error
 * body surfaces as ResponseBodyError; but a 401 that carries a WWW-Authenticate challenge surfaces as
 * WWWAuthenticateChallengeError before the body is read; Hydrant sends `WWW-Authenticate: Basic` with a
 * 401 invalid_client exactly when the client used the Authorization header (RFC 6749 §5.2). The error
 * code is then read from the response body, which that error leaves unread.
 */
async function failure(call: Promise<unknown>): Promise<{ kind: string; status: number; error: string; challenge?: string }> {
  try {
    await call;
  } catch (e) {
    if (e instanceof client.ResponseBodyError) return { kind: 'ResponseBodyError', status: e.status, error: e.error };
    if (e instanceof client.WWWAuthenticateChallengeError) {
      const body = (await e.response.json()) as { error: string };
      return { kind: 'WWWAuthenticateChallengeError', status: e.status, error: body.error, challenge: e.cause[0]?.scheme };
    }
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** A refused client_secret_basic authentication as openid-client reports it: 401, a Basic challenge, invalid_client. */
const INVALID_CLIENT = { kind: 'WWWAuthenticateChallengeError', status: 401, error: 'invalid_client', challenge: 'basic' };
/** A refused authentication in the body (post, private_key_jwt): no challenge, so the body is read. */
const INVALID_CLIENT_IN_BODY = { kind: 'ResponseBodyError', status: 401, error: 'invalid_client' };

describe('openid-client and the Hydra SDK against Hydrant', () => {
  let server: TestServer;
  let serverMetadata: client.ServerMetadata;
  let hydra: OAuth2Api;

  beforeAll(async () => {
    server = await startTestServer({}, { listen: true });
    const publicUrl = await baseUrl(server.publicApp);
    const adminUrl = await baseUrl(server.adminApp);
    serverMetadata = {
      issuer: ISSUER,
      token_endpoint: `${publicUrl}/oauth2/token`,
      revocation_endpoint: `${publicUrl}/oauth2/revoke`,
      introspection_endpoint: `${adminUrl}/admin/oauth2/introspect`,
    };
    hydra = new OAuth2Api(new HydraConfiguration({ basePath: adminUrl }));
  });
  afterAll(() => server.close());

  async function createClient(body: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
    const res = await request(server.admin)
      .post('/admin/clients')
      .send({ grant_types: ['client_credentials'], scope: 'read write', audience: ['https://api.example.com'], ...body });
    expect(res.status).toBe(201);
    return { id: res.body.client_id, secret: res.body.client_secret };
  }

  /** An openid-client Configuration for the hand-built metadata, http allowed (loopback test server). */
  function configure(clientId: string, auth: client.ClientAuth): client.Configuration {
    const config = new client.Configuration(serverMetadata, clientId, undefined, auth);
    client.allowInsecureRequests(config);
    return config;
  }

  describe('openid-client', () => {
    it('gets a token with client_secret_basic, introspects it, revokes it', async () => {
      const { id, secret } = await createClient();
      const config = configure(id, client.ClientSecretBasic(secret));
      const tokens = await client.clientCredentialsGrant(config, { scope: 'read', audience: 'https://api.example.com' });
      expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'read', expires_in: 3600 });
      expect(tokens.access_token).toEqual(expect.any(String));
      expect(tokens.refresh_token).toBeUndefined();
      expect(tokens.expiresIn()).toBeGreaterThan(3500);

      const active = await client.tokenIntrospection(config, tokens.access_token);
      expect(active).toMatchObject({
        active: true,
        client_id: id,
        sub: id,
        scope: 'read',
        aud: ['https://api.example.com'],
        iss: ISSUER,
        token_type: 'Bearer',
        token_use: 'access_token',
      });
      expect((active.exp as number) - (active.iat as number)).toBe(3600);
      // RFC 7662 §2.1 `scope` is Hydra's extension: the token must carry every scope asked about.
      expect((await client.tokenIntrospection(config, tokens.access_token, { scope: 'read' })).active).toBe(true);
      expect(await client.tokenIntrospection(config, tokens.access_token, { scope: 'write' })).toEqual({ active: false });

      await expect(client.tokenRevocation(config, tokens.access_token)).resolves.toBeUndefined();
      expect(await client.tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
      // RFC 7009 §2.2: revoking again, or revoking an unknown token, still succeeds.
      await expect(client.tokenRevocation(config, tokens.access_token, { token_type_hint: 'access_token' })).resolves.toBeUndefined();
      await expect(client.tokenRevocation(config, 'hy_at_not.a-real-token')).resolves.toBeUndefined();
    });

    it('gets a token with client_secret_post', async () => {
      const { id, secret } = await createClient({ token_endpoint_auth_method: 'client_secret_post' });
      const config = configure(id, client.ClientSecretPost(secret));
      const tokens = await client.clientCredentialsGrant(config, { scope: 'read write' });
      expect(tokens.scope).toBe('read write');
      expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(true);
      await client.tokenRevocation(config, tokens.access_token);
      expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(false);

      // The method the client registered is the only one it may use.
      expect(await failure(client.clientCredentialsGrant(configure(id, client.ClientSecretBasic(secret))))).toEqual(INVALID_CLIENT);
    });

    it('decodes form-urlencoded Basic credentials (RFC 6749 §2.3.1) for ids and secrets with reserved characters', async () => {
      const id = `svc:reports+ops/${randomUUID()}%x`;
      const secret = 'p@ss:w+rd %2B/é&=';
      await createClient({ client_id: id, client_secret: secret });
      const tokens = await client.clientCredentialsGrant(configure(id, client.ClientSecretBasic(secret)), { scope: 'write' });
      expect(tokens.scope).toBe('write');
      const info = await client.tokenIntrospection(configure(id, client.ClientSecretBasic(secret)), tokens.access_token);
      expect(info).toMatchObject({ active: true, client_id: id });
    });

    it.each(['RS256', 'ES256'] as const)('gets a token with private_key_jwt (%s), each assertion accepted once', async (alg) => {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      const kid = randomUUID();
      const { id } = await createClient({
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: alg,
        jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, use: 'sig', alg }] },
      });
      const config = configure(id, client.PrivateKeyJwt({ key: privateKey as CryptoKey, kid }));
      // openid-client signs a fresh assertion (new jti) for every request, so each of these authenticates.
      const first = await client.clientCredentialsGrant(config, { scope: 'read' });
      const second = await client.clientCredentialsGrant(config, { scope: 'write' });
      expect(first.scope).toBe('read');
      expect(second.scope).toBe('write');
      expect((await client.tokenIntrospection(config, first.access_token)).active).toBe(true);
      await client.tokenRevocation(config, first.access_token);
      expect((await client.tokenIntrospection(config, first.access_token)).active).toBe(false);
      expect((await client.tokenIntrospection(config, second.access_token)).active).toBe(true);

      // A key the client never registered is refused.
      const stranger = await generateKeyPair(alg);
      expect(await failure(client.clientCredentialsGrant(configure(id, client.PrivateKeyJwt({ key: stranger.privateKey, kid }))))).toEqual(INVALID_CLIENT_IN_BODY);
    });

    it('surfaces a wrong secret and an unknown client as a 401 invalid_client, a refused scope as ResponseBodyError', async () => {
      const { id, secret } = await createClient();
      expect(await failure(client.clientCredentialsGrant(configure(id, client.ClientSecretBasic(`${secret}x`))))).toEqual(INVALID_CLIENT);
      expect(await failure(client.clientCredentialsGrant(configure('no-such-client', client.ClientSecretBasic('whatever'))))).toEqual(INVALID_CLIENT);
      const post = await createClient({ token_endpoint_auth_method: 'client_secret_post' });
      expect(await failure(client.clientCredentialsGrant(configure(post.id, client.ClientSecretPost('wrong-secret'))))).toEqual(INVALID_CLIENT_IN_BODY);

      const scope = await failure(client.clientCredentialsGrant(configure(id, client.ClientSecretBasic(secret)), { scope: 'admin' }));
      expect(scope).toEqual({ kind: 'ResponseBodyError', status: 400, error: 'invalid_scope' });

      // Revocation authenticates the client too (RFC 7009 §2.1), and refuses another client's token.
      const { access_token } = await client.clientCredentialsGrant(configure(id, client.ClientSecretBasic(secret)));
      expect(await failure(client.tokenRevocation(configure(id, client.ClientSecretBasic('wrong-secret')), access_token))).toEqual(INVALID_CLIENT);
      const other = await createClient();
      const foreign = await failure(client.tokenRevocation(configure(other.id, client.ClientSecretBasic(other.secret)), access_token));
      expect(foreign).toEqual({ kind: 'ResponseBodyError', status: 400, error: 'unauthorized_client' });
      expect((await client.tokenIntrospection(configure(id, client.ClientSecretBasic(secret)), access_token)).active).toBe(true);
    });

    it('gets, introspects and revokes a JWT access token (RFC 9068) for a client with access_token_strategy jwt', async () => {
      const { id, secret } = await createClient({ access_token_strategy: 'jwt' });
      const config = configure(id, client.ClientSecretBasic(secret));
      const tokens = await client.clientCredentialsGrant(config, { scope: 'read' });
      expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ typ: 'at+jwt' });
      expect(await client.tokenIntrospection(config, tokens.access_token)).toMatchObject({ active: true, client_id: id, scope: 'read', token_use: 'access_token' });
      await client.tokenRevocation(config, tokens.access_token);
      expect(await client.tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
    });
  });

  describe('Hydra SDK introspection (@ory/hydra-client)', () => {
    const introspect = async (token: string, scope?: string): Promise<IntrospectedOAuth2Token> => {
      const res = await hydra.introspectOAuth2Token({ token, scope });
      expect(res.status).toBe(200);
      return res.data;
    };

    it.each(['opaque', 'jwt'] as const)('introspects an active %s token, then the same token revoked, and garbage', async (strategy) => {
      const { id, secret } = await createClient({ access_token_strategy: strategy });
      const config = configure(id, client.ClientSecretBasic(secret));
      const { access_token } = await client.clientCredentialsGrant(config, { scope: 'read write', audience: 'https://api.example.com' });
      expect(access_token.startsWith('hy_at_')).toBe(strategy === 'opaque');

      const active = await introspect(access_token);
      expect(active).toMatchObject({
        active: true,
        client_id: id,
        sub: id,
        scope: 'read write',
        aud: ['https://api.example.com'],
        iss: ISSUER,
        token_type: 'Bearer',
        token_use: 'access_token',
      });
      expect(active.exp).toBeGreaterThan(Date.now() / 1000);
      expect(active.iat).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
      expect((await introspect(access_token, 'write')).active).toBe(true);
      expect((await introspect(access_token, 'read write')).active).toBe(true);
      expect(await introspect(access_token, 'admin')).toEqual({ active: false });

      await client.tokenRevocation(config, access_token);
      expect(await introspect(access_token)).toEqual({ active: false });

      for (const garbage of ['garbage', 'a.b.c', 'hy_at_x.y', `${access_token}x`, 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.']) {
        expect(await introspect(garbage)).toEqual({ active: false });
      }
    });

  });
});

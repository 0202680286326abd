import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { CryptoKey, exportJWK, generateKeyPair, importJWK, JWK, JWTPayload, SignJWT } from 'jose';
import request from 'supertest';
import { startTestServer, TestServer } from './support/test-runtime';

/**
 * private_key_jwt client authentication (RFC 7523 §2.2 and §3, OIDC Core §9) at the token and revocation
 * endpoints: keys registered inline (`jwks`) or published at a `jwks_uri`, and every way an assertion can
 * be wrong answered with 401 invalid_client, never a grant and never a 500.
 */

/** The issuer is only a name in tests; the endpoint URLs the server derives from it are what `aud` names. */
const ISSUER = 'http://127.0.0.1:4444/';
const TOKEN_ENDPOINT = `${ISSUER}oauth2/token`;
const REVOCATION_ENDPOINT = `${ISSUER}oauth2/revoke`;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

type Alg = 'RS256' | 'ES256' | 'PS256';

interface KeyPair {
  alg: Alg;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function newKey(alg: Alg, kid = randomUUID()): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' } };
}

interface AssertionOptions {
  /** Claims to set or, with `undefined`, to leave out. */
  claims?: JWTPayload;
  /** The `alg` of the header, when it differs from the key's own (to test a refused algorithm). */
  alg?: string;
  /** The `kid` of the header; the key's own by default. */
  kid?: string | null;
}

/** A client assertion of `clientId`: iss = sub = client_id, aud = the token endpoint, exp in 5 minutes, a fresh jti. */
async function assertion(clientId: string, key: KeyPair, options: AssertionOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = { iss: clientId, sub: clientId, aud: TOKEN_ENDPOINT, iat: now, exp: now + 300, jti: randomUUID(), ...options.claims };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  const kid = options.kid === undefined ? key.kid : options.kid;
  return new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? key.alg, ...(kid === null ? {} : { kid }) }).sign(key.privateKey);
}

/** A JWT signed with alg "none" (RFC 7519 §6), which must never authenticate anyone. */
function unsecured(claims: JWTPayload): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64({ alg: 'none' })}.${b64(claims)}.`;
}

/**
 * RFC 6749 §5.2: a failed client authentication is 401 invalid_client, with a Basic challenge exactly when
 * the client sent the Authorization header.
 */
function expectInvalidClient(res: request.Response): void {
  expect({ status: res.status, error: res.body.error }).toEqual({ status: 401, error: 'invalid_client' });
  const usedBasic = /^Basic\s/i.test(String((res as unknown as { req: { getHeader(n: string): unknown } }).req.getHeader('authorization') ?? ''));
  if (usedBasic) expect(res.headers['www-authenticate']).toMatch(/^Basic/);
  else expect(res.headers['www-authenticate']).toBeUndefined();
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.body.access_token).toBeUndefined();
}

/** A tiny JWKS host on an ephemeral loopback port; each path answers as its handler says. */
class JwksHost {
  readonly routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
  readonly hits = new Map<string, number>();
  private server!: Server;
  private port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      const route = this.routes.get(path);
      if (route) route(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Serves `keys` at a new path and returns its URL. */
  serve(keys: JWK[]): string {
    return this.route((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys })));
  }

  route(handler: (req: IncomingMessage, res: ServerResponse) => void): string {
    const path = `/${randomUUID()}/jwks.json`;
    this.routes.set(path, handler);
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    // Hanging routes never answer: their sockets must be cut for close() to return.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('private_key_jwt client authentication (RFC 7523)', () => {
  let server: TestServer;
  const host = new JwksHost();

  beforeAll(async () => {
    // Every way an assertion can be wrong, all from one address: more failures than the limit on failed
    // client authentications allows (test/security-authentication.e2e-spec.ts pins that limit).
    server = await startTestServer({ OAUTH2_CLIENT_AUTHENTICATION_FAILURE_LIMIT: '0' });
    await host.start();
  });
  afterAll(async () => {
    await host.stop();
    await server.close();
  });

  async function createClient(metadata: Record<string, unknown>): Promise<{ id: string; secret?: string }> {
    const res = await request(server.admin)
      .post('/admin/clients')
      .send({ grant_types: ['client_credentials'], scope: 'read write', token_endpoint_auth_method: 'private_key_jwt', ...metadata });
    expect(res.status).toBe(201);
    return { id: res.body.client_id, secret: res.body.client_secret };
  }

  /** A private_key_jwt client with the public half of `key` registered inline. */
  const jwksClient = (key: KeyPair, extra: Record<string, unknown> = {}) =>
    createClient({ jwks: { keys: [key.publicJwk] }, token_endpoint_auth_signing_alg: key.alg, ...extra });

  const tokenRequest = (form: Record<string, string>) => request(server.public).post('/oauth2/token').type('form').send(form);
  const withAssertion = (clientAssertion: string, extra: Record<string, string> = {}) =>
    tokenRequest({ grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: clientAssertion, ...extra });
  const introspect = async (token: string) =>
    (await request(server.admin).post('/admin/oauth2/introspect').type('form').send({ token }).expect(200)).body;

  describe('with keys registered inline (jwks)', () => {
    it.each(['RS256', 'ES256'] as const)('issues a token to a client that signs with its %s key', async (alg) => {
      const key = await newKey(alg);
      const client = await jwksClient(key);
      expect(client.secret).toBeUndefined();
      const res = await withAssertion(await assertion(client.id, key), { scope: 'read' }).expect(200);
      expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 3600, scope: 'read' });
      expect(await introspect(res.body.access_token)).toMatchObject({ active: true, client_id: client.id, sub: client.id, scope: 'read' });
    });

    it('accepts the token endpoint, the issuer (with or without its slash), or a list of exactly one of them, as aud; a matching client_id', async () => {
      const key = await newKey('ES256');
      const client = await jwksClient(key);
      for (const aud of [TOKEN_ENDPOINT, ISSUER, ISSUER.replace(/\/$/, ''), [TOKEN_ENDPOINT]]) {
        await withAssertion(await assertion(client.id, key, { claims: { aud } })).expect(200);
      }
      // RFC 7521 §4.2: client_id may accompany the assertion, and then it must name the same client.
      await withAssertion(await assertion(client.id, key), { client_id: client.id }).expect(200);
    });

    it('picks the key the assertion names by kid when several are registered (key rotation)', async () => {
      const oldKey = await newKey('RS256');
      const newer = await newKey('RS256');
      const client = await createClient({ jwks: { keys: [oldKey.publicJwk, newer.publicJwk] }, token_endpoint_auth_signing_alg: 'RS256' });
      await withAssertion(await assertion(client.id, oldKey)).expect(200);
      await withAssertion(await assertion(client.id, newer)).expect(200);
      expectInvalidClient(await withAssertion(await assertion(client.id, newer, { kid: oldKey.kid })));
    });

    it('refuses the same assertion twice (jti replay), also across endpoints and when sent concurrently', async () => {
      const key = await newKey('RS256');
      const client = await jwksClient(key);
      const once = await assertion(client.id, key);
      await withAssertion(once).expect(200);
      const replay = await withAssertion(once);
      expectInvalidClient(replay);
      // Like every failed client authentication, it does not say what failed (issue 15, item 10).
      expect(replay.body.error_description).not.toMatch(/jti/);

      // A new assertion that reuses a spent jti is a replay too, whatever else differs.
      const spentJti = randomUUID();
      await withAssertion(await assertion(client.id, key, { claims: { jti: spentJti } })).expect(200);
      expectInvalidClient(await withAssertion(await assertion(client.id, key, { claims: { jti: spentJti, aud: ISSUER } })));
      const atRevoke = await request(server.public)
        .post('/oauth2/revoke')
        .type('form')
        .send({ token: 'hy_at_unknown.token', client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion(client.id, key, { claims: { jti: spentJti, aud: REVOCATION_ENDPOINT } }) });
      expectInvalidClient(atRevoke);

      // Racing copies of one fresh assertion: exactly one may win, the database decides.
      const racing = await assertion(client.id, key);
      const results = await Promise.all(Array.from({ length: 5 }, () => withAssertion(racing)));
      expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
      results.filter((r) => r.status !== 200).forEach(expectInvalidClient);
    });

    it('scopes jti uniqueness to the client: another client may use the same jti', async () => {
      const keyA = await newKey('ES256');
      const keyB = await newKey('ES256');
      const a = await jwksClient(keyA);
      const b = await jwksClient(keyB);
      const jti = randomUUID();
      await withAssertion(await assertion(a.id, keyA, { claims: { jti } })).expect(200);
      await withAssertion(await assertion(b.id, keyB, { claims: { jti } })).expect(200);
    });

    it('refuses an assertion whose claims are wrong, with 401 invalid_client and a challenge', async () => {
      const key = await newKey('ES256');
      const client = await jwksClient(key);
      const other = await jwksClient(await newKey('ES256'));
      const now = Math.floor(Date.now() / 1000);
      const cases: Record<string, JWTPayload> = {
        'aud of another server': { aud: 'https://other.example/oauth2/token' },
        'aud of the admin port': { aud: 'http://127.0.0.1:4445/admin/oauth2/introspect' },
        'no aud': { aud: undefined },
        // Issue 15 row 11: an audience list is refused even when it names us (audience injection).
        'aud of several values': { aud: ['https://elsewhere.example', TOKEN_ENDPOINT] },
        'iat a day ahead': { iat: now + 86_400 },
        'expired exp': { iat: now - 600, exp: now - 120 },
        'no exp': { exp: undefined },
        'exp more than an hour ahead': { exp: now + 3600 + 120 },
        'nbf in the future': { nbf: now + 600 },
        'iss other than sub': { iss: other.id },
        'no iss': { iss: undefined },
        'no jti': { jti: undefined },
      };
      for (const [name, claims] of Object.entries(cases)) {
        const res = await withAssertion(await assertion(client.id, key, { claims }));
        try {
          expectInvalidClient(res);
        } catch (e) {
          throw new Error(`${name}: ${(e as Error).message}`, { cause: e });
        }
      }
      // The client itself is fine: a correct assertion still works after all of these.
      await withAssertion(await assertion(client.id, key)).expect(200);
    });

    it('refuses an assertion signed with another key, another algorithm, or none', async () => {
      const key = await newKey('ES256');
      const client = await jwksClient(key);
      const stranger = await newKey('ES256');
      const rsa = await newKey('RS256');
      const now = Math.floor(Date.now() / 1000);
      const claims = { iss: client.id, sub: client.id, aud: TOKEN_ENDPOINT, exp: now + 300, jti: randomUUID() };
      const forged = [
        // Same kid, different key: the signature does not verify.
        await assertion(client.id, stranger, { kid: key.kid }),
        await assertion(client.id, stranger, { kid: null }),
        // Registered ES256, signed RS256 with a key the client never registered.
        await assertion(client.id, rsa, { kid: key.kid }),
        await assertion(client.id, rsa, { kid: null }),
        // A symmetric algorithm keyed with something public (the client_id), and an unsecured JWT.
        await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(client.id.padEnd(32, '0'))),
        unsecured(claims),
        // Garbage in the assertion's place.
        'not-a-jwt',
        `${(await assertion(client.id, key)).split('.').slice(0, 2).join('.')}.${'A'.repeat(86)}`,
      ];
      for (const [i, forgedAssertion] of forged.entries()) {
        const res = await withAssertion(forgedAssertion);
        try {
          expectInvalidClient(res);
        } catch (e) {
          throw new Error(`forged assertion #${i}: ${(e as Error).message}`, { cause: e });
        }
      }
    });

    it('refuses a signature in an algorithm other than token_endpoint_auth_signing_alg, even with the registered key', async () => {
      // An RSA key serves RS256 and PS256 alike; the client registered RS256 only.
      const key = await newKey('RS256');
      const client = await jwksClient(key);
      const pss = { ...key, alg: 'PS256' as const, privateKey: (await importJWK(await exportJWK(key.privateKey), 'PS256')) as CryptoKey };
      expectInvalidClient(await withAssertion(await assertion(client.id, pss)));
      await withAssertion(await assertion(client.id, key)).expect(200);

      // A client registered for ES256 whose jwks holds its RSA key: RS256 is still not its algorithm.
      const mismatched = await createClient({ jwks: { keys: [key.publicJwk] }, token_endpoint_auth_signing_alg: 'ES256' });
      expectInvalidClient(await withAssertion(await assertion(mismatched.id, key)));
    });

    it('refuses other client_assertion_types, a client_id that disagrees with sub, and unknown clients', async () => {
      const key = await newKey('RS256');
      const client = await jwksClient(key);
      const other = await jwksClient(await newKey('RS256'));
      for (const type of ['urn:ietf:params:oauth:client-assertion-type:saml2-bearer', 'jwt-bearer', '']) {
        expectInvalidClient(await withAssertion(await assertion(client.id, key), { client_assertion_type: type }));
      }
      const noType = await tokenRequest({ grant_type: 'client_credentials', client_assertion: await assertion(client.id, key) });
      expectInvalidClient(noType);
      expectInvalidClient(await withAssertion(await assertion(client.id, key), { client_id: other.id }));
      // An assertion naming another client in sub, signed with this client's key, is nobody's.
      expectInvalidClient(await withAssertion(await assertion(other.id, key)));
      expectInvalidClient(await withAssertion(await assertion('no-such-client', key)));
      // Without the assertion, the client_id alone is no authentication.
      expectInvalidClient(await tokenRequest({ grant_type: 'client_credentials', client_id: client.id, client_assertion_type: ASSERTION_TYPE }));
    });

    it('refuses a secret from a private_key_jwt client, and an assertion from a client_secret_basic client', async () => {
      const key = await newKey('RS256');
      const client = await jwksClient(key);
      // A private_key_jwt client has no secret; whatever it sends, basic or post, is not its method.
      const basic = await request(server.public).post('/oauth2/token').type('form').auth(client.id, 'some-secret').send({ grant_type: 'client_credentials' });
      expectInvalidClient(basic);
      expect(basic.headers['www-authenticate']).toMatch(/^Basic/);
      expectInvalidClient(await tokenRequest({ grant_type: 'client_credentials', client_id: client.id, client_secret: 'some-secret' }));
      // RFC 6749 §2.3 and §5.2: a request that carries two methods at once is a malformed request.
      const both = await withAssertion(await assertion(client.id, key), { client_secret: 'some-secret' });
      expect({ status: both.status, error: both.body.error }).toEqual({ status: 400, error: 'invalid_request' });

      const secretClient = await createClient({ token_endpoint_auth_method: 'client_secret_basic' });
      expect(secretClient.secret).toEqual(expect.any(String));
      // Even with a key that verifies: the client did not register private_key_jwt.
      const signer = await newKey('RS256');
      expectInvalidClient(await withAssertion(await assertion(secretClient.id, signer)));
      await request(server.public).post('/oauth2/token').type('form').auth(secretClient.id, secretClient.secret as string).send({ grant_type: 'client_credentials' }).expect(200);
    });

    it('authenticates at the revocation endpoint (RFC 7009) with an assertion, and revokes only the client\'s own tokens', async () => {
      const key = await newKey('ES256');
      const client = await jwksClient(key);
      const other = await jwksClient(await newKey('ES256'));
      const { access_token } = (await withAssertion(await assertion(client.id, key)).expect(200)).body;
      const revoke = (clientAssertion: string, token: string = access_token) =>
        request(server.public).post('/oauth2/revoke').type('form').send({ token, client_assertion_type: ASSERTION_TYPE, client_assertion: clientAssertion });

      const forged = await revoke(await assertion(client.id, await newKey('ES256'), { claims: { aud: REVOCATION_ENDPOINT } }));
      expectInvalidClient(forged);
      expectInvalidClient(await revoke(await assertion(client.id, key, { claims: { aud: 'https://other.example/oauth2/revoke' } })));
      expect((await introspect(access_token)).active).toBe(true);

      const foreign = await revoke(await assertion(other.id, key, { claims: { aud: REVOCATION_ENDPOINT } }));
      expectInvalidClient(foreign);

      const ok = await revoke(await assertion(client.id, key, { claims: { aud: REVOCATION_ENDPOINT } }));
      expect(ok.status).toBe(200);
      expect(await introspect(access_token)).toEqual({ active: false });
      // The token endpoint's URL and the issuer are audiences the revocation endpoint accepts as well.
      await revoke(await assertion(client.id, key)).expect(200);
      await revoke(await assertion(client.id, key, { claims: { aud: ISSUER } })).expect(200);
    });
  });

  describe('with keys published at a jwks_uri', () => {
    it('issues a token when the key is fetched from the client\'s jwks_uri, and caches the set', async () => {
      const key = await newKey('RS256');
      const uri = host.serve([key.publicJwk]);
      const client = await createClient({ jwks_uri: uri, token_endpoint_auth_signing_alg: 'RS256' });
      const res = await withAssertion(await assertion(client.id, key), { scope: 'write' }).expect(200);
      expect(res.body.scope).toBe('write');
      await withAssertion(await assertion(client.id, key)).expect(200);
      expect(host.hits.get(new URL(uri).pathname)).toBe(1);

      const ec = await newKey('ES256');
      const ecClient = await createClient({ jwks_uri: host.serve([ec.publicJwk]), token_endpoint_auth_signing_alg: 'ES256' });
      await withAssertion(await assertion(ecClient.id, ec)).expect(200);
    });

    it('refuses a replayed assertion, a foreign key and a wrong aud with a jwks_uri too', async () => {
      const key = await newKey('ES256');
      const client = await createClient({ jwks_uri: host.serve([key.publicJwk]), token_endpoint_auth_signing_alg: 'ES256' });
      const once = await assertion(client.id, key);
      await withAssertion(once).expect(200);
      expectInvalidClient(await withAssertion(once));
      expectInvalidClient(await withAssertion(await assertion(client.id, await newKey('ES256'), { kid: key.kid })));
      expectInvalidClient(await withAssertion(await assertion(client.id, key, { claims: { aud: 'https://other.example' } })));
    });

    it('answers 401, never 500, when the jwks_uri fails: refused connection, error status, not a key set', async () => {
      const key = await newKey('RS256');
      // A port that was just free: nothing listens there.
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const deadPort = (probe.address() as AddressInfo).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));

      const uris = [
        `http://127.0.0.1:${deadPort}/jwks.json`,
        host.route((_req, res) => res.writeHead(500).end('boom')),
        host.route((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"keys": "nope"')),
        host.route((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"not":"a jwks"}')),
        host.serve([]),
      ];
      for (const uri of uris) {
        const client = await createClient({ jwks_uri: uri, token_endpoint_auth_signing_alg: 'RS256' });
        const res = await withAssertion(await assertion(client.id, key));
        try {
          expectInvalidClient(res);
        } catch (e) {
          throw new Error(`${uri}: ${(e as Error).message}`, { cause: e });
        }
      }
    });

    it('answers 401 in bounded time when the jwks_uri never answers', async () => {
      const key = await newKey('RS256');
      const hanging = host.route(() => undefined);
      // Headers at once, then a body that never ends: the timeout must cover the whole fetch.
      const dribbling = host.route((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"keys":[');
      });
      for (const uri of [hanging, dribbling]) {
        const client = await createClient({ jwks_uri: uri, token_endpoint_auth_signing_alg: 'RS256' });
        const started = Date.now();
        const res = await withAssertion(await assertion(client.id, key));
        const elapsed = Date.now() - started;
        expectInvalidClient(res);
        expect(elapsed).toBeLessThan(8000);
      }
      // The server is still serving others meanwhile and afterwards.
      const fine = await newKey('ES256');
      const ok = await jwksClient(fine);
      await withAssertion(await assertion(ok.id, fine)).expect(200);
    }, 25000);
  });
});

import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { exportJWK, generateKeyPair, JWK, JWTPayload, SignJWT } from 'jose';
import { CLIENT_AUTHENTICATION_FAILED_HINT } from '../libs/core/src/clients/authentication/client.authenticator';
import { Browser, codeRequest, createClient, FlowServer, grantAll, startFlowServer, tokenRequest } from './support/browser-flow';
import { LoopbackServer, startLoopbackServer } from './support/loopback-server';

/**
 * Issue 15, rows 1, 2, 3 and 11: what Hydrant fetches from or sends to URLs a client registered, and
 * what it believes of a client assertion. Each test reproduces a row as it was found on the landed code
 * (where it failed) and pins the fix:
 * - row 1: a jwks_uri could fill memory (no size cap, gzip accepted), also through a registration update;
 * - row 2: jwks_uri and backchannel_logout_uri reached loopback and private addresses, and the error hints
 *   told an open port from a closed one;
 * - row 3: a pairwise client listing another client's host first received that client's subjects;
 * - row 11: an assertion with several audiences, or issued a day ahead, was accepted.
 */

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const SALT = 'a-pairwise-salt-of-enough-length';
const COULD_NOT_FETCH = /The client's jwks_uri could not be fetched\./;

interface Key {
  kid: string;
  jwk: JWK;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
}

async function newKey(): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = randomUUID();
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

async function assertion(env: FlowServer, clientId: string, key: Key, claims: JWTPayload = {}, kid = key.kid): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const all = { iss: clientId, sub: clientId, aud: `${env.issuer}oauth2/revoke`, iat: now, exp: now + 300, jti: randomUUID(), ...claims };
  return new SignJWT(all).setProtectedHeader({ alg: 'ES256', kid }).sign(key.privateKey);
}

/** Authenticates with private_key_jwt at the revocation endpoint: 200 when the client is authenticated (RFC 7009 §2.2). */
async function revokeWith(env: FlowServer, clientAssertion: string): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(`${env.publicUrl}/oauth2/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: 'not-a-token', client_assertion_type: ASSERTION_TYPE, client_assertion: clientAssertion }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

interface Registered {
  client_id: string;
  registration_access_token: string;
  [field: string]: unknown;
}

async function register(env: FlowServer, body: Record<string, unknown>): Promise<{ status: number; body: Registered & Record<string, string> }> {
  const res = await fetch(`${env.publicUrl}/oauth2/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Registered & Record<string, string> };
}

async function updateRegistration(env: FlowServer, client: Registered, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(`${env.publicUrl}/oauth2/register/${client.client_id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${client.registration_access_token}` },
    body: JSON.stringify({ client_id: client.client_id, ...body }),
  });
  const answer = (await res.json()) as Record<string, string>;
  // RFC 7592 §2.2: an update may issue a new registration access token, which replaces the old one.
  if (answer.registration_access_token) client.registration_access_token = answer.registration_access_token;
  return { status: res.status, body: answer };
}

/** A client that authenticates with private_key_jwt and keys at `jwksUri`, as anyone may register it. */
const pkjwtClient = (jwksUri: string) => ({
  redirect_uris: ['https://rp.example/cb'],
  token_endpoint_auth_method: 'private_key_jwt',
  token_endpoint_auth_signing_alg: 'ES256',
  jwks_uri: jwksUri,
});

describe('issue 15: outbound calls and client assertions', () => {
  const servers: LoopbackServer[] = [];
  const serve = async (...args: Parameters<typeof startLoopbackServer>) => {
    const server = await startLoopbackServer(...args);
    servers.push(server);
    return server;
  };
  afterAll(async () => Promise.all(servers.map((s) => s.close())));

  describe('with the private-address rule off (the limits themselves are under test)', () => {
    let env: FlowServer;
    let keys: LoopbackServer;
    /** What the key server answers per path: a body and its headers. */
    const documents = new Map<string, { body: Buffer | string; headers?: Record<string, string> }>();

    beforeAll(async () => {
      env = await startFlowServer({
        OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true',
        OIDC_DYNAMIC_CLIENT_REGISTRATION_RATE_LIMIT: '0',
        // Registration turns the rule on by default; these tests fetch from loopback servers on purpose.
        CLIENTS_HTTP_DISALLOW_PRIVATE_IP_RANGES: 'false',
        OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: 'public,pairwise',
        OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: SALT,
        // Every failed client authentication answers one hint; the cause is in error_debug, shown only with this.
        LOG_LEAK_SENSITIVE_VALUES: 'true',
        OAUTH2_CLIENT_AUTHENTICATION_FAILURE_LIMIT: '0',
      });
      keys = await serve((req, res) => {
        const doc = documents.get(req.url ?? '');
        if (!doc) return res.writeHead(404).end('not here');
        res.writeHead(200, { 'content-type': 'application/json', ...doc.headers }).end(doc.body);
      });
    });
    afterAll(() => env?.close());

    const publish = (body: Buffer | string, headers?: Record<string, string>): string => {
      const path = `/${randomUUID()}.json`;
      documents.set(path, { body, headers });
      return `${keys.origin}${path}`;
    };

    it('row 1: refuses a key set beyond 64 KB and a gzip bomb, also when swapped in with PUT /oauth2/register/{id}, and fetches a URI at most once per floor', async () => {
      const key = await newKey();
      const set = JSON.stringify({ keys: [key.jwk] });
      const small = publish(set);
      const client = await register(env, pkjwtClient(small));
      expect(client.status).toBe(201);
      expect((await revokeWith(env, await assertion(env, client.body.client_id, key))).status).toBe(200);

      // Valid JSON either way: the same key set followed by whitespace, 16 MB of it (a few KB gzipped).
      const padded = Buffer.concat([Buffer.from(set), Buffer.alloc(16 * 1024 * 1024, 0x20)]);
      const bomb = gzipSync(padded);
      expect(bomb.length).toBeLessThan(64 * 1024);
      for (const uri of [publish(bomb, { 'content-encoding': 'gzip' }), publish(padded.subarray(0, 200 * 1024))]) {
        const updated = await updateRegistration(env, client.body, pkjwtClient(uri));
        expect(updated.status).toBe(200);
        const refused = await revokeWith(env, await assertion(env, client.body.client_id, key));
        expect(refused.status).toBe(401);
        expect(refused.body.error).toBe('invalid_client');
        expect(refused.body.error_debug).toMatch(COULD_NOT_FETCH);
      }

      // Assertions naming kids the set lacks do not make Hydrant fetch in a loop.
      const rotating = publish(set);
      const other = await register(env, pkjwtClient(rotating));
      await revokeWith(env, await assertion(env, other.body.client_id, key));
      for (let i = 0; i < 20; i++) {
        expect((await revokeWith(env, await assertion(env, other.body.client_id, key, {}, randomUUID()))).status).toBe(401);
      }
      expect(keys.received.filter((r) => r === `GET ${new URL(rotating).pathname}`)).toHaveLength(1);
    });

    it('row 2: answers one hint whether the jwks_uri\'s port is closed, answers an error, redirects, or answers something else', async () => {
      const key = await newKey();
      const closed = await startLoopbackServer(() => undefined);
      await closed.close();
      const uris = [
        `${closed.origin}/jwks.json`,
        `${keys.origin}/missing.json`,
        publish('<html>an internal admin page</html>'),
        publish('{"not":"a key set"}'),
      ];
      const genuine = publish(JSON.stringify({ keys: [key.jwk] }));
      const redirecting = await serve((_req, res) => res.writeHead(302, { location: genuine }).end());
      uris.push(`${redirecting.origin}/jwks.json`);
      const descriptions = new Set<string>();
      for (const uri of uris) {
        const client = await register(env, pkjwtClient(uri));
        const res = await revokeWith(env, await assertion(env, client.body.client_id, key));
        expect(res.status).toBe(401);
        // The caller's answer is the one hint of every failed authentication; even the debug text is one.
        expect(res.body.error_description).toContain(CLIENT_AUTHENTICATION_FAILED_HINT);
        descriptions.add(res.body.error_debug);
      }
      expect([...descriptions]).toEqual([expect.stringMatching(COULD_NOT_FETCH)]);
      expect(keys.received).not.toContain(`GET ${new URL(genuine).pathname}`);
    });

    describe('row 3: pairwise subjects', () => {
      const VICTIM = 'https://victim.example/cb';
      const ATTACKER = 'https://attacker.example/cb';
      let sectors: LoopbackServer;

      beforeAll(async () => {
        sectors = await serve(
          (req, res) => {
            const listed: Record<string, string[]> = { '/both.json': [VICTIM, ATTACKER], '/attacker-only.json': [ATTACKER] };
            const body = listed[req.url ?? ''];
            if (!body) return res.writeHead(404).end();
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
          },
          { tls: true },
        );
      });

      /** The pairwise `sub` a client receives for `subject`, through a whole code flow ending at `redirectUri`. */
      async function subjectSeenBy(clientId: string, secret: string, redirectUri: string, subject: string): Promise<string> {
        const { url, verifier } = codeRequest(env.publicUrl, clientId, redirectUri, { scope: 'openid' });
        const flow = await env.driver.run(new Browser(), url, { login: { accept: { subject } }, consent: grantAll() });
        const code = flow.params.get('code')!;
        const tokens = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }, { id: clientId, secret });
        expect(tokens.status).toBe(200);
        return JSON.parse(Buffer.from((tokens.body.id_token as string).split('.')[1], 'base64url').toString()).sub;
      }

      const pairwise = (redirectUris: string[], sector?: string) => ({
        redirect_uris: redirectUris,
        subject_type: 'pairwise',
        scope: 'openid',
        ...(sector ? { sector_identifier_uri: sector } : {}),
      });

      it('refuses a client that spans the victim\'s host and its own without a verified sector, at registration, update and in the admin API', async () => {
        const victim = await createClient(env.adminUrl, pairwise([VICTIM]));
        const alice = `alice-${randomUUID()}`;
        const victimSub = await subjectSeenBy(victim.client_id, victim.client_secret!, VICTIM, alice);
        // Hydra's hash for a single-host client, unchanged: existing pairwise subjects stay stable.
        expect(victimSub).toBe(createHash('sha256').update(`victim.example${alice}${SALT}`).digest('hex'));

        const expectRefused = (res: { status: number; body: Record<string, unknown> }, hint: RegExp) => {
          expect(res.status).toBe(400);
          expect(res.body.error).toBe('invalid_client_metadata');
          expect(res.body.error_description).toMatch(hint);
        };
        // The victim's host first, the attacker's own second: no sector_identifier_uri, several hosts.
        expectRefused(await register(env, pairwise([VICTIM, ATTACKER])), /sector_identifier_uri/);
        const admin = await fetch(`${env.adminUrl}/admin/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(pairwise([VICTIM, ATTACKER])) });
        expectRefused({ status: admin.status, body: (await admin.json()) as Record<string, unknown> }, /sector_identifier_uri/);
        // A sector that is not https, or that does not list every redirect URI, was taken unfetched.
        expectRefused(await register(env, pairwise([VICTIM, ATTACKER], `http://127.0.0.1:${new URL(sectors.origin).port}/both.json`)), /https/);
        expectRefused(await register(env, pairwise([VICTIM, ATTACKER], `${sectors.origin}/attacker-only.json`)), new RegExp(VICTIM.replace(/[.]/g, '\\.')));
        expectRefused(await register(env, pairwise([VICTIM, ATTACKER], `${sectors.origin}/missing.json`)), /sector_identifier_uri.* could not be fetched/);

        // Registered for its own host, then updated to span the victim's: refused too.
        const single = await register(env, pairwise([ATTACKER]));
        expect(single.status).toBe(201);
        expectRefused(await updateRegistration(env, single.body, pairwise([VICTIM, ATTACKER])), /sector_identifier_uri/);

        // With a sector document that lists both, the sector is that document's host: other subjects than the victim's.
        const sectored = await register(env, pairwise([VICTIM, ATTACKER], `${sectors.origin}/both.json`));
        expect(sectored.status).toBe(201);
        const seen = await subjectSeenBy(sectored.body.client_id, sectored.body.client_secret, ATTACKER, alice);
        expect(seen).not.toBe(victimSub);
        expect(seen).toBe(createHash('sha256').update(`${new URL(sectors.origin).host}${alice}${SALT}`).digest('hex'));
        expect(sectors.received).toContain('GET /both.json');
      });
    });

    describe('row 11: client assertions', () => {
      it('refuses several audiences even when one is ours, and an iat a day ahead; one audience (or a list of one) still works', async () => {
        const key = await newKey();
        const client = await createClient(env.adminUrl, {
          grant_types: ['client_credentials'],
          response_types: [],
          token_endpoint_auth_method: 'private_key_jwt',
          token_endpoint_auth_signing_alg: 'ES256',
          jwks: { keys: [key.jwk] },
        });
        const tokenEndpoint = `${env.issuer}oauth2/token`;
        const token = async (claims: JWTPayload) => {
          const res = await tokenRequest(env.publicUrl, {
            grant_type: 'client_credentials',
            client_assertion_type: ASSERTION_TYPE,
            client_assertion: await assertion(env, client.client_id, key, claims),
          });
          return res;
        };
        const now = Math.floor(Date.now() / 1000);
        for (const claims of [{ aud: ['https://evil.example/', tokenEndpoint] }, { aud: [tokenEndpoint, env.issuer] }, { aud: tokenEndpoint, iat: now + 86_400 }]) {
          const res = await token(claims);
          expect(res.status).toBe(401);
          expect(res.body.error).toBe('invalid_client');
        }
        expect((await token({ aud: tokenEndpoint })).status).toBe(200);
        expect((await token({ aud: [tokenEndpoint] })).status).toBe(200);
        expect((await token({ aud: env.issuer })).status).toBe(200);
      });
    });
  });

  describe('row 2: with dynamic registration on, the private-address rule is on', () => {
    let env: FlowServer;
    let target: LoopbackServer;
    let key: Key;

    beforeAll(async () => {
      key = await newKey();
      const set = JSON.stringify({ keys: [key.jwk] });
      // What an attacker wants reached: a key server and a back-channel endpoint on loopback.
      target = await serve((req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(req.method === 'GET' ? set : ''));
      });
      env = await startFlowServer({
        OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true',
        OIDC_DYNAMIC_CLIENT_REGISTRATION_RATE_LIMIT: '0',
        CLIENTS_HTTP_PRIVATE_IP_EXCEPTION_URLS: `${target.origin}/allowed/`,
        LOG_LEAK_SENSITIVE_VALUES: 'true',
        OAUTH2_CLIENT_AUTHENTICATION_FAILURE_LIMIT: '0',
      });
    });
    afterAll(() => env?.close());

    it('never fetches a registered jwks_uri at loopback, a private or a link-local address, and says only that it could not be fetched', async () => {
      const port = new URL(target.origin).port;
      const uris = [
        `${target.origin}/jwks.json`,
        `http://localhost:${port}/by-name.json`,
        `http://[::1]:${port}/v6.json`,
        'https://10.0.0.1/jwks.json',
        'https://169.254.169.254/latest/meta-data/jwks.json',
        // IPv4-mapped 127.0.0.1, written as URL parsing normalizes it (the URI rules refuse any other spelling).
        'https://[::ffff:7f00:1]/mapped.json',
      ];
      for (const uri of uris) {
        const client = await register(env, pkjwtClient(uri));
        expect(client.status).toBe(201);
        const res = await revokeWith(env, await assertion(env, client.body.client_id, key));
        expect(res.status).toBe(401);
        expect(res.body.error_debug).toMatch(COULD_NOT_FETCH);
      }
      expect(target.received).toEqual([]);

      // An allowlisted prefix reaches the same server.
      const allowed = await register(env, pkjwtClient(`${target.origin}/allowed/jwks.json`));
      expect((await revokeWith(env, await assertion(env, allowed.body.client_id, key))).status).toBe(200);
      expect(target.received).toEqual(['GET /allowed/jwks.json']);
    });

    it('never POSTs a back-channel logout token to a loopback address', async () => {
      const before = target.received.length;
      const client = await register(env, {
        redirect_uris: ['https://rp.example/cb'],
        scope: 'openid',
        backchannel_logout_uri: `${target.origin}/backchannel`,
      });
      expect(client.status).toBe(201);
      const subject = `bob-${randomUUID()}`;
      const { url, verifier } = codeRequest(env.publicUrl, client.body.client_id, 'https://rp.example/cb', { scope: 'openid' });
      const flow = await env.driver.run(new Browser(), url, { login: { accept: { subject, remember: true, remember_for: 3600 } }, consent: grantAll() });
      const tokens = await tokenRequest(
        env.publicUrl,
        { grant_type: 'authorization_code', code: flow.params.get('code')!, redirect_uri: 'https://rp.example/cb', code_verifier: verifier },
        { id: client.body.client_id, secret: client.body.client_secret },
      );
      expect(tokens.status).toBe(200);

      // Ending the login session sends back-channel logout tokens (awaited by the admin API).
      const ended = await fetch(`${env.adminUrl}/admin/oauth2/auth/sessions/login?subject=${encodeURIComponent(subject)}`, { method: 'DELETE' });
      expect(ended.status).toBe(204);
      expect(target.received.slice(before)).toEqual([]);
    });
  });
});

import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, JSONWebKeySet, jwtVerify } from 'jose';
import request from 'supertest';
import { Browser, codeRequest, createClient, FlowServer, grantAll, introspect, random, startFlowServer, tokenRequest } from './support/browser-flow';
import { startTestServer, TestServer } from './support/test-runtime';

/**
 * The seed document hydra-public-api.md (Hydra v1's PublicApi, 11 endpoints), walked with its own
 * requests against a fresh Hydrant: logout, discovery, Hydra v1's dynamic client registration at
 * `/connect/register` (managed with the client's own credentials), token, authorize, revoke, userinfo
 * and the JSON Web Keys that verify ID tokens.
 */

const REDIRECT = 'https://rp.example/callback';
const LOGGED_OUT = 'https://rp.example/logged-out';
const LOGOUT_URL = 'http://logout.test/logout';
const SIGNED_OUT = 'http://logout.test/signed-out';

type Answer = { status: number; headers: Headers; body: any };

/** One JSON (or form) call by fetch; the body parsed when it is JSON. */
async function call(method: string, url: string, init: { headers?: Record<string, string>; json?: unknown; form?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  let body: string | undefined;
  if (init.json !== undefined) [headers['content-type'], body] = ['application/json', JSON.stringify(init.json)];
  if (init.form !== undefined) [headers['content-type'], body] = ['application/x-www-form-urlencoded', new URLSearchParams(init.form).toString()];
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').startsWith('application/json');
  return { status: res.status, headers: res.headers, body: json ? JSON.parse(text) : text || undefined };
}

const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** RFC 6749 §5.2 error of the public port. */
function expectOAuthError(res: Answer, status: number, error: string): void {
  expect({ status: res.status, error: res.body?.error }).toEqual({ status, error });
  expect(res.body.error_description).toEqual(expect.any(String));
}

describe('Hydra v1 public API (hydra-public-api.md)', () => {
  let env: FlowServer;

  beforeAll(async () => {
    env = await startFlowServer({
      URLS_LOGOUT: LOGOUT_URL,
      URLS_POST_LOGOUT_REDIRECT: SIGNED_OUT,
      OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true',
      OIDC_DYNAMIC_CLIENT_REGISTRATION_RATE_LIMIT: '0',
      // The suite registers clients that use client_credentials (to try their secrets); since issue 15
      // registration grants it only where the operator allows it.
      OIDC_DYNAMIC_CLIENT_REGISTRATION_ALLOWED_GRANT_TYPES: 'authorization_code,refresh_token,client_credentials',
    });
  });
  afterAll(() => env?.close());

  type Rp = { id: string; secret: string };

  async function relyingParty(body: Record<string, unknown> = {}): Promise<Rp> {
    const created = await createClient(env.adminUrl, {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid offline_access email profile',
      redirect_uris: [REDIRECT],
      post_logout_redirect_uris: [LOGGED_OUT],
      ...body,
    });
    return { id: created.client_id, secret: created.client_secret! };
  }

  /** A code flow in `browser` (login remembered), the code redeemed with Basic; `claims` go into the ID token. */
  async function signIn(browser: Browser, rp: Rp, subject: string, options: { scope?: string; claims?: Record<string, unknown> } = {}) {
    const { url, verifier } = codeRequest(env.publicUrl, rp.id, REDIRECT, { scope: options.scope ?? 'openid offline_access' });
    const flow = await env.driver.run(browser, url, {
      login: (req) => ({ accept: { subject: req.skip ? req.subject : subject, remember: true, remember_for: 3600 } }),
      consent: grantAll({ session: { id_token: options.claims ?? {} } }),
    });
    const code = flow.params.get('code');
    if (!code) throw new Error(`no code: ${flow.callback.href}`);
    const res = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }, rp);
    expect(res.status).toBe(200);
    return { tokens: res.body, loginSkipped: flow.loginRequest?.skip === true };
  }

  const userinfo = (token: string) => call('GET', `${env.publicUrl}/userinfo`, { headers: bearer(token) });

  describe('GET /oauth2/sessions/logout', () => {
    const logoutAdmin = (action: '' | '/accept', challenge: string) =>
      call(action ? 'PUT' : 'GET', `${env.adminUrl}/admin/oauth2/auth/requests/logout${action}?logout_challenge=${encodeURIComponent(challenge)}`);

    /** Logs `browser` out through the logout app (accepting); the logout request it read and where the browser ended. */
    async function logOut(browser: Browser, params: Record<string, string> = {}) {
      const hop = await browser.get(`${env.publicUrl}/oauth2/sessions/logout?${new URLSearchParams(params)}`);
      expect(hop.status).toBe(302);
      expect(`${hop.location!.origin}${hop.location!.pathname}`).toBe(LOGOUT_URL);
      const challenge = hop.location!.searchParams.get('logout_challenge')!;
      const request = (await logoutAdmin('', challenge)).body;
      const accepted = await logoutAdmin('/accept', challenge);
      expect(accepted.status).toBe(200);
      const done = await browser.get(accepted.body.redirect_to);
      expect(done.status).toBe(302);
      return { request, landed: done.location!.href };
    }

    it('ends the login session through the logout app and returns to the client with its state', async () => {
      const rp = await relyingParty();
      const browser = new Browser();
      const subject = `alice-${randomUUID()}`;
      const { tokens } = await signIn(browser, rp, subject);
      expect((await signIn(browser, rp, subject)).loginSkipped).toBe(true);
      const state = random();
      const out = await logOut(browser, { id_token_hint: tokens.id_token, post_logout_redirect_uri: LOGGED_OUT, state });
      expect(out.request).toMatchObject({ subject, rp_initiated: true, client: { client_id: rp.id } });
      expect(out.landed).toBe(`${LOGGED_OUT}?state=${state}`);
      // Logged out: the next flow asks the login app again.
      expect((await signIn(browser, rp, subject)).loginSkipped).toBe(false);
    });

    it('needs no parameter: a bare GET logs the browser out to the default post-logout page', async () => {
      const rp = await relyingParty();
      const browser = new Browser();
      const subject = `bare-${randomUUID()}`;
      await signIn(browser, rp, subject);
      const out = await logOut(browser);
      expect(out.request).toMatchObject({ subject, rp_initiated: false });
      expect(out.landed).toBe(SIGNED_OUT);
      expect((await signIn(browser, rp, subject)).loginSkipped).toBe(false);
    });
  });

  describe('GET /.well-known/openid-configuration', () => {
    it('describes this issuer and the endpoints of the document', async () => {
      const res = await call('GET', `${env.publicUrl}/.well-known/openid-configuration`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body).toMatchObject({
        issuer: env.issuer,
        authorization_endpoint: `${env.issuer}oauth2/auth`,
        token_endpoint: `${env.issuer}oauth2/token`,
        jwks_uri: `${env.issuer}.well-known/jwks.json`,
        userinfo_endpoint: `${env.issuer}userinfo`,
        revocation_endpoint: `${env.issuer}oauth2/revoke`,
        end_session_endpoint: `${env.issuer}oauth2/sessions/logout`,
        registration_endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//),
        response_types_supported: expect.arrayContaining(['code']),
        subject_types_supported: expect.arrayContaining(['public']),
        id_token_signing_alg_values_supported: expect.arrayContaining(['RS256']),
      });
    });
  });

  describe('/connect/register', () => {
    const connect = (method: string, path = '', init: Parameters<typeof call>[2] = {}) => call(method, `${env.publicUrl}/connect/register${path}`, init);

    /** Registers a client that may also use client_credentials, so that its secret can be tried. */
    async function register(body: Record<string, unknown> = {}): Promise<Record<string, any>> {
      const res = await connect('POST', '', {
        json: { client_name: 'v1 client', redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'client_credentials'], response_types: ['code'], scope: 'openid', ...body },
      });
      if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body;
    }

    /** Does this secret work at the token endpoint for the client's registered method? */
    async function secretWorks(id: string, secret: string, method = 'client_secret_basic'): Promise<boolean> {
      const form = { grant_type: 'client_credentials', scope: 'openid' };
      const res = method === 'client_secret_post' ? await tokenRequest(env.publicUrl, { ...form, client_id: id, client_secret: secret }) : await tokenRequest(env.publicUrl, form, { id, secret });
      return res.status === 200;
    }

    const adminClient = (id: string) => call('GET', `${env.adminUrl}/admin/clients/${encodeURIComponent(id)}`);
    const withSecret = (id: string, secret: string) => `/${encodeURIComponent(id)}?client_secret=${encodeURIComponent(secret)}`;

    describe('POST /connect/register', () => {
      it('registers a client and answers its generated credentials once', async () => {
        const res = await connect('POST', '', { json: { client_name: 'self-service', redirect_uris: [REDIRECT], grant_types: ['client_credentials'], scope: 'openid' } });
        expect(res.status).toBe(201);
        expect(res.headers.get('cache-control')).toBe('no-store');
        const generated = { client_id: expect.any(String), client_secret: expect.any(String), registration_access_token: expect.any(String) };
        expect(res.body).toMatchObject({ ...generated, client_name: 'self-service', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'client_secret_basic' });
        // Where the client manages itself: this path, where its own credentials work too.
        expect(res.body.registration_client_uri).toBe(`${env.publicUrl}/connect/register/${res.body.client_id}`);
        expect(await secretWorks(res.body.client_id, res.body.client_secret)).toBe(true);
        const stored = await adminClient(res.body.client_id);
        expect(stored.status).toBe(200);
        expect(stored.body.client_secret).toBeUndefined();
      });

      it.each([['client_id', { client_id: `mine-${randomUUID()}` }], ['client_secret', { client_secret: 'my-own-chosen-secret-0123456789' }]])(
        'does not let the caller choose the %s',
        async (_field, chosen) => {
          const res = await connect('POST', '', { json: { redirect_uris: [REDIRECT], ...chosen } });
          expectOAuthError(res, 400, 'invalid_client_metadata');
          if ('client_id' in chosen) expect((await adminClient(chosen.client_id)).status).toBe(404);
        },
      );
    });

    describe('GET /connect/register/{id}', () => {
      it('answers the client, without the secret, to its Basic credentials (client_secret_basic) or its registration token', async () => {
        const client = await register();
        const res = await connect('GET', `/${client.client_id}`, { headers: basic(client.client_id, client.client_secret) });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ client_id: client.client_id, client_name: 'v1 client', redirect_uris: [REDIRECT] });
        expect(res.body).not.toHaveProperty('client_secret');
        const viaToken = await connect('GET', `/${client.client_id}`, { headers: bearer(client.registration_access_token) });
        expect({ status: viaToken.status, client_id: viaToken.body.client_id }).toEqual({ status: 200, client_id: client.client_id });
      });

      it('answers a client_secret_post client to ?client_secret= in the query', async () => {
        const client = await register({ token_endpoint_auth_method: 'client_secret_post' });
        const res = await connect('GET', withSecret(client.client_id, client.client_secret));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ client_id: client.client_id, token_endpoint_auth_method: 'client_secret_post' });
        expect(res.body).not.toHaveProperty('client_secret');
      });

      it('refuses missing or wrong credentials, and the wrong method for the client, with 401 invalid_client', async () => {
        const basicClient = await register();
        const postClient = await register({ token_endpoint_auth_method: 'client_secret_post' });
        const other = await register();
        const id = basicClient.client_id;
        expect((await connect('GET', `/${id}`)).status).toBe(401);
        expectOAuthError(await connect('GET', `/${id}`, { headers: basic(id, `${basicClient.client_secret}x`) }), 401, 'invalid_client');
        expectOAuthError(await connect('GET', `/${id}`, { headers: basic(other.client_id, other.client_secret) }), 401, 'invalid_client');
        expectOAuthError(await connect('GET', `/${id}`, { headers: basic(id, other.client_secret) }), 401, 'invalid_client');
        expectOAuthError(await connect('GET', withSecret(postClient.client_id, 'wrong-secret')), 401, 'invalid_client');
        // Each method is the client's registered one only.
        expectOAuthError(await connect('GET', withSecret(id, basicClient.client_secret)), 401, 'invalid_client');
        expectOAuthError(await connect('GET', `/${postClient.client_id}`, { headers: basic(postClient.client_id, postClient.client_secret) }), 401, 'invalid_client');
        expect((await connect('GET', `/${id}`, { headers: bearer('not-the-registration-token') })).status).toBe(401);
      });

      it('does not manage a client the operator created on the admin API, even with its own credentials', async () => {
        const created = await createClient(env.adminUrl, { client_name: 'operator owned', grant_types: ['client_credentials'], scope: 'openid' });
        const auth = basic(created.client_id, created.client_secret!);
        expect((await connect('GET', `/${created.client_id}`, { headers: auth })).status).toBe(401);
        expect((await connect('PUT', `/${created.client_id}`, { headers: auth, json: { client_name: 'hijacked', grant_types: ['client_credentials'] } })).status).toBe(401);
        expect((await connect('DELETE', `/${created.client_id}`, { headers: auth })).status).toBe(401);
        const stored = await adminClient(created.client_id);
        expect({ status: stored.status, name: stored.body.client_name }).toEqual({ status: 200, name: 'operator owned' });
      });
    });

    describe('PUT /connect/register/{id}', () => {
      const update = { client_name: 'renamed', redirect_uris: [REDIRECT, 'https://rp.example/second'], grant_types: ['authorization_code', 'client_credentials'], response_types: ['code'], scope: 'openid' };

      it('replaces the metadata for the client\'s credentials; the secret keeps working, the registration token is renewed', async () => {
        const client = await register();
        const res = await connect('PUT', `/${client.client_id}`, { headers: basic(client.client_id, client.client_secret), json: update });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ client_id: client.client_id, client_name: 'renamed', redirect_uris: update.redirect_uris });
        expect(res.body.registration_access_token).toEqual(expect.any(String));
        expect(res.body.registration_access_token).not.toBe(client.registration_access_token);
        expect(await secretWorks(client.client_id, client.client_secret)).toBe(true);
        expect((await connect('GET', `/${client.client_id}`, { headers: bearer(res.body.registration_access_token) })).body.client_name).toBe('renamed');
        expect((await connect('GET', `/${client.client_id}`, { headers: bearer(client.registration_access_token) })).status).toBe(401);

        // A client_secret_post client presents ?client_secret=.
        const post = await register({ token_endpoint_auth_method: 'client_secret_post' });
        const viaQuery = await connect('PUT', withSecret(post.client_id, post.client_secret), { json: { ...update, token_endpoint_auth_method: 'client_secret_post' } });
        expect({ status: viaQuery.status, name: viaQuery.body.client_name }).toEqual({ status: 200, name: 'renamed' });
        expect(await secretWorks(post.client_id, post.client_secret, 'client_secret_post')).toBe(true);
      });

      it('updates the secret when client_secret is passed, and returns it', async () => {
        const client = await register();
        const secret = `new-secret-${randomUUID()}`;
        const res = await connect('PUT', `/${client.client_id}`, { headers: basic(client.client_id, client.client_secret), json: { ...update, client_secret: secret } });
        expect({ status: res.status, client_secret: res.body.client_secret }).toEqual({ status: 200, client_secret: secret });
        expect(await secretWorks(client.client_id, secret)).toBe(true);
      });

      it('refuses wrong credentials with 401 and changes nothing', async () => {
        const client = await register();
        expectOAuthError(await connect('PUT', `/${client.client_id}`, { headers: basic(client.client_id, 'wrong'), json: update }), 401, 'invalid_client');
        expect((await connect('GET', `/${client.client_id}`, { headers: basic(client.client_id, client.client_secret) })).body.client_name).toBe('v1 client');
      });
    });

    describe('DELETE /connect/register/{id}', () => {
      async function expectGone(client: Record<string, any>): Promise<void> {
        expect((await adminClient(client.client_id)).status).toBe(404);
        expect((await connect('GET', `/${client.client_id}`, { headers: basic(client.client_id, client.client_secret) })).status).toBe(401);
        expect(await secretWorks(client.client_id, client.client_secret)).toBe(false);
      }

      it('deletes the client (204) for its Basic credentials, ?client_secret= (client_secret_post), or its registration token', async () => {
        const client = await register();
        const res = await connect('DELETE', `/${client.client_id}`, { headers: basic(client.client_id, client.client_secret) });
        expect({ status: res.status, body: res.body }).toEqual({ status: 204, body: undefined });
        await expectGone(client);
        const post = await register({ token_endpoint_auth_method: 'client_secret_post' });
        expect((await connect('DELETE', withSecret(post.client_id, post.client_secret))).status).toBe(204);
        expect((await adminClient(post.client_id)).status).toBe(404);
        const other = await register();
        expect((await connect('DELETE', `/${other.client_id}`, { headers: bearer(other.registration_access_token) })).status).toBe(204);
        await expectGone(other);
      });

      it('refuses wrong credentials with 401 and keeps the client', async () => {
        const client = await register();
        expectOAuthError(await connect('DELETE', `/${client.client_id}`, { headers: basic(client.client_id, 'wrong') }), 401, 'invalid_client');
        expect((await adminClient(client.client_id)).status).toBe(200);
      });
    });
  });

  describe('POST /oauth2/token', () => {
    it('exchanges a code (client_secret_basic) and refreshes with refresh_token, form-encoded', async () => {
      const rp = await relyingParty();
      const { tokens } = await signIn(new Browser(), rp, `token-${randomUUID()}`);
      expect(tokens).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), id_token: expect.any(String), scope: 'openid offline_access' });
      expect(tokens.token_type.toLowerCase()).toBe('bearer');
      expect(tokens.expires_in).toBeGreaterThan(0);

      const refreshed = await tokenRequest(env.publicUrl, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, rp);
      expect(refreshed.status).toBe(200);
      expect(refreshed.headers.get('cache-control')).toBe('no-store');
      expect(refreshed.body.access_token).not.toBe(tokens.access_token);
      expect(refreshed.body.refresh_token).not.toBe(tokens.refresh_token);
      expect((await introspect(env.adminUrl, refreshed.body.access_token)).active).toBe(true);
      expect((await tokenRequest(env.publicUrl, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, rp)).body.error).toBe('invalid_grant');
    });

    it('takes client_id in the form from a public client', async () => {
      const rp = await relyingParty({ token_endpoint_auth_method: 'none' });
      const { url, verifier } = codeRequest(env.publicUrl, rp.id, REDIRECT);
      const flow = await env.driver.run(new Browser(), url, { login: { accept: { subject: 'public-user' } } });
      const res = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', client_id: rp.id, code: flow.params.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier });
      expect(res.status).toBe(200);
      expect((await introspect(env.adminUrl, res.body.access_token)).client_id).toBe(rp.id);
    });

    it('refuses an unknown code with invalid_grant and a wrong secret with invalid_client', async () => {
      const rp = await relyingParty();
      const form = { grant_type: 'authorization_code', code: 'no-such-code', redirect_uri: REDIRECT };
      const [bad, wrong] = [await tokenRequest(env.publicUrl, form, rp), await tokenRequest(env.publicUrl, form, { id: rp.id, secret: 'wrong' })];
      expect([bad.status, bad.body.error, wrong.status, wrong.body.error]).toEqual([400, 'invalid_grant', 401, 'invalid_client']);
    });
  });

  describe('GET /oauth2/auth', () => {
    it('sends the browser to login and consent, then to the client with a code, its state and the issuer', async () => {
      const rp = await relyingParty();
      const state = random();
      const { url } = codeRequest(env.publicUrl, rp.id, REDIRECT, { state, scope: 'openid email' });
      const flow = await env.driver.run(new Browser(), url, { login: { accept: { subject: 'auth-user' } } });
      expect(flow.loginRequest!.client).toMatchObject({ client_id: rp.id });
      expect(`${flow.callback.origin}${flow.callback.pathname}`).toBe(REDIRECT);
      expect(flow.params.get('code')).toEqual(expect.any(String));
      expect(flow.params.get('state')).toBe(state);
      expect(flow.params.get('iss')).toBe(env.issuer);
      expect(flow.params.get('scope')).toBe('openid email');
    });

    it('refuses an unregistered redirect_uri on an error page; sends a scope not allowed back to the client as invalid_scope', async () => {
      const rp = await relyingParty();
      const page = await new Browser().get(codeRequest(env.publicUrl, rp.id, 'https://evil.example/cb').url);
      expect({ status: page.status, location: page.location?.href }).toEqual({ status: 400, location: undefined });
      const hop = await new Browser().get(codeRequest(env.publicUrl, rp.id, REDIRECT, { scope: 'openid admin', state: 'kept' }).url);
      expect([302, 303]).toContain(hop.status);
      expect(`${hop.location!.origin}${hop.location!.pathname}`).toBe(REDIRECT);
      expect(Object.fromEntries(hop.location!.searchParams)).toMatchObject({ error: 'invalid_scope', state: 'kept' });
    });
  });

  describe('POST /oauth2/revoke', () => {
    const revoke = (token: string, auth: Record<string, string> = {}) => call('POST', `${env.publicUrl}/oauth2/revoke`, { headers: auth, form: { token } });

    it('revokes an access token for its client: no longer usable', async () => {
      const rp = await relyingParty();
      const { tokens } = await signIn(new Browser(), rp, `revoke-${randomUUID()}`);
      expect((await userinfo(tokens.access_token)).status).toBe(200);
      expect((await revoke(tokens.access_token, basic(rp.id, rp.secret))).status).toBe(200);
      expect(await introspect(env.adminUrl, tokens.access_token)).toEqual({ active: false });
      expect((await userinfo(tokens.access_token)).status).toBe(401);
    });

    it('revokes a refresh token, and with it the access token created with it', async () => {
      const rp = await relyingParty();
      const { tokens } = await signIn(new Browser(), rp, `refresh-${randomUUID()}`);
      expect((await revoke(tokens.refresh_token, basic(rp.id, rp.secret))).status).toBe(200);
      const refreshed = await tokenRequest(env.publicUrl, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, rp);
      expect({ status: refreshed.status, error: refreshed.body.error }).toEqual({ status: 400, error: 'invalid_grant' });
      expect(await introspect(env.adminUrl, tokens.access_token)).toEqual({ active: false });
      expect((await userinfo(tokens.access_token)).status).toBe(401);
    });

    it('lets only the client the token was generated for revoke it', async () => {
      const rp = await relyingParty();
      const other = await relyingParty();
      const { tokens } = await signIn(new Browser(), rp, `owner-${randomUUID()}`);
      for (const token of [tokens.access_token, tokens.refresh_token]) {
        const res = await revoke(token, basic(other.id, other.secret));
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect((await introspect(env.adminUrl, token)).active).toBe(true);
      }
      expectOAuthError(await revoke(tokens.access_token), 401, 'invalid_client');
      expectOAuthError(await revoke(tokens.access_token, basic(rp.id, 'wrong')), 401, 'invalid_client');
      expect((await introspect(env.adminUrl, tokens.access_token)).active).toBe(true);
    });
  });

  describe('GET /userinfo', () => {
    it('answers the ID token payload, with the consent app\'s id token claims', async () => {
      const rp = await relyingParty();
      const subject = `info-${randomUUID()}`;
      const { tokens } = await signIn(new Browser(), rp, subject, { scope: 'openid email', claims: { email: 'info@example.com', tenant: 'acme' } });
      expect(decodeJwt(tokens.id_token)).toMatchObject({ sub: subject, email: 'info@example.com', tenant: 'acme' });
      const res = await userinfo(tokens.access_token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ sub: subject, email: 'info@example.com', tenant: 'acme' });
    });

    it('answers 401 invalid_token with a WWW-Authenticate challenge for a bad or missing token', async () => {
      const bad = await userinfo('not-a-token');
      expectOAuthError(bad, 401, 'invalid_token');
      expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer\b.*error="invalid_token"/);
      const missing = await call('GET', `${env.publicUrl}/userinfo`);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    });
  });

  describe('GET /.well-known/jwks.json', () => {
    it('publishes public keys only, and an ID token verifies with them', async () => {
      const res = await call('GET', `${env.publicUrl}/.well-known/jwks.json`);
      expect(res.status).toBe(200);
      const jwks = res.body as JSONWebKeySet;
      expect(jwks.keys.length).toBeGreaterThan(0);
      for (const key of jwks.keys) {
        expect(key).toMatchObject({ kid: expect.any(String), use: 'sig' });
        for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key).not.toHaveProperty(secret);
      }

      const rp = await relyingParty();
      const subject = `jwks-${randomUUID()}`;
      const { tokens } = await signIn(new Browser(), rp, subject);
      expect(jwks.keys.map((k) => k.kid)).toContain(decodeProtectedHeader(tokens.id_token).kid);
      const { payload } = await jwtVerify(tokens.id_token, createLocalJWKSet(jwks), { issuer: env.issuer, audience: rp.id });
      expect(payload.sub).toBe(subject);
    });
  });
});

describe('/connect/register under the switch and rate limit of /oauth2/register', () => {
  const servers: TestServer[] = [];
  async function start(env: Record<string, string> = {}): Promise<TestServer> {
    servers.push(await startTestServer(env));
    return servers[servers.length - 1];
  }
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it('answers 404 on POST /connect/register and GET, PUT, DELETE /connect/register/{id} while registration is disabled (the default)', async () => {
    const server = await start();
    const auth = `Basic ${Buffer.from('some-id:some-secret').toString('base64')}`;
    expect((await request(server.public).post('/connect/register').send({ redirect_uris: [REDIRECT] })).status).toBe(404);
    expect((await request(server.public).get('/connect/register/some-id').set('Authorization', auth)).status).toBe(404);
    expect((await request(server.public).put('/connect/register/some-id').set('Authorization', auth).send({})).status).toBe(404);
    expect((await request(server.public).delete('/connect/register/some-id?client_secret=x')).status).toBe(404);
    expect((await request(server.admin).get('/admin/clients').expect(200)).body).toEqual([]);
  });

  it('counts registrations at both paths against one per-address limit, then answers 429', async () => {
    const server = await start({
      OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true',
      OIDC_DYNAMIC_CLIENT_REGISTRATION_RATE_LIMIT: '2',
      OIDC_DYNAMIC_CLIENT_REGISTRATION_RATE_LIMIT_WINDOW: '8760h',
    });
    await request(server.public).post('/connect/register').send({ redirect_uris: [REDIRECT] }).expect(201);
    await request(server.public).post('/oauth2/register').send({ redirect_uris: [REDIRECT] }).expect(201);
    const refused = await request(server.public).post('/connect/register').send({ redirect_uris: [REDIRECT] });
    expect([refused.status, refused.body.error]).toEqual([429, 'too_many_requests']);
    expect((await request(server.admin).get('/admin/clients').expect(200)).body).toHaveLength(2);
  });
});

import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, JSONWebKeySet, jwtVerify } from 'jose';
import { Browser, createClient, Decider, FlowResult, FlowServer, grantAll, LOGIN_URL, pkce, random, startFlowServer } from './support/browser-flow';

/**
 * The Spatio seed (`spatio-rust-oauth-api.md`, `spatio-elixir-oauth-api.md`): every endpoint of its
 * OAuthApi, called with the document's own parameter names, media types and authentication, plus the
 * personal access tokens its introspection accepts (issue 11). A relying party registers, sends the
 * browser to /oauth2/authorize, redeems and refreshes at /oauth2/token with client_secret_post form
 * fields, reads /oauth2/userinfo, introspects and revokes.
 */

const REDIRECT = 'https://spatio-rp.example/callback';
const SCOPE = 'openid profile email';
/** Spatio's relying parties register the scope they use, so the operator allows it (issue 15: nothing beyond the allowed scope). */
const REGISTRATION_ENV = {
  OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true',
  OIDC_DYNAMIC_CLIENT_REGISTRATION_ALLOWED_SCOPE: 'openid,profile,email,offline_access',
};
const CLAIMS = { email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace', team: 'engines' };

type Json = Record<string, any>;
interface Answer { status: number; headers: Headers; body: Json }
interface Rp { client_id: string; client_secret?: string }

const sorted = (scope: string | undefined): string[] => (scope ?? '').split(' ').filter(Boolean).sort();
const basic = (c: Rp) => ({ authorization: `Basic ${Buffer.from(`${encodeURIComponent(c.client_id)}:${encodeURIComponent(c.client_secret!)}`).toString('base64')}` });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const postCredentials = (c: Rp) => ({ client_id: c.client_id, client_secret: c.client_secret! });
const loginAs = (subject: string, remember = false): Decider => ({ accept: { subject, remember } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function send(url: string, init: { method?: string; form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  let body: string | undefined;
  if (init.form) [headers['content-type'], body] = ['application/x-www-form-urlencoded', new URLSearchParams(init.form).toString()];
  if (init.json !== undefined) [headers['content-type'], body] = ['application/json', JSON.stringify(init.json)];
  const res = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}

/** RFC 6749 §5.2 error on the public port. */
function expectError(res: Answer, status: number, error: string): void {
  expect({ status: res.status, error: res.body.error }).toEqual({ status, error });
  expect(res.body.error_description).toEqual(expect.any(String));
}

describe('Spatio OAuthApi (spatio-sdk 0.0.2)', () => {
  let env: FlowServer;
  /** A confidential relying party authenticating with client_secret_post, as the document's token form does. */
  let rp: Rp;
  /** A second confidential client (client_secret_basic), to introspect another client's tokens. */
  let other: Rp;

  const pub = (path: string) => `${env.publicUrl}${path}`;
  const admin = (path: string) => `${env.adminUrl}${path}`;

  beforeAll(async () => {
    env = await startFlowServer(REGISTRATION_ENV);
    const client = (method: string) =>
      createClient(env.adminUrl, { grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], scope: `${SCOPE} offline_access`, redirect_uris: [REDIRECT], token_endpoint_auth_method: method });
    rp = await client('client_secret_post');
    other = await client('client_secret_basic');
  });
  afterAll(() => env?.close());

  /** The document's oauth_authorize parameters; `scope`, `prompt`, `max_age` and friends can be replaced. */
  function authorizeParams(client: Rp, params: Record<string, string> = {}) {
    const { verifier, challenge } = pkce();
    const [state, nonce] = [random(), random()];
    const query = { client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256', scope: SCOPE, state, nonce, ...params };
    return { query, verifier, state, nonce };
  }

  /** One browser flow from GET /oauth2/authorize to the client; the consent releases CLAIMS into the ID token. */
  async function authorize(client: Rp, params: Record<string, string> = {}, browser = new Browser(), login = loginAs('ada')) {
    const request = authorizeParams(client, params);
    const url = `${pub('/oauth2/authorize')}?${new URLSearchParams(request.query)}`;
    const flow: FlowResult = await env.driver.run(browser, url, { login, consent: grantAll({ session: { id_token: CLAIMS } }) });
    return { ...request, flow, code: flow.params.get('code') };
  }

  /** oauth_token as the document lists its form fields, authenticated by client_secret_post (or just client_id). */
  const token = (form: Record<string, string>, client: Rp = rp) =>
    send(pub('/oauth2/token'), { form: { ...form, client_id: client.client_id, ...(client.client_secret ? { client_secret: client.client_secret } : {}) } });

  const redeem = (code: string, verifier: string, client: Rp = rp) => token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT }, client);

  /** A whole flow and its code redeemed: the token response. */
  async function tokens(scope = SCOPE, client: Rp = rp): Promise<Json> {
    const { code, verifier } = await authorize(client, { scope });
    const res = await redeem(code!, verifier, client);
    expect(res.status).toBe(200);
    return res.body;
  }

  const introspect = (tokenValue: string, auth: { form?: Record<string, string>; headers?: Record<string, string> }) =>
    send(pub('/oauth2/introspect'), { form: { token: tokenValue, ...auth.form }, headers: auth.headers });
  const adminIntrospect = async (tokenValue: string) => (await send(admin('/admin/oauth2/introspect'), { form: { token: tokenValue } })).body;
  const userinfoGet = (tokenValue: string) => send(pub('/oauth2/userinfo'), { headers: bearer(tokenValue) });
  const userinfoPost = (tokenValue: string) => send(pub('/oauth2/userinfo'), { form: { access_token: tokenValue } });

  describe('GET /.well-known/jwks.json (get_jwks)', () => {
    it('publishes the public signing keys, without private parts', async () => {
      const res = await send(pub('/.well-known/jwks.json'));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body.keys.length).toBeGreaterThan(0);
      for (const key of res.body.keys) {
        expect(key).toMatchObject({ kid: expect.any(String), kty: expect.any(String), use: 'sig' });
        for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key).not.toHaveProperty(secret);
      }
    });
  });

  describe('GET /.well-known/oauth-authorization-server and /.well-known/openid-configuration', () => {
    it('answers the same metadata at both paths, naming every endpoint of the document', async () => {
      const rfc8414 = await send(pub('/.well-known/oauth-authorization-server'));
      const oidc = await send(pub('/.well-known/openid-configuration'));
      expect([rfc8414.status, oidc.status]).toEqual([200, 200]);
      expect(rfc8414.headers.get('content-type')).toMatch(/^application\/json/);
      expect(oidc.body).toEqual(rfc8414.body);
      expect(oidc.body).toMatchObject({
        issuer: env.issuer,
        token_endpoint: `${env.issuer}oauth2/token`,
        jwks_uri: `${env.issuer}.well-known/jwks.json`,
        revocation_endpoint: `${env.issuer}oauth2/revoke`,
        introspection_endpoint: `${env.issuer}oauth2/introspect`,
        registration_endpoint: `${env.issuer}oauth2/register`,
      });
      expect(oidc.body.authorization_endpoint).toMatch(new RegExp(`^${env.issuer}oauth2/auth(orize)?$`));
      expect(oidc.body.userinfo_endpoint).toMatch(new RegExp(`^${env.issuer}(oauth2/)?userinfo$`));
      expect(oidc.body.code_challenge_methods_supported).toContain('S256');
      expect(oidc.body.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));
      expect(oidc.body.prompt_values_supported).toEqual(expect.arrayContaining(['none', 'login', 'consent']));
      expect(oidc.body.id_token_signing_alg_values_supported).toContain('RS256');
    });
  });

  describe('GET and POST /oauth2/authorize (oauth_authorize)', () => {
    it('sends the browser to login and consent, then to the client with a code, its state and iss', async () => {
      const { flow, state, code } = await authorize(rp, { prompt: 'consent', max_age: '300' });
      expect(flow.loginRequest).toMatchObject({ skip: false, requested_scope: ['openid', 'profile', 'email'] });
      expect(flow.consentRequest!.requested_scope).toEqual(['openid', 'profile', 'email']);
      expect(flow.callback.origin + flow.callback.pathname).toBe(REDIRECT);
      expect(flow.params.get('state')).toBe(state);
      expect(flow.params.get('iss')).toBe(env.issuer);
      expect(sorted(flow.params.get('scope') ?? undefined)).toEqual(['email', 'openid', 'profile']);
      expect(code).toEqual(expect.any(String));
    });

    it('answers the first GET with a 302 to the login UI', async () => {
      const { query } = authorizeParams(rp);
      const hop = await new Browser().get(`${pub('/oauth2/authorize')}?${new URLSearchParams(query)}`);
      expect(hop.status).toBe(302);
      expect(`${hop.location!.origin}${hop.location!.pathname}`).toBe(LOGIN_URL);
      expect(hop.location!.searchParams.get('login_challenge')).toEqual(expect.any(String));
    });

    it('takes the same parameters as a form POST, and the code redeems', async () => {
      const browser = new Browser();
      const { query, verifier, state } = authorizeParams(rp);
      const hop = await browser.postForm(pub('/oauth2/authorize'), query);
      expect(hop.status).toBe(302);
      expect(`${hop.location!.origin}${hop.location!.pathname}`).toBe(LOGIN_URL);
      const challenge = hop.location!.searchParams.get('login_challenge')!;
      const afterLogin = await env.driver.decide(browser, { at: 'login', challenge, hop }, loginAs('ada'));
      const afterConsent = await env.driver.decide(browser, afterLogin.next, grantAll());
      if (afterConsent.next.at !== 'client') throw new Error(`the browser is at ${afterConsent.next.at}`);
      expect(afterConsent.next.params.get('state')).toBe(state);
      const redeemed = await redeem(afterConsent.next.params.get('code')!, verifier);
      expect(redeemed.status).toBe(200);
    });

    it('prompt=none without a session sends login_required back to the client with the state', async () => {
      const { flow, state } = await authorize(rp, { prompt: 'none' });
      expect(flow.loginRequest).toBeUndefined();
      expect(flow.params.get('error')).toBe('login_required');
      expect(flow.params.get('state')).toBe(state);
      expect(flow.params.get('code')).toBeNull();
    });

    it('prompt=login asks the login UI again although the browser has a session', async () => {
      const browser = new Browser();
      await authorize(rp, {}, browser, loginAs('ada', true));
      const remembered = await authorize(rp, {}, browser);
      expect(remembered.flow.loginRequest).toMatchObject({ skip: true, subject: 'ada' });
      const forced = await authorize(rp, { prompt: 'login' }, browser);
      expect(forced.flow.loginRequest).toMatchObject({ skip: false });
      expect(forced.code).toEqual(expect.any(String));
    });

    it('refuses an unregistered redirect_uri with an error page, never redirecting there', async () => {
      const { query } = authorizeParams(rp, { redirect_uri: 'https://evil.example/cb' });
      const hop = await new Browser().get(`${pub('/oauth2/authorize')}?${new URLSearchParams(query)}`);
      expect({ status: hop.status, location: hop.location }).toEqual({ status: 400, location: undefined });
    });

    it('makes a public client use PKCE, with S256 only', async () => {
      const spa = await createClient(env.adminUrl, { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', scope: SCOPE });
      for (const params of [{ code_challenge: '', code_challenge_method: '' }, { code_challenge_method: 'plain' }] as Record<string, string>[]) {
        const query = Object.fromEntries(Object.entries(authorizeParams(spa, params).query).filter(([, v]) => v !== ''));
        const landing = await env.driver.visit(new Browser(), `${pub('/oauth2/authorize')}?${new URLSearchParams(query)}`);
        expect(landing.at === 'client' && landing.params.get('error')).toBe('invalid_request');
      }
    });
  });

  describe('POST /oauth2/token (oauth_token)', () => {
    it('exchanges the code (client_secret_post, PKCE) for an access token and an ID token', async () => {
      const { code, verifier, nonce } = await authorize(rp, { max_age: '300' });
      const res = await redeem(code!, verifier);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toContain('no-store');
      expect(res.body).toMatchObject({ access_token: expect.any(String), id_token: expect.any(String), expires_in: expect.any(Number) });
      expect(res.body.token_type.toLowerCase()).toBe('bearer');
      expect(sorted(res.body.scope)).toEqual(['email', 'openid', 'profile']);

      const jwks = (await send(pub('/.well-known/jwks.json'))).body as JSONWebKeySet;
      const { payload } = await jwtVerify(res.body.id_token, createLocalJWKSet(jwks), { issuer: env.issuer, audience: rp.client_id });
      expect(payload).toMatchObject({ sub: 'ada', nonce, email: CLAIMS.email });
      expect(payload.auth_time).toEqual(expect.any(Number));
      expect(jwks.keys.map((k) => k.kid)).toContain(decodeProtectedHeader(res.body.id_token).kid);

      // A code is single use.
      expectError(await redeem(code!, verifier), 400, 'invalid_grant');
    });

    it('answers no id_token without the openid scope', async () => {
      const issued = await tokens('profile email');
      expect(issued.access_token).toEqual(expect.any(String));
      expect(issued).not.toHaveProperty('id_token');
    });

    it('refuses a wrong code_verifier and a wrong client_secret', async () => {
      const first = await authorize(rp);
      expectError(await redeem(first.code!, pkce().verifier), 400, 'invalid_grant');
      const second = await authorize(rp);
      expectError(await redeem(second.code!, second.verifier, { ...rp, client_secret: 'not-the-secret' }), 401, 'invalid_client');
    });

    it('refreshes with refresh_token, rotating it, and answers a new ID token', async () => {
      const first = await tokens(`${SCOPE} offline_access`);
      expect(first.refresh_token).toEqual(expect.any(String));
      const res = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), id_token: expect.any(String) });
      expect(res.body.access_token).not.toBe(first.access_token);
      expect(res.body.refresh_token).not.toBe(first.refresh_token);
      expect((await userinfoGet(res.body.access_token)).body.sub).toBe('ada');
      expectError(await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token }), 400, 'invalid_grant');
    });
  });

  describe('GET and POST /oauth2/userinfo (get_user_info, post_user_info)', () => {
    it('answers sub, email and name when openid, email and profile were granted (GET, POST with bearer or form)', async () => {
      const { access_token } = await tokens();
      const expected = { sub: 'ada', email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace', team: 'engines' };
      const viaGet = await userinfoGet(access_token);
      expect(viaGet.status).toBe(200);
      expect(viaGet.body).toEqual(expected);
      const viaBearerPost = await send(pub('/oauth2/userinfo'), { method: 'POST', headers: bearer(access_token) });
      expect({ status: viaBearerPost.status, body: viaBearerPost.body }).toEqual({ status: 200, body: expected });
      const viaForm = await userinfoPost(access_token);
      expect({ status: viaForm.status, body: viaForm.body }).toEqual({ status: 200, body: expected });
    });

    it('releases email only with email and name only with profile; sub always', async () => {
      const onlyOpenid = (await userinfoGet((await tokens('openid')).access_token)).body;
      expect(onlyOpenid).toEqual({ sub: 'ada', team: 'engines' });
      const withEmail = (await userinfoPost((await tokens('openid email')).access_token)).body;
      expect(withEmail).toEqual({ sub: 'ada', email: 'ada@example.com', email_verified: true, team: 'engines' });
      const withProfile = (await userinfoGet((await tokens('openid profile')).access_token)).body;
      expect(withProfile).toEqual({ sub: 'ada', name: 'Ada Lovelace', team: 'engines' });
    });

    it('answers 403 insufficient_scope without openid, 401 invalid_token with a challenge for a bad or missing token', async () => {
      expectError(await userinfoGet((await tokens('profile email')).access_token), 403, 'insufficient_scope');
      for (const res of [await userinfoGet('not-a-token'), await userinfoPost('not-a-token'), await send(pub('/oauth2/userinfo'))]) {
        expectError(res, 401, 'invalid_token');
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
      }
    });
  });

  describe('POST /oauth2/introspect (oauth_introspect)', () => {
    it('shows an active access token of any client to an authenticated client', async () => {
      const before = Math.floor(Date.now() / 1000);
      const { access_token } = await tokens();
      for (const auth of [{ form: postCredentials(rp) }, { headers: basic(other) }]) {
        const res = await introspect(access_token, auth);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ active: true, client_id: rp.client_id, sub: 'ada', token_type: 'Bearer', token_use: 'access_token' });
        expect(sorted(res.body.scope)).toEqual(['email', 'openid', 'profile']);
        expect(res.body.iat).toBeGreaterThanOrEqual(before - 1);
        expect(res.body.exp).toBeGreaterThan(res.body.iat);
      }
    });

    it("shows a refresh token only to the client that owns it", async () => {
      const { refresh_token } = await tokens(`${SCOPE} offline_access`);
      const own = await introspect(refresh_token, { form: postCredentials(rp) });
      expect(own.body).toMatchObject({ active: true, client_id: rp.client_id, sub: 'ada', token_use: 'refresh_token' });
      const foreign = await introspect(refresh_token, { headers: basic(other) });
      expect({ status: foreign.status, body: foreign.body }).toEqual({ status: 200, body: { active: false } });
    });

    it('answers {active:false} for unknown and revoked tokens', async () => {
      const { access_token } = await tokens();
      expect((await send(pub('/oauth2/revoke'), { form: { token: access_token, ...postCredentials(rp) } })).status).toBe(200);
      for (const t of [access_token, 'unknown-token', `hy_pat_${random()}`]) {
        const res = await introspect(t, { form: postCredentials(rp) });
        expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { active: false } });
      }
    });

    it('answers 401 invalid_client to missing or wrong client credentials, a wrong method or a public client', async () => {
      const { access_token } = await tokens();
      const publicClient = await createClient(env.adminUrl, { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
      for (const auth of [
        {},
        { form: { ...postCredentials(rp), client_secret: 'wrong' } },
        { headers: basic({ ...other, client_secret: 'wrong' }) },
        { headers: basic(rp) },
        { form: { client_id: publicClient.client_id } },
      ]) {
        const res = await introspect(access_token, auth);
        expectError(res, 401, 'invalid_client');
        expect(JSON.stringify(res.body)).not.toContain(access_token);
      }
      expectError(await send(pub('/oauth2/introspect'), { form: postCredentials(rp) }), 400, 'invalid_request');
    });
  });

  describe('POST /oauth2/revoke (oauth_revoke)', () => {
    it('revokes an access token, idempotently, and answers 200 to an unknown token', async () => {
      const { access_token } = await tokens();
      const form = { token: access_token, ...postCredentials(rp) };
      const first = await fetch(pub('/oauth2/revoke'), { method: 'POST', body: new URLSearchParams(form) });
      expect(first.status).toBe(200);
      expect(await first.text()).toBe('');
      expectError(await userinfoGet(access_token), 401, 'invalid_token');
      expect((await adminIntrospect(access_token)).active).toBe(false);
      expect((await send(pub('/oauth2/revoke'), { form })).status).toBe(200);
      expect((await send(pub('/oauth2/revoke'), { form: { ...form, token: 'never-issued' } })).status).toBe(200);
    });

    it('revokes a refresh token together with its access tokens', async () => {
      const issued = await tokens(`${SCOPE} offline_access`);
      expect((await send(pub('/oauth2/revoke'), { form: { token: issued.refresh_token, ...postCredentials(rp) } })).status).toBe(200);
      expect((await introspect(issued.refresh_token, { form: postCredentials(rp) })).body).toEqual({ active: false });
      expect((await introspect(issued.access_token, { form: postCredentials(rp) })).body).toEqual({ active: false });
      expectError(await token({ grant_type: 'refresh_token', refresh_token: issued.refresh_token }), 400, 'invalid_grant');
    });
  });

  describe('POST /oauth2/register (register_o_auth_client)', () => {
    const register = (body: Record<string, unknown>, publicUrl = env.publicUrl) => send(`${publicUrl}/oauth2/register`, { json: body });
    /** Spatio's ClientRegistrationRequest: RFC 7591 field names. */
    const request = (extra: Record<string, unknown> = {}) => ({
      client_name: 'Spatio RP', redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], scope: `${SCOPE} offline_access`, ...extra,
    });

    it('registers a confidential client: client_id, client_secret and a registration_access_token that work', async () => {
      const res = await register(request({ token_endpoint_auth_method: 'client_secret_post' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ client_id: expect.any(String), client_secret: expect.any(String), registration_access_token: expect.any(String) });
      expect(res.body).toMatchObject({ client_name: 'Spatio RP', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'client_secret_post' });
      const registered: Rp = res.body as Rp;
      const introspected = await introspect('unknown', { form: postCredentials(registered) });
      expect({ status: introspected.status, body: introspected.body }).toEqual({ status: 200, body: { active: false } });
      const read = await send(pub(`/oauth2/register/${registered.client_id}`), { headers: bearer(res.body.registration_access_token) });
      expect(read.body).toMatchObject({ client_id: registered.client_id, client_name: 'Spatio RP' });
      // The confidential client runs the documented flow end to end.
      expect(sorted((await tokens(SCOPE, registered)).scope)).toEqual(['email', 'openid', 'profile']);
    });

    it('registers a public client (token_endpoint_auth_method none) without a secret; it redeems with PKCE and client_id', async () => {
      const res = await register(request({ client_name: 'Spatio SPA', token_endpoint_auth_method: 'none' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ client_id: expect.any(String), registration_access_token: expect.any(String), token_endpoint_auth_method: 'none' });
      expect(res.body).not.toHaveProperty('client_secret');
      const spa: Rp = { client_id: res.body.client_id };
      const issued = await tokens(SCOPE, spa);
      expect(issued).toMatchObject({ access_token: expect.any(String), id_token: expect.any(String) });
      expect((await userinfoGet(issued.access_token)).body).toMatchObject({ sub: 'ada', email: 'ada@example.com' });
    });

    it('refuses bad metadata with 400', async () => {
      expectError(await register(request({ redirect_uris: 'https://spatio-rp.example/callback' })), 400, 'invalid_client_metadata');
      expectError(await register(request({ token_endpoint_auth_method: 'magic' })), 400, 'invalid_client_metadata');
    });

    it('allows 10 registrations per hour from one address, then answers 429 (a server of its own)', async () => {
      const fresh = await startFlowServer(REGISTRATION_ENV);
      try {
        for (let i = 0; i < 10; i++) expect((await register(request(), fresh.publicUrl)).status).toBe(201);
        expectError(await register(request(), fresh.publicUrl), 429, 'too_many_requests');
      } finally {
        await fresh.close();
      }
    });
  });

  describe('personal access tokens (admin port), accepted by userinfo and introspection', () => {
    const issue = (body: Json) => send(admin('/admin/personal-access-tokens'), { json: body });
    const list = (subject: string) => send(admin(`/admin/personal-access-tokens?subject=${encodeURIComponent(subject)}`));

    it('issues a PAT once (201, hy_pat_), lists it without the token, and it works as a bearer token of its subject', async () => {
      const subject = `pat-${randomUUID()}`;
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      const created = await issue({ subject, name: 'ci', scope: 'read write', expires_at: expiresAt });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.any(String), token: expect.stringMatching(/^hy_pat_/), subject, name: 'ci', scope: 'read write', expires_at: expiresAt, created_at: expect.any(String) });
      const pat = created.body.token as string;

      const listed = await list(subject);
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual([{ id: created.body.id, subject, name: 'ci', scope: 'read write', expires_at: expiresAt, created_at: created.body.created_at }]);
      expect(JSON.stringify(listed.body)).not.toContain(pat);
      expect((await send(admin('/admin/personal-access-tokens'))).status).toBe(400);

      expect((await userinfoGet(pat)).body).toEqual({ sub: subject });
      expect((await userinfoPost(pat)).body).toEqual({ sub: subject });
      const publicView = await introspect(pat, { form: postCredentials(rp) });
      expect(publicView.body).toMatchObject({ active: true, sub: subject, scope: 'read write', token_use: 'personal_access_token' });
      expect(publicView.body).not.toHaveProperty('client_id');
      expect(await adminIntrospect(pat)).toMatchObject({ active: true, sub: subject, token_use: 'personal_access_token' });
    });

    it('is unknown everywhere once deleted (204, then 404)', async () => {
      const subject = `pat-${randomUUID()}`;
      const created = (await issue({ subject, name: 'laptop', scope: ['read'] })).body;
      expect(created.scope).toBe('read');
      expect((await userinfoGet(created.token)).status).toBe(200);
      const deleted = await fetch(admin(`/admin/personal-access-tokens/${created.id}`), { method: 'DELETE' });
      expect(deleted.status).toBe(204);
      expect((await fetch(admin(`/admin/personal-access-tokens/${created.id}`), { method: 'DELETE' })).status).toBe(404);
      expectError(await userinfoGet(created.token), 401, 'invalid_token');
      expectError(await userinfoPost(created.token), 401, 'invalid_token');
      expect((await introspect(created.token, { headers: basic(other) })).body).toEqual({ active: false });
      expect(await adminIntrospect(created.token)).toEqual({ active: false });
      expect((await list(subject)).body).toEqual([]);
    });

    it('stops working when it expires, and POST /admin/oauth2/flush removes it', async () => {
      const subject = `pat-${randomUUID()}`;
      const expiresAt = Date.now() + 2000;
      const created = (await issue({ subject, expires_at: new Date(expiresAt).toISOString() })).body;
      expect(created.token).toMatch(/^hy_pat_/);
      await sleep(Math.max(0, expiresAt - Date.now()) + 300);
      expectError(await userinfoGet(created.token), 401, 'invalid_token');
      expect((await introspect(created.token, { form: postCredentials(rp) })).body).toEqual({ active: false });
      expect((await list(subject)).body.map((p: Json) => p.id)).toEqual([created.id]);
      expect((await send(admin('/admin/oauth2/flush'), { json: {} })).status).toBe(204);
      expect((await list(subject)).body).toEqual([]);
    });
  });
});

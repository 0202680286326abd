import { createHash, randomUUID } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { Browser, codeRequest, createClient, Decider, FlowServer, grantAll, introspect, startFlowServer, tokenRequest } from './support/browser-flow';

/**
 * The authorization code flow end to end, with a certified relying-party library (`openid-client` v6)
 * as the client and the browser walked through Hydrant's login and consent challenges by the admin API,
 * as a login/consent app drives it: PKCE, ID tokens, userinfo, refresh rotation and theft detection,
 * code replay, remembered sessions and consents, prompt=none, rejections, JWT access tokens.
 */

const REDIRECT = 'https://rp.example/callback';

/** What openid-client rejects a failed call with, reduced to what the tests compare. */
async function failure(call: Promise<unknown>): Promise<{ status: number; error: string }> {
  try {
    await call;
  } catch (e) {
    if (e instanceof client.ResponseBodyError) return { status: e.status, error: e.error };
    if (e instanceof client.WWWAuthenticateChallengeError) return { status: e.status, error: ((await e.response.json()) as { error: string }).error };
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** OIDC Core §3.1.3.6: base64url of the left half of SHA-256 of the access token. */
function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

const scopes = (scope: string | undefined): string[] => (scope ?? '').split(' ').filter(Boolean).sort();

describe('the authorization code flow with openid-client', () => {
  let env: FlowServer;

  beforeAll(async () => {
    env = await startFlowServer();
  });
  afterAll(() => env.close());

  interface RelyingParty {
    id: string;
    secret?: string;
    config: client.Configuration;
    /** Every response openid-client received from the token endpoint, newest last. */
    tokenResponses: { status: number; cacheControl: string | null }[];
  }

  /** A client registered for the code flow and an openid-client Configuration from discovery. */
  async function relyingParty(body: Record<string, unknown> = {}): Promise<RelyingParty> {
    const created = await createClient(env.adminUrl, {
      client_id: `rp-${randomUUID()}`,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid offline_access email profile',
      redirect_uris: [REDIRECT],
      ...body,
    });
    const isPublic = created.token_endpoint_auth_method === 'none';
    const config = await client.discovery(
      new URL(env.issuer),
      created.client_id,
      isPublic ? undefined : created.client_secret,
      isPublic ? client.None() : client.ClientSecretBasic(created.client_secret!),
      { execute: [client.allowInsecureRequests] },
    );
    const tokenResponses: RelyingParty['tokenResponses'] = [];
    config[client.customFetch] = async (url, options) => {
      const res = await fetch(url, options as RequestInit);
      if (new URL(url).pathname === '/oauth2/token') tokenResponses.push({ status: res.status, cacheControl: res.headers.get('cache-control') });
      return res;
    };
    return { id: created.client_id, secret: created.client_secret, config, tokenResponses };
  }

  interface Authorization {
    url: URL;
    verifier: string;
    state: string;
    nonce: string;
  }

  async function authorization(rp: RelyingParty, params: Record<string, string> = {}): Promise<Authorization> {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(rp.config, {
      redirect_uri: REDIRECT,
      scope: 'openid offline_access email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...params,
    });
    return { url, verifier, state, nonce };
  }

  const loginAs = (subject: string, extra: Record<string, unknown> = {}): Decider => ({ accept: { subject, ...extra } });

  /** One whole flow in `browser`, then the code redeemed by openid-client (which checks state, iss, nonce). */
  async function codeFlow(
    rp: RelyingParty,
    options: { browser?: Browser; params?: Record<string, string>; login?: Decider; consent?: Decider } = {},
  ) {
    const browser = options.browser ?? new Browser();
    const auth = await authorization(rp, options.params);
    const flow = await env.driver.run(browser, auth.url, { login: options.login ?? loginAs('alice'), consent: options.consent });
    expect(flow.params.get('error')).toBeNull();
    const openid = scopes(auth.url.searchParams.get('scope') ?? undefined).includes('openid');
    const tokens = await client.authorizationCodeGrant(rp.config, flow.callback, {
      pkceCodeVerifier: auth.verifier,
      expectedState: auth.state,
      ...(openid ? { expectedNonce: auth.nonce } : {}),
    });
    return { browser, auth, flow, tokens };
  }

  it('runs the whole flow for a confidential client (client_secret_basic) with PKCE', async () => {
    const rp = await relyingParty();
    const before = Math.floor(Date.now() / 1000);
    const { auth, flow, tokens } = await codeFlow(rp, {
      login: loginAs('alice', { acr: 'urn:hydrant:loa:2', amr: ['pwd', 'otp'] }),
      consent: grantAll({ session: { id_token: { department: 'sales', email: 'alice@example.com' }, access_token: { tier: 'gold' } } }),
    });

    // The login app saw a fresh request of this client.
    expect(flow.loginRequest).toMatchObject({ skip: false, subject: '', requested_scope: ['openid', 'offline_access', 'email'] });
    expect((flow.loginRequest!.client as { client_id: string }).client_id).toBe(rp.id);
    // The authorization response (RFC 6749 §4.1.2, RFC 9207).
    expect(flow.callback.origin + flow.callback.pathname).toBe(REDIRECT);
    expect(flow.params.get('state')).toBe(auth.state);
    expect(flow.params.get('iss')).toBe(env.issuer);
    expect(scopes(flow.params.get('scope') ?? undefined)).toEqual(['email', 'offline_access', 'openid']);
    expect(flow.params.get('code')).toEqual(expect.any(String));

    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(scopes(tokens.scope)).toEqual(['email', 'offline_access', 'openid']);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(rp.tokenResponses.at(-1)).toEqual({ status: 200, cacheControl: expect.stringContaining('no-store') });

    // The ID token: openid-client checked iss, aud, exp, iat and nonce; the rest is checked here.
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: env.issuer, sub: 'alice', aud: [rp.id], nonce: auth.nonce, acr: 'urn:hydrant:loa:2', amr: ['pwd', 'otp'], department: 'sales', email: 'alice@example.com' });
    expect(claims.at_hash).toBe(atHash(tokens.access_token));
    expect(claims.sid).toEqual(expect.any(String));
    expect(claims.sid).toBe(flow.consentRequest!.login_session_id);
    expect(claims.auth_time).toBeGreaterThanOrEqual(before - 1);
    expect(claims.auth_time).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 1);
    // ...and signed with a key of the published JWKS (RS256, with its kid).
    const header = decodeProtectedHeader(tokens.id_token!);
    expect(header).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    const jwks = createRemoteJWKSet(new URL(rp.config.serverMetadata().jwks_uri!));
    await expect(jwtVerify(tokens.id_token!, jwks, { issuer: env.issuer, audience: rp.id })).resolves.toBeDefined();

    // The access token is the consent's: subject, scope, the session's access_token claims in `ext`.
    expect(await introspect(env.adminUrl, tokens.access_token)).toMatchObject({
      active: true,
      sub: 'alice',
      client_id: rp.id,
      token_use: 'access_token',
      ext: { tier: 'gold' },
    });
    expect(await introspect(env.adminUrl, tokens.refresh_token!)).toMatchObject({ active: true, sub: 'alice', client_id: rp.id, token_use: 'refresh_token' });
  });

  it('runs the whole flow for a public client (token_endpoint_auth_method none) with PKCE', async () => {
    const rp = await relyingParty({ token_endpoint_auth_method: 'none' });
    expect(rp.secret).toBeUndefined();
    const { auth, tokens } = await codeFlow(rp);
    expect(tokens.claims()).toMatchObject({ sub: 'alice', aud: [rp.id], nonce: auth.nonce });
    expect(tokens.claims()!.at_hash).toBe(atHash(tokens.access_token));
    expect(await introspect(env.adminUrl, tokens.access_token)).toMatchObject({ active: true, client_id: rp.id, sub: 'alice' });

    // A public client refreshes without a secret too, and gets a new refresh token.
    const refreshed = await client.refreshTokenGrant(rp.config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
  });

  it('answers userinfo with the subject and the consent\'s claims, standard claims only for their scope', async () => {
    const rp = await relyingParty();
    const idTokenClaims = { email: 'bob@example.com', email_verified: true, name: 'Bob Builder', favourite_colour: 'teal' };
    const withEmail = await codeFlow(rp, { login: loginAs('bob'), consent: grantAll({ session: { id_token: idTokenClaims } }) });
    const info = await client.fetchUserInfo(rp.config, withEmail.tokens.access_token, 'bob');
    expect(info).toMatchObject({ sub: 'bob', email: 'bob@example.com', email_verified: true, favourite_colour: 'teal' });
    // `profile` was not granted.
    expect(info.name).toBeUndefined();

    const withoutEmail = await codeFlow(rp, { login: loginAs('bob'), params: { scope: 'openid' }, consent: grantAll({ session: { id_token: idTokenClaims } }) });
    const narrow = await client.fetchUserInfo(rp.config, withoutEmail.tokens.access_token, 'bob');
    expect(narrow).toMatchObject({ sub: 'bob', favourite_colour: 'teal' });
    expect(narrow.email).toBeUndefined();
    expect(narrow.email_verified).toBeUndefined();
    expect(narrow.name).toBeUndefined();

    // RFC 6750: a bad token is a 401 with a Bearer challenge; POST takes the token in the body.
    const userinfo = `${env.publicUrl}/userinfo`;
    const bad = await fetch(userinfo, { headers: { authorization: 'Bearer hy_at_garbage.garbage' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    const posted = await fetch(userinfo, { method: 'POST', body: new URLSearchParams({ access_token: withEmail.tokens.access_token }) });
    expect(posted.status).toBe(200);
    expect(await posted.json()).toMatchObject({ sub: 'bob', email: 'bob@example.com' });

    // A token without `openid` is not for userinfo: 403 insufficient_scope.
    const noOpenid = await codeFlow(rp, { login: loginAs('bob'), params: { scope: 'email' } });
    const refused = await fetch(userinfo, { headers: { authorization: `Bearer ${noOpenid.tokens.access_token}` } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate') ?? JSON.stringify(await refused.json())).toMatch(/insufficient_scope/);
  });

  it('rotates refresh tokens, and a rotated one presented again revokes the whole chain', async () => {
    const rp = await relyingParty();
    const { tokens: first } = await codeFlow(rp);
    const second = await client.refreshTokenGrant(rp.config, first.refresh_token!);
    const third = await client.refreshTokenGrant(rp.config, second.refresh_token!);
    const refreshTokens = [first.refresh_token, second.refresh_token, third.refresh_token];
    expect(new Set(refreshTokens).size).toBe(3);
    expect(new Set([first.access_token, second.access_token, third.access_token]).size).toBe(3);
    expect(rp.tokenResponses.every((r) => r.cacheControl?.includes('no-store'))).toBe(true);
    // A refresh answers a fresh ID token for the same subject.
    expect(third.claims()).toMatchObject({ sub: 'alice', aud: [rp.id] });
    expect((await introspect(env.adminUrl, third.access_token)).active).toBe(true);
    expect((await introspect(env.adminUrl, first.refresh_token!)).active).toBe(false);
    // A refresh retires what the grant issued before (Hydra, grace period 0): the replaced access tokens too,
    // at introspection and at userinfo.
    for (const replaced of [first.access_token, second.access_token, second.refresh_token!]) {
      expect((await introspect(env.adminUrl, replaced)).active).toBe(false);
    }
    const replacedAtUserinfo = await fetch(`${env.publicUrl}/userinfo`, { headers: { authorization: `Bearer ${second.access_token}` } });
    expect(replacedAtUserinfo.status).toBe(401);
    expect((await fetch(`${env.publicUrl}/userinfo`, { headers: { authorization: `Bearer ${third.access_token}` } })).status).toBe(200);

    // The first refresh token again: refused, and everything of that grant stops working.
    expect(await failure(client.refreshTokenGrant(rp.config, first.refresh_token!))).toEqual({ status: 400, error: 'invalid_grant' });
    expect((await introspect(env.adminUrl, third.access_token)).active).toBe(false);
    expect((await introspect(env.adminUrl, third.refresh_token!)).active).toBe(false);
    expect(await failure(client.refreshTokenGrant(rp.config, third.refresh_token!))).toEqual({ status: 400, error: 'invalid_grant' });

    // Another grant of the same client and user is untouched.
    const { tokens: other } = await codeFlow(rp);
    expect((await introspect(env.adminUrl, other.access_token)).active).toBe(true);
  });

  it('narrows the scope on refresh and refuses to widen it', async () => {
    const rp = await relyingParty();
    const { tokens } = await codeFlow(rp);
    expect(await failure(client.refreshTokenGrant(rp.config, tokens.refresh_token!, { scope: 'openid offline_access email profile' }))).toEqual({
      status: 400,
      error: 'invalid_scope',
    });
    // The refused attempt did not use the refresh token up.
    const narrowed = await client.refreshTokenGrant(rp.config, tokens.refresh_token!, { scope: 'openid offline_access' });
    expect(scopes(narrowed.scope)).toEqual(['offline_access', 'openid']);
    const info = await introspect(env.adminUrl, narrowed.access_token);
    expect(scopes(info.scope as string)).toEqual(['offline_access', 'openid']);
  });

  it('refuses a code redeemed twice and revokes what the first redemption issued', async () => {
    const rp = await relyingParty();
    const auth = await authorization(rp);
    const flow = await env.driver.run(new Browser(), auth.url, { login: loginAs('carol') });
    const redeem = () =>
      tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code: flow.params.get('code')!, redirect_uri: REDIRECT, code_verifier: auth.verifier }, { id: rp.id, secret: rp.secret! });

    const first = await redeem();
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toContain('no-store');
    expect(first.body).toMatchObject({ token_type: 'bearer', access_token: expect.any(String), refresh_token: expect.any(String), id_token: expect.any(String) });
    expect((await introspect(env.adminUrl, first.body.access_token)).active).toBe(true);

    const second = await redeem();
    expect(second.status).toBe(400);
    expect(second.body.error).toBe('invalid_grant');
    expect(second.headers.get('cache-control')).toContain('no-store');
    expect((await introspect(env.adminUrl, first.body.access_token)).active).toBe(false);
    expect((await introspect(env.adminUrl, first.body.refresh_token)).active).toBe(false);
  });

  it('refuses a wrong or missing code_verifier', async () => {
    const rp = await relyingParty();
    const auth = await authorization(rp);
    const flow = await env.driver.run(new Browser(), auth.url, { login: loginAs('dave') });
    const code = flow.params.get('code')!;
    const basic = { id: rp.id, secret: rp.secret! };

    const wrong = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: client.randomPKCECodeVerifier() }, basic);
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const missing = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, basic);
    expect(missing.status).toBe(400);
    expect(['invalid_grant', 'invalid_request']).toContain(missing.body.error);
    // openid-client with a verifier of another authorization.
    const other = await authorization(rp);
    expect(await failure(client.authorizationCodeGrant(rp.config, flow.callback, { pkceCodeVerifier: other.verifier, expectedState: auth.state }))).toEqual({
      status: 400,
      error: 'invalid_grant',
    });
  });

  it('refuses a redirect_uri at the token endpoint other than the authorization request\'s', async () => {
    const rp = await relyingParty({ redirect_uris: [REDIRECT, 'https://rp.example/other'] });
    const auth = await authorization(rp);
    const flow = await env.driver.run(new Browser(), auth.url, { login: loginAs('erin') });
    const basic = { id: rp.id, secret: rp.secret! };
    for (const redirectUri of ['https://rp.example/other', 'https://evil.example/callback', `${REDIRECT}/`]) {
      const res = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code: flow.params.get('code')!, redirect_uri: redirectUri, code_verifier: auth.verifier }, basic);
      expect({ redirectUri, status: res.status, error: res.body.error }).toEqual({ redirectUri, status: 400, error: 'invalid_grant' });
    }
  });

  it('refuses a code presented by another client', async () => {
    const rp = await relyingParty();
    const thief = await relyingParty();
    const auth = await authorization(rp);
    const flow = await env.driver.run(new Browser(), auth.url, { login: loginAs('frank') });
    const res = await tokenRequest(
      env.publicUrl,
      { grant_type: 'authorization_code', code: flow.params.get('code')!, redirect_uri: REDIRECT, code_verifier: auth.verifier },
      { id: thief.id, secret: thief.secret! },
    );
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(res.body.access_token).toBeUndefined();
  });

  it('answers prompt=none with login_required, then consent_required, then a code once both are remembered', async () => {
    const rp = await relyingParty();
    const browser = new Browser();

    // No session in this browser: the client hears login_required at once, no login app involved.
    const silent = await authorization(rp, { prompt: 'none' });
    const noSession = await env.driver.run(browser, silent.url);
    expect(noSession.loginRequest).toBeUndefined();
    expect(noSession.params.get('error')).toBe('login_required');
    expect(noSession.params.get('state')).toBe(silent.state);
    expect(noSession.params.get('iss')).toBe(env.issuer);

    // Logged in and remembered, consent not remembered.
    await codeFlow(rp, { browser, login: loginAs('grace', { remember: true, remember_for: 3600 }) });
    const again = await authorization(rp, { prompt: 'none' });
    const noConsent = await env.driver.run(browser, again.url, {
      login: (request) => {
        expect(request).toMatchObject({ skip: true, subject: 'grace' });
        return { accept: { subject: 'grace' } };
      },
    });
    expect(noConsent.consentRequest).toBeUndefined();
    expect(noConsent.params.get('error')).toBe('consent_required');
    expect(noConsent.params.get('state')).toBe(again.state);

    // Consent remembered too: prompt=none now ends with a code (the apps still accept the skipped requests).
    await codeFlow(rp, { browser, login: loginAs('grace'), consent: grantAll({ remember: true, remember_for: 3600 }) });
    const { flow, tokens } = await codeFlow(rp, { browser, params: { prompt: 'none' }, login: loginAs('grace') });
    expect(flow.loginRequest?.skip).toBe(true);
    expect(flow.consentRequest?.skip).toBe(true);
    expect(tokens.claims()?.sub).toBe('grace');
  });

  it('remembers a login and a consent in the browser that gave them, and only there', async () => {
    const rp = await relyingParty();
    const browser = new Browser();
    const first = await codeFlow(rp, {
      browser,
      login: loginAs('heidi', { remember: true, remember_for: 3600 }),
      consent: grantAll({ remember: true, remember_for: 3600 }),
    });
    const session = browser.jar.get('hydrant_authentication_session');
    expect(session).toMatchObject({ httpOnly: true });

    const second = await codeFlow(rp, { browser, login: loginAs('heidi') });
    expect(second.flow.loginRequest).toMatchObject({ skip: true, subject: 'heidi', session_id: first.tokens.claims()!.sid });
    expect(second.flow.consentRequest).toMatchObject({ skip: true, subject: 'heidi' });
    expect(second.tokens.claims()).toMatchObject({ sub: 'heidi', sid: first.tokens.claims()!.sid });
    // The remembered authentication keeps its time.
    expect(second.tokens.claims()!.auth_time).toBe(first.tokens.claims()!.auth_time);

    // A wider request is not covered by the remembered consent.
    const wider = await codeFlow(rp, { browser, login: loginAs('heidi'), params: { scope: 'openid offline_access email profile' } });
    expect(wider.flow.consentRequest?.skip).toBe(false);

    // prompt=login forces a new login even with a session.
    const forced = await codeFlow(rp, { browser, login: loginAs('heidi'), params: { prompt: 'login' } });
    expect(forced.flow.loginRequest?.skip).toBe(false);

    // Another browser knows nothing.
    const stranger = await codeFlow(rp, { login: loginAs('heidi') });
    expect(stranger.flow.loginRequest).toMatchObject({ skip: false, subject: '' });
  });

  it('forces a new login when max_age has passed since the remembered authentication', async () => {
    const rp = await relyingParty();
    const browser = new Browser();
    const first = await codeFlow(rp, { browser, login: loginAs('ken', { remember: true, remember_for: 3600 }) });
    // Within max_age the session is used as is.
    const within = await codeFlow(rp, { browser, login: loginAs('ken'), params: { max_age: '3600' } });
    expect(within.flow.loginRequest).toMatchObject({ skip: true, subject: 'ken' });
    expect(within.tokens.claims()!.auth_time).toBe(first.tokens.claims()!.auth_time);

    await new Promise((resolve) => setTimeout(resolve, 2100));
    const auth = await authorization(rp, { max_age: '1' });
    const flow = await env.driver.run(browser, auth.url, { login: loginAs('ken') });
    expect(flow.loginRequest).toMatchObject({ skip: false });
    // openid-client checks auth_time against max_age (OIDC Core §3.1.2.1: auth_time is then required).
    const tokens = await client.authorizationCodeGrant(rp.config, flow.callback, { pkceCodeVerifier: auth.verifier, expectedState: auth.state, expectedNonce: auth.nonce, maxAge: 1 });
    expect(tokens.claims()!.auth_time).toBeGreaterThan(first.tokens.claims()!.auth_time as number);
  });

  it('ends a rejected login and a rejected consent at the client with the error', async () => {
    const rp = await relyingParty();
    const auth = await authorization(rp);
    const login = await env.driver.run(new Browser(), auth.url, {
      login: { reject: { error: 'access_denied', error_description: 'The resource owner declined to sign in' } },
    });
    expect(login.callback.origin + login.callback.pathname).toBe(REDIRECT);
    expect(login.params.get('error')).toBe('access_denied');
    expect(login.params.get('error_description')).toContain('declined to sign in');
    expect(login.params.get('state')).toBe(auth.state);
    expect(login.params.get('iss')).toBe(env.issuer);
    expect(login.params.get('code')).toBeNull();
    expect(login.consentRequest).toBeUndefined();

    const again = await authorization(rp);
    const consent = await env.driver.run(new Browser(), again.url, {
      login: loginAs('ivan'),
      consent: { reject: { error: 'access_denied', error_description: 'The user did not allow it' } },
    });
    expect(consent.params.get('error')).toBe('access_denied');
    expect(consent.params.get('error_description')).toContain('did not allow it');
    expect(consent.params.get('state')).toBe(again.state);
    expect(consent.params.get('iss')).toBe(env.issuer);
    expect(consent.params.get('code')).toBeNull();

    // A reject without a body still ends with an error at the client (access_denied by default).
    const bare = await env.driver.run(new Browser(), (await authorization(rp)).url, { login: { reject: {} } });
    expect(bare.params.get('error')).toBe('access_denied');
    expect(bare.params.get('code')).toBeNull();
  });

  it('issues JWT access tokens (RFC 9068) through the code flow, with the consent\'s claims in ext', async () => {
    const rp = await relyingParty({ access_token_strategy: 'jwt', audience: ['https://api.example.com'] });
    const { tokens } = await codeFlow(rp, {
      login: loginAs('judy'),
      params: { audience: 'https://api.example.com' },
      consent: grantAll({ session: { access_token: { department: 'research' } } }),
    });
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ typ: 'at+jwt', alg: 'RS256' });
    const jwks = createRemoteJWKSet(new URL(rp.config.serverMetadata().jwks_uri!));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: env.issuer, typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: 'judy', client_id: rp.id, aud: ['https://api.example.com'], ext: { department: 'research' } });
    expect(scopes(payload.scope as string)).toEqual(['email', 'offline_access', 'openid']);
    expect(tokens.claims()!.at_hash).toBe(atHash(tokens.access_token));
    expect(await introspect(env.adminUrl, tokens.access_token)).toMatchObject({ active: true, sub: 'judy', ext: { department: 'research' } });

    // The refreshed access token is a JWT with the same claims.
    const refreshed = await client.refreshTokenGrant(rp.config, tokens.refresh_token!);
    expect(decodeJwt(refreshed.access_token)).toMatchObject({ sub: 'judy', ext: { department: 'research' } });
  });
});

describe('refresh within OAUTH2_REFRESH_TOKEN_ROTATION_GRACE_PERIOD (2 s here)', () => {
  let env: FlowServer;

  beforeAll(async () => {
    env = await startFlowServer({ OAUTH2_REFRESH_TOKEN_ROTATION_GRACE_PERIOD: '2s' });
  });
  afterAll(() => env.close());

  it('lets the replaced tokens live on until the grace period ends, as Hydra documents, then retires them', async () => {
    const created = await createClient(env.adminUrl, {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid offline_access',
      redirect_uris: [REDIRECT],
    });
    const basic = { id: created.client_id, secret: created.client_secret! };
    const { url, verifier } = codeRequest(env.publicUrl, basic.id, REDIRECT, { scope: 'openid offline_access' });
    const flow = await env.driver.run(new Browser(), url, { login: { accept: { subject: 'grace' } } });
    const code = flow.params.get('code')!;
    const first = (await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }, basic)).body;
    const refreshed = await tokenRequest(env.publicUrl, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, basic);
    expect(refreshed.status).toBe(200);

    // Within the period the replaced access token still works, and a retry with the spent refresh token is answered.
    expect((await introspect(env.adminUrl, first.access_token)).active).toBe(true);
    const retried = await tokenRequest(env.publicUrl, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, basic);
    expect(retried.status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 2500));
    for (const replaced of [first.access_token, refreshed.body.access_token, refreshed.body.refresh_token]) {
      expect((await introspect(env.adminUrl, replaced)).active).toBe(false);
    }
    expect((await fetch(`${env.publicUrl}/userinfo`, { headers: { authorization: `Bearer ${first.access_token}` } })).status).toBe(401);
    // The newest pair lives its full lifetime.
    expect((await introspect(env.adminUrl, retried.body.access_token)).active).toBe(true);
    expect((await tokenRequest(env.publicUrl, { grant_type: 'refresh_token', refresh_token: retried.body.refresh_token }, basic)).status).toBe(200);
  });
});

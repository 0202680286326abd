import { csrfCookieName, SESSION_COOKIE } from '../../flows/flow-cookies';
import { hashSecret } from '../../flows/flow-credentials';
import { LoginSession } from '../../flows/login-session.model';
import { flowHarness, FlowHarness, SpecBrowser } from '../../testing/flow-harness';
import { oauthError, queryOf, specClient } from '../../testing/flow-spec.fixtures';
import { UntrustedAuthorizeRequest } from './authorize-target';

const REDIRECT = 'https://rp.example/cb';
const REQUEST = { client_id: 'rp', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 'state-1', nonce: 'nonce-1' };
const HOUR = 3600_000;

let h: FlowHarness;
let browser: SpecBrowser;

beforeEach(async () => {
  h = await flowHarness();
  await h.addClient(specClient('rp', { redirect_uris: [REDIRECT, 'https://rp.example/other?x=1'] }));
  await h.addClient(specClient('single', { redirect_uris: ['https://single.example/cb'] }));
  browser = new SpecBrowser(h.authorize, h.config);
});

/** The error that must not be redirected; fails when the request was trusted. */
async function untrusted(params: Record<string, unknown>) {
  const thrown = await h.authorize.trust(params).then(
    () => null,
    (e: unknown) => e,
  );
  expect(thrown).toBeInstanceOf(UntrustedAuthorizeRequest);
  return (thrown as UntrustedAuthorizeRequest).error;
}

/** A login session remembered in `browser`, authenticated `ageMs` ago. */
async function rememberedSession(ageMs = 0, overrides: Partial<LoginSession> = {}): Promise<LoginSession> {
  const session: LoginSession = {
    id: 'session-alice-0001', subject: 'alice', authenticatedAt: new Date(Date.now() - ageMs), remember: true,
    expiresAt: new Date(Date.now() + HOUR), identityProviderSessionId: '', ...overrides,
  };
  await h.stores.loginSessions.insert(session);
  browser.cookies[SESSION_COOKIE] = session.id;
  return session;
}

const idToken = (subject: string, clientId = 'rp') =>
  h.idTokens.sign({ subject, clientId, issuedAt: new Date(), expiresAt: new Date(Date.now() + HOUR), authTime: Math.floor(Date.now() / 1000), extra: {} });

const loginChallengeOf = (location: string) => queryOf(location).login_challenge;

describe('the target of an authorization response (RFC 6749 §3.1.2.3, §4.1.2.1)', () => {
  it('refuses an unknown, missing or repeated client_id without redirecting', async () => {
    expect((await untrusted({ ...REQUEST, client_id: 'nobody' })).error).toBe('invalid_client');
    expect((await untrusted({ redirect_uri: REDIRECT })).error).toBe('invalid_request');
    expect((await untrusted({ client_id: ['rp', 'rp'], redirect_uri: REDIRECT })).error).toBe('invalid_request');
  });

  it('compares redirect_uri as an exact string: no prefix, case, slash, query or fragment variant is trusted', async () => {
    const variants = [
      'https://rp.example/cb/', 'https://RP.example/cb', 'https://rp.example/CB', 'https://rp.example/cb?x=1', 'https://rp.example/cb#f',
      'https://rp.example/c', 'http://rp.example/cb', 'https://rp.example:443/cb', 'https://rp.example/other', 'https://rp.example/cb%2F..',
    ];
    for (const redirect_uri of variants) {
      expect((await untrusted({ ...REQUEST, redirect_uri })).hint).toContain('does not match');
    }
    expect((await h.authorize.trust({ ...REQUEST, redirect_uri: 'https://rp.example/other?x=1' })).redirectUri).toBe('https://rp.example/other?x=1');
  });

  it('uses the one registered URI when redirect_uri is left out, and refuses to guess among several', async () => {
    expect(await h.authorize.trust({ client_id: 'single' })).toMatchObject({ redirectUri: 'https://single.example/cb', redirectUriGiven: false });
    expect(await h.authorize.trust({ client_id: 'single', redirect_uri: '' })).toMatchObject({ redirectUriGiven: false });
    expect((await untrusted({ client_id: 'rp' })).hint).toContain('required');
  });

  it('refuses an oversized parameter before anything else, without redirecting', async () => {
    expect((await untrusted({ ...REQUEST, state: 's'.repeat(2049) })).hint).toContain('"state"');
    expect((await untrusted({ ...REQUEST, client_id: 'nobody', nonce: 'n'.repeat(513) })).error).toBe('invalid_request');
    expect(await h.authorize.trust({ ...REQUEST, state: 's'.repeat(2048) })).toMatchObject({ state: 's'.repeat(2048) });
  });
});

describe('errors once the target is trusted', () => {
  it('go to the validated redirect URI with error, state and iss (RFC 9207), as a 303, and store no flow', async () => {
    const outcome = await browser.authorize({ ...REQUEST, scope: 'openid admin' });
    expect(outcome.status).toBe(303);
    expect(outcome.location.startsWith(`${REDIRECT}?`)).toBe(true);
    expect(queryOf(outcome.location)).toMatchObject({ error: 'invalid_scope', state: 'state-1', iss: 'https://issuer.example/' });
    expect(h.stores.flows.all()).toEqual([]);
  });

  it('keep the query of a registered redirect URI', async () => {
    const outcome = await browser.authorize({ ...REQUEST, redirect_uri: 'https://rp.example/other?x=1', response_type: 'token' });
    expect(outcome.location.startsWith('https://rp.example/other?x=1&error=unsupported_response_type')).toBe(true);
  });

  it('cover a repeated parameter', async () => {
    const target = await h.authorize.trust(REQUEST);
    const outcome = await h.authorize.authorize(target, { ...REQUEST, scope: ['openid', 'email'] }, {}, 'https://issuer.example/oauth2/auth');
    expect(queryOf(outcome.location)).toMatchObject({ error: 'invalid_request', state: 'state-1' });
  });

  it('answer PKCE refusals for a public client', async () => {
    await h.addClient(specClient('spa', { token_endpoint_auth_method: 'none', redirect_uris: ['https://spa.example/cb'] }));
    const without = await browser.authorize({ client_id: 'spa', response_type: 'code', state: 's' });
    expect(queryOf(without.location)).toMatchObject({ error: 'invalid_request', error_hint: expect.stringContaining('PKCE') });
    const plain = await browser.authorize({ client_id: 'spa', response_type: 'code', code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' });
    expect(queryOf(plain.location).error_hint).toContain('S256');
  });
});

describe('a new authorization request', () => {
  it('is stored as a flow bound to this browser, carrying state and nonce, and handed to the login app', async () => {
    const outcome = await browser.authorize(REQUEST);
    expect(outcome.status).toBe(302);
    const id = loginChallengeOf(outcome.location);
    expect(outcome.location).toBe(`${h.config.urlsLogin}?login_challenge=${id}`);
    const flow = (await h.stores.flows.findById(id))!;
    expect(flow).toMatchObject({ state: 'login_initialized', clientId: 'rp', subject: null });
    expect(flow.request).toMatchObject({ state: 'state-1', nonce: 'nonce-1', redirectUri: REDIRECT, redirectUriGiven: true, scopes: ['openid'] });
    expect(flow.request.requestUrl).toContain('nonce=nonce-1');
    expect(flow.expiresAt.getTime() - flow.requestedAt.getTime()).toBe(h.config.ttlLoginConsentRequest);
    const csrf = outcome.cookies.find((c) => c.name === csrfCookieName(id))!;
    expect(csrf.maxAgeMs).toBe(h.config.ttlLoginConsentRequest);
    // The row keeps only the hash of the cookie's value.
    expect(flow.csrf).toBe(hashSecret(csrf.value!));
    expect(flow.csrf).not.toBe(csrf.value);
  });

  it('names the remembered session\'s subject, so that the login request is skipped', async () => {
    const session = await rememberedSession();
    const flow = (await h.stores.flows.findById(loginChallengeOf((await browser.authorize(REQUEST)).location)))!;
    expect(flow).toMatchObject({ subject: 'alice', loginSessionId: session.id });
    expect(await h.logins.get(flow.id)).toMatchObject({ skip: true, subject: 'alice', session_id: session.id });
  });

  it('ignores a session that was not remembered, has expired, or is unknown', async () => {
    for (const [i, overrides] of [{ remember: false }, { expiresAt: new Date(Date.now() - 1000) }].entries()) {
      await rememberedSession(0, { id: `session-${i}-000000000`, ...overrides });
      const flow = (await h.stores.flows.findById(loginChallengeOf((await browser.authorize(REQUEST)).location)))!;
      expect(flow.subject).toBeNull();
    }
    browser.cookies[SESSION_COOKIE] = 'no-such-session';
    expect((await h.stores.flows.findById(loginChallengeOf((await browser.authorize(REQUEST)).location)))!.subject).toBeNull();
  });
});

describe('prompt, max_age and id_token_hint (OIDC Core §3.1.2.1)', () => {
  it('answers login_required to prompt=none without a usable session, redirected with the state', async () => {
    const outcome = await browser.authorize({ ...REQUEST, prompt: 'none' });
    expect(queryOf(outcome.location)).toMatchObject({ error: 'login_required', state: 'state-1' });
    await rememberedSession(0, { remember: false });
    expect(queryOf((await browser.authorize({ ...REQUEST, prompt: 'none' })).location).error).toBe('login_required');
    expect(h.stores.flows.all()).toEqual([]);
  });

  it('lets prompt=none through to the login app with a remembered session', async () => {
    await rememberedSession();
    const outcome = await browser.authorize({ ...REQUEST, prompt: 'none' });
    expect(outcome.location.startsWith(h.config.urlsLogin)).toBe(true);
  });

  it('asks for a fresh login with prompt=login, whatever is remembered', async () => {
    await rememberedSession();
    const flow = (await h.stores.flows.findById(loginChallengeOf((await browser.authorize({ ...REQUEST, prompt: 'login' })).location)))!;
    expect(flow.subject).toBeNull();
  });

  it('does not reuse a session authenticated longer ago than max_age', async () => {
    await rememberedSession(2 * HOUR);
    const stale = (await h.stores.flows.findById(loginChallengeOf((await browser.authorize({ ...REQUEST, max_age: '3600' })).location)))!;
    expect(stale.subject).toBeNull();
    expect(stale.request.maxAge).toBe(3600);
    expect(queryOf((await browser.authorize({ ...REQUEST, max_age: '3600', prompt: 'none' })).location).error).toBe('login_required');
    const fresh = (await h.stores.flows.findById(loginChallengeOf((await browser.authorize({ ...REQUEST, max_age: '10800' })).location)))!;
    expect(fresh.subject).toBe('alice');
  });

  it('keeps the claims of a valid id_token_hint, and the login app cannot accept another subject', async () => {
    const outcome = await browser.authorize({ ...REQUEST, id_token_hint: await idToken('alice') });
    const challenge = loginChallengeOf(outcome.location);
    expect((await h.stores.flows.findById(challenge))!.request.idTokenHintClaims).toMatchObject({ sub: 'alice', aud: ['rp'] });
    expect((await oauthError(h.logins.accept(challenge, { subject: 'mallory' }))).hint).toContain('id_token_hint');
    expect((await h.logins.accept(challenge, { subject: 'alice' })).alreadyHandled).toBe(false);
  });

  it('refuses an id_token_hint that is not an ID token of this server for this client', async () => {
    const forged = (await idToken('alice')).replace(/\.[^.]+$/, '.AAAA');
    for (const hint of ['not-a-jwt', forged, await idToken('alice', 'another-client')]) {
      const outcome = await browser.authorize({ ...REQUEST, id_token_hint: hint });
      expect(queryOf(outcome.location)).toMatchObject({ error: 'invalid_request', error_hint: expect.stringContaining('id_token_hint'), state: 'state-1' });
    }
  });

  it('answers login_required to prompt=none when the remembered user is not the hint\'s subject', async () => {
    await rememberedSession();
    const outcome = await browser.authorize({ ...REQUEST, prompt: 'none', id_token_hint: await idToken('bob') });
    expect(queryOf(outcome.location)).toMatchObject({ error: 'login_required', error_hint: expect.stringContaining('id_token_hint') });
  });
});

import { createLogger } from '../../logging/logger';
import { SESSION_COOKIE } from '../../flows/flow-cookies';
import { OutboundHttpClient } from '../../http/outbound/outbound-http.client';
import { LogoutNotifier } from '../../oidc/logout-notifier';
import { flowHarness, FlowHarness, SpecBrowser } from '../../testing/flow-harness';
import { oauthError, queryOf, specClient } from '../../testing/flow-spec.fixtures';
import { LogoutEndpoint, LogoutOutcome } from './logout.endpoint';

const HOUR = 3600_000;
const BACKCHANNEL = 'https://rp.example/backchannel';
const FRONTCHANNEL = 'https://rp.example/frontchannel';
const POST_LOGOUT = 'https://rp.example/bye';

let h: FlowHarness;
let browser: SpecBrowser;
let endpoint: LogoutEndpoint;
let posted: jest.Mock;

beforeEach(async () => {
  h = await flowHarness();
  await h.addClient(
    specClient('rp', {
      post_logout_redirect_uris: [POST_LOGOUT], backchannel_logout_uri: BACKCHANNEL, frontchannel_logout_uri: FRONTCHANNEL,
      frontchannel_logout_session_required: true,
    }),
  );
  await h.addClient(specClient('other'));
  browser = new SpecBrowser(h.authorize, h.config);
  posted = jest.fn().mockResolvedValue({ status: 200 });
  const notifier = new LogoutNotifier(
    h.stores.flows, h.stores.clients, h.idTokens, { request: posted } as unknown as OutboundHttpClient, h.config.urlsSelfIssuer,
    createLogger({ level: 'silent', format: 'json' }), h.config.oidcSubjectIdentifiersPairwiseSalt,
  );
  endpoint = new LogoutEndpoint(h.stores.logoutRequests, h.stores.loginSessions, h.stores.clients, h.idTokens, notifier, h.config);
});

afterEach(() => jest.restoreAllMocks());

/** Alice signs in to rp through login and consent, remembered: the browser holds her session; answers its id. */
async function signedIn(): Promise<string> {
  const login = queryOf((await browser.authorize({ client_id: 'rp', response_type: 'code', scope: 'openid' })).location).login_challenge;
  const consent = queryOf((await browser.follow((await h.logins.accept(login, { subject: 'alice', remember: true })).redirect_to)).location).consent_challenge;
  await browser.follow((await h.consents.accept(consent, { grant_scope: ['openid'] })).redirect_to);
  return browser.cookies[SESSION_COOKIE];
}

const idToken = (subject: string, clientId = 'rp') =>
  h.idTokens.sign({ subject, clientId, issuedAt: new Date(), expiresAt: new Date(Date.now() + HOUR), authTime: 0, extra: {} });

const logout = (params: Record<string, string>, cookies = browser.cookies) => endpoint.logout(params, { ...cookies }, 'https://issuer.example/oauth2/sessions/logout');
const challengeOf = (outcome: LogoutOutcome) => queryOf(outcome.location).logout_challenge;

/** An RP-initiated logout accepted by the logout app: the URL of its logout verifier. */
async function acceptedLogout(): Promise<{ sid: string; verifierParams: Record<string, string> }> {
  const sid = await signedIn();
  const challenge = challengeOf(await logout({ id_token_hint: await idToken('alice'), post_logout_redirect_uri: POST_LOGOUT, state: 'st' }));
  const decision = await h.logouts.accept(challenge);
  expect(decision.alreadyHandled).toBe(false);
  return { sid, verifierParams: queryOf(decision.redirect_to) };
}

describe('a new logout request (RP-Initiated Logout 1.0)', () => {
  it('sends a browser without a session straight to the default page, and clears a stale session cookie', async () => {
    expect(await logout({}, {})).toEqual({ location: h.config.urlsPostLogoutRedirect, cookies: [], frontchannel: [] });
    expect(await logout({}, { [SESSION_COOKIE]: 'gone' })).toEqual({
      location: h.config.urlsPostLogoutRedirect, cookies: [{ name: SESSION_COOKIE, value: null }], frontchannel: [],
    });
    expect(h.stores.logoutRequests.all()).toEqual([]);
  });

  it('hands a signed-in browser to the logout app; with a valid hint it returns to the client\'s registered URI with the state', async () => {
    const sid = await signedIn();
    const outcome = await logout({ id_token_hint: await idToken('alice'), post_logout_redirect_uri: POST_LOGOUT, state: 'st' });
    expect(outcome.location).toBe(`${h.config.urlsLogout}?logout_challenge=${challengeOf(outcome)}`);
    expect(await h.logouts.get(challengeOf(outcome))).toMatchObject({ subject: 'alice', sid, rp_initiated: true, client: expect.objectContaining({ client_id: 'rp' }) });
    expect(h.stores.logoutRequests.all()[0]).toMatchObject({ state: 'initialized', postLogoutRedirectUri: `${POST_LOGOUT}?state=st`, clientId: 'rp' });
  });

  it('ignores post_logout_redirect_uri without an id_token_hint: anyone can name a client', async () => {
    await signedIn();
    await logout({ client_id: 'rp', post_logout_redirect_uri: POST_LOGOUT });
    expect(h.stores.logoutRequests.all()[0].postLogoutRedirectUri).toBe(h.config.urlsPostLogoutRedirect);
    expect(await logout({ client_id: 'rp', post_logout_redirect_uri: 'https://evil.example/' }, {})).toMatchObject({ location: h.config.urlsPostLogoutRedirect });
  });

  it('refuses an unregistered post_logout_redirect_uri, an invalid hint, a client_id that is not the hint\'s audience, and a hint of another user', async () => {
    await signedIn();
    const hint = await idToken('alice');
    for (const uri of [`${POST_LOGOUT}/`, 'https://evil.example/bye', `${POST_LOGOUT}?x=1`]) {
      expect((await oauthError(logout({ id_token_hint: hint, post_logout_redirect_uri: uri }))).hint).toContain('not registered');
    }
    expect((await oauthError(logout({ id_token_hint: 'not-a-token' }))).hint).toContain('id_token_hint');
    expect((await oauthError(logout({ id_token_hint: hint, client_id: 'other' }))).hint).toContain('audience');
    expect((await oauthError(logout({ id_token_hint: await idToken('bob') }))).hint).toContain('another user');
    expect(h.stores.logoutRequests.all()).toEqual([]);
  });
});

describe('the logout app\'s decision (LogoutRequestService)', () => {
  it('accepts once: a second accept and a reject answer the post-logout URI as already handled', async () => {
    await signedIn();
    const challenge = challengeOf(await logout({ id_token_hint: await idToken('alice'), post_logout_redirect_uri: POST_LOGOUT }));
    expect((await h.logouts.accept(challenge)).redirect_to).toMatch(/^https:\/\/issuer\.example\/oauth2\/sessions\/logout\?logout_verifier=/);
    const handled = { redirect_to: POST_LOGOUT, alreadyHandled: true };
    expect(await h.logouts.accept(challenge)).toEqual(handled);
    expect(await h.logouts.reject(challenge)).toEqual(handled);
    expect(await h.logouts.get(challenge)).toEqual(handled);
  });

  it('records one decision when an accept and a reject arrive at once', async () => {
    await signedIn();
    const challenge = challengeOf(await logout({}));
    const [accepted, rejected] = await Promise.all([h.logouts.accept(challenge), h.logouts.reject(challenge)]);
    const winners = [!accepted.alreadyHandled, rejected === null].filter(Boolean);
    expect(winners).toHaveLength(1);
    expect(['accepted', 'rejected']).toContain(h.stores.logoutRequests.all()[0].state);
  });

  it('rejects: the user stays signed in and the challenge cannot be accepted afterwards', async () => {
    const sid = await signedIn();
    const challenge = challengeOf(await logout({}));
    expect(await h.logouts.reject(challenge)).toBeNull();
    expect((await h.logouts.accept(challenge)).alreadyHandled).toBe(true);
    expect(await h.stores.loginSessions.findById(sid)).not.toBeNull();
  });

  it('answers 404 for an unknown or expired challenge', async () => {
    await signedIn();
    const challenge = challengeOf(await logout({}));
    expect((await oauthError(h.logouts.get('no-such-challenge'))).statusCode).toBe(404);
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + h.config.ttlLoginConsentRequest + 1000);
    expect((await oauthError(h.logouts.accept(challenge))).statusCode).toBe(404);
  });
});

describe('the return with a logout verifier', () => {
  it('ends the session, tells the clients on both channels, clears the cookie and leaves for the post-logout URI', async () => {
    const { sid, verifierParams } = await acceptedLogout();
    const outcome = await logout(verifierParams);
    expect(outcome).toEqual({
      location: `${POST_LOGOUT}?state=st`,
      cookies: [{ name: SESSION_COOKIE, value: null }],
      frontchannel: [`${FRONTCHANNEL}?iss=${encodeURIComponent('https://issuer.example/')}&sid=${sid}`],
    });
    expect(await h.stores.loginSessions.findById(sid)).toBeNull();
    expect(posted).toHaveBeenCalledTimes(1);
    expect(posted).toHaveBeenCalledWith(BACKCHANNEL, expect.objectContaining({ method: 'POST', body: expect.stringMatching(/^logout_token=/) }));
  });

  it('refuses the verifier a second time, and tells the clients only once', async () => {
    const { verifierParams } = await acceptedLogout();
    const cookies = { ...browser.cookies };
    await logout(verifierParams, cookies);
    expect((await oauthError(logout(verifierParams, cookies))).hint).toContain('already been used');
    expect(posted).toHaveBeenCalledTimes(1);
  });

  it('ends the session once when the verifier arrives twice at once', async () => {
    const { verifierParams } = await acceptedLogout();
    const results = await Promise.allSettled([logout(verifierParams), logout(verifierParams)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(posted).toHaveBeenCalledTimes(1);
  });

  it('refuses a verifier from another browser and a changed one, and the request stays usable', async () => {
    const { sid, verifierParams } = await acceptedLogout();
    expect((await oauthError(logout(verifierParams, {}))).error).toBe('request_forbidden');
    expect((await oauthError(logout(verifierParams, { [SESSION_COOKIE]: 'someone-else' }))).error).toBe('request_forbidden');
    const changed = { logout_verifier: `${verifierParams.logout_verifier.split('.')[0]}.${'A'.repeat(43)}` };
    expect((await oauthError(logout(changed))).error).toBe('invalid_request');
    expect(await h.stores.loginSessions.findById(sid)).not.toBeNull();
    expect((await logout(verifierParams)).location).toBe(`${POST_LOGOUT}?state=st`);
  });

  it('refuses an expired verifier and leaves the session', async () => {
    const { sid, verifierParams } = await acceptedLogout();
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + h.config.ttlLoginConsentRequest + 1000);
    expect((await oauthError(logout(verifierParams))).hint).toContain('expired');
    expect(await h.stores.loginSessions.findById(sid)).not.toBeNull();
  });
});

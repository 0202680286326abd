import { randomUUID } from 'node:crypto';
import { Configuration as HydraConfiguration, OAuth2Api, OAuth2ConsentRequest, OAuth2LoginRequest } from '@ory/hydra-client';
import { Browser, codeRequest, createClient, FlowServer, introspect, startFlowServer, tokenRequest } from './support/browser-flow';
import { sdkFailure } from './support/sdk-failure';

/**
 * The login and consent apps' side of the flow through Hydra's own SDK (`@ory/hydra-client` v26):
 * every field of the login and consent requests, accept and reject, the 410/404 answers, the remembered
 * consent sessions of a subject (list and revoke, with their tokens) and login session revocation.
 */

const REDIRECT = 'https://rp.example/callback';
const API = 'https://api.example.com';

describe('login and consent through the Hydra SDK', () => {
  let env: FlowServer;
  let hydra: OAuth2Api;

  beforeAll(async () => {
    env = await startFlowServer();
    hydra = new OAuth2Api(new HydraConfiguration({ basePath: env.adminUrl }));
  });
  afterAll(() => env.close());

  async function codeClient(body: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
    const created = await createClient(env.adminUrl, {
      client_id: `sdk-${randomUUID()}`,
      client_name: 'SDK test client',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid offline_access email profile',
      audience: [API],
      redirect_uris: [REDIRECT],
      ...body,
    });
    return { id: created.client_id, secret: created.client_secret! };
  }

  interface Started {
    url: URL;
    verifier: string;
    challenge: string;
  }

  /** Sends `browser` to the authorization endpoint; returns the login challenge it was given. */
  async function startFlow(browser: Browser, clientId: string, params: Record<string, string> = {}): Promise<Started> {
    const { url, verifier } = codeRequest(env.publicUrl, clientId, REDIRECT, params);
    const landing = await env.driver.visit(browser, url);
    if (landing.at !== 'login') throw new Error(`expected the login app, got ${landing.at}`);
    return { url, verifier, challenge: landing.challenge };
  }

  /** Follows a redirect_to and expects the consent app; returns the consent challenge. */
  async function toConsent(browser: Browser, redirectTo: string): Promise<string> {
    const landing = await env.driver.visit(browser, redirectTo);
    if (landing.at !== 'consent') throw new Error(`expected the consent app, got ${landing.at}`);
    return landing.challenge;
  }

  /** Follows a redirect_to and expects the client; returns the callback's query. */
  async function toClient(browser: Browser, redirectTo: string): Promise<URLSearchParams> {
    const landing = await env.driver.visit(browser, redirectTo);
    if (landing.at !== 'client') throw new Error(`expected the client, got ${landing.at}`);
    return landing.params;
  }

  /** A whole flow by the SDK: login as `subject`, consent to what was requested, the code redeemed. */
  async function grant(
    browser: Browser,
    rp: { id: string; secret: string },
    subject: string,
    options: { remember?: boolean; consentRemember?: boolean; params?: Record<string, string> } = {},
  ): Promise<{ tokens: Record<string, any>; login: OAuth2LoginRequest; consent: OAuth2ConsentRequest }> {
    const started = await startFlow(browser, rp.id, options.params);
    const login = (await hydra.getOAuth2LoginRequest({ loginChallenge: started.challenge })).data;
    const accepted = await hydra.acceptOAuth2LoginRequest({
      loginChallenge: started.challenge,
      acceptOAuth2LoginRequest: { subject, remember: options.remember ?? false, remember_for: 3600 },
    });
    const consentChallenge = await toConsent(browser, accepted.data.redirect_to);
    const consent = (await hydra.getOAuth2ConsentRequest({ consentChallenge })).data;
    const done = await hydra.acceptOAuth2ConsentRequest({
      consentChallenge,
      acceptOAuth2ConsentRequest: {
        grant_scope: consent.requested_scope,
        grant_access_token_audience: consent.requested_access_token_audience,
        remember: options.consentRemember ?? false,
        remember_for: 3600,
        session: { access_token: { via: 'sdk' }, id_token: { nickname: subject } },
      },
    });
    const params = await toClient(browser, done.data.redirect_to);
    const res = await tokenRequest(
      env.publicUrl,
      { grant_type: 'authorization_code', code: params.get('code')!, redirect_uri: REDIRECT, code_verifier: started.verifier },
      { id: rp.id, secret: rp.secret },
    );
    expect(res.status).toBe(200);
    return { tokens: res.body, login, consent };
  }

  it('shows the login request with every field, oidc_context included', async () => {
    const rp = await codeClient();
    const browser = new Browser();
    const started = await startFlow(browser, rp.id, {
      scope: 'openid email',
      audience: API,
      login_hint: 'alice@example.com',
      ui_locales: 'de-CH en',
      acr_values: 'urn:hydrant:loa:2 urn:hydrant:loa:3',
      display: 'popup',
    });
    const res = await hydra.getOAuth2LoginRequest({ loginChallenge: started.challenge });
    expect(res.status).toBe(200);
    const login = res.data;
    expect(login).toMatchObject({
      challenge: started.challenge,
      requested_scope: ['openid', 'email'],
      requested_access_token_audience: [API],
      skip: false,
      subject: '',
      oidc_context: {
        login_hint: 'alice@example.com',
        ui_locales: ['de-CH', 'en'],
        acr_values: ['urn:hydrant:loa:2', 'urn:hydrant:loa:3'],
        display: 'popup',
      },
    });
    expect(login.client).toMatchObject({ client_id: rp.id, client_name: 'SDK test client', redirect_uris: [REDIRECT] });
    expect(login.client.client_secret).toBeUndefined();
    // As Hydra: a fresh request already has the session id its login will get (the ID token's `sid`).
    expect(login.session_id).toMatch(/^.{8,}$/);
    // request_url is the authorization request the browser made, parameters and all.
    const requestUrl = new URL(login.request_url);
    expect(requestUrl.pathname).toBe('/oauth2/auth');
    expect(Object.fromEntries(requestUrl.searchParams)).toEqual(Object.fromEntries(started.url.searchParams));
  });

  it('hands the login decision (subject, acr, amr, context) to the consent request, and answers 410 once handled', async () => {
    const rp = await codeClient();
    const browser = new Browser();
    const started = await startFlow(browser, rp.id, { scope: 'openid email', audience: API, login_hint: 'bob@example.com', ui_locales: 'fr' });
    const login = (await hydra.getOAuth2LoginRequest({ loginChallenge: started.challenge })).data;
    const accepted = await hydra.acceptOAuth2LoginRequest({
      loginChallenge: started.challenge,
      acceptOAuth2LoginRequest: { subject: 'bob', acr: 'urn:hydrant:loa:2', amr: ['pwd', 'hwk'], context: { tenant: 'acme', roles: ['admin'] } },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.data.redirect_to.startsWith(`${env.publicUrl}/oauth2/auth?`)).toBe(true);
    expect(new URL(accepted.data.redirect_to).searchParams.get('login_verifier')).toEqual(expect.any(String));

    const consentChallenge = await toConsent(browser, accepted.data.redirect_to);
    const consent = (await hydra.getOAuth2ConsentRequest({ consentChallenge })).data;
    expect(consent).toMatchObject({
      challenge: consentChallenge,
      requested_scope: ['openid', 'email'],
      requested_access_token_audience: [API],
      skip: false,
      subject: 'bob',
      login_challenge: started.challenge,
      login_session_id: login.session_id,
      acr: 'urn:hydrant:loa:2',
      amr: ['pwd', 'hwk'],
      context: { tenant: 'acme', roles: ['admin'] },
      oidc_context: { login_hint: 'bob@example.com', ui_locales: ['fr'] },
    });
    expect(consent.client).toMatchObject({ client_id: rp.id });
    expect(consent.client!.client_secret).toBeUndefined();
    expect(new URL(consent.request_url!).searchParams.get('client_id')).toBe(rp.id);

    // The login request is handled now: reading or deciding it again answers 410 with where to go.
    for (const call of [
      () => hydra.getOAuth2LoginRequest({ loginChallenge: started.challenge }),
      () => hydra.acceptOAuth2LoginRequest({ loginChallenge: started.challenge, acceptOAuth2LoginRequest: { subject: 'bob' } }),
      () => hydra.rejectOAuth2LoginRequest({ loginChallenge: started.challenge, rejectOAuth2Request: { error: 'access_denied' } }),
    ]) {
      const gone = await sdkFailure(call());
      expect(gone.response!.status).toBe(410);
      expect(gone.response!.data.redirect_to).toEqual(expect.any(String));
    }

    const done = await hydra.acceptOAuth2ConsentRequest({
      consentChallenge,
      acceptOAuth2ConsentRequest: { grant_scope: ['openid'], grant_access_token_audience: [API], session: { id_token: { tenant: 'acme' } } },
    });
    expect(done.status).toBe(200);
    const params = await toClient(browser, done.data.redirect_to);
    expect(params.get('code')).toEqual(expect.any(String));
    // Only what the consent app granted.
    expect(params.get('scope')).toBe('openid');

    for (const call of [
      () => hydra.getOAuth2ConsentRequest({ consentChallenge }),
      () => hydra.acceptOAuth2ConsentRequest({ consentChallenge, acceptOAuth2ConsentRequest: { grant_scope: ['openid', 'email'] } }),
      () => hydra.rejectOAuth2ConsentRequest({ consentChallenge, rejectOAuth2Request: { error: 'access_denied' } }),
    ]) {
      const gone = await sdkFailure(call());
      expect(gone.response!.status).toBe(410);
      expect(gone.response!.data.redirect_to).toEqual(expect.any(String));
    }

    // The code carries what was granted, not what a late second accept asked for.
    const tokens = await tokenRequest(
      env.publicUrl,
      { grant_type: 'authorization_code', code: params.get('code')!, redirect_uri: REDIRECT, code_verifier: started.verifier },
      { id: rp.id, secret: rp.secret },
    );
    expect(tokens.status).toBe(200);
    expect(tokens.body.scope).toBe('openid');
    expect(await introspect(env.adminUrl, tokens.body.access_token)).toMatchObject({ active: true, sub: 'bob', scope: 'openid', aud: [API] });
  });

  it('answers 404 for an unknown challenge and 400 for a missing one or a bad body', async () => {
    for (const call of [
      () => hydra.getOAuth2LoginRequest({ loginChallenge: 'no-such-challenge' }),
      () => hydra.acceptOAuth2LoginRequest({ loginChallenge: 'no-such-challenge', acceptOAuth2LoginRequest: { subject: 'x' } }),
      () => hydra.rejectOAuth2LoginRequest({ loginChallenge: 'no-such-challenge', rejectOAuth2Request: {} }),
      () => hydra.getOAuth2ConsentRequest({ consentChallenge: 'no-such-challenge' }),
      () => hydra.acceptOAuth2ConsentRequest({ consentChallenge: 'no-such-challenge', acceptOAuth2ConsentRequest: {} }),
      () => hydra.rejectOAuth2ConsentRequest({ consentChallenge: 'no-such-challenge', rejectOAuth2Request: {} }),
    ]) {
      const failed = await sdkFailure(call());
      expect(failed.response!.status).toBe(404);
      expect(failed.response!.data).toMatchObject({ error: expect.any(String), error_description: expect.any(String), status_code: 404 });
    }

    for (const path of ['login', 'consent']) {
      const missing = await fetch(`${env.adminUrl}/admin/oauth2/auth/requests/${path}`);
      expect(missing.status).toBe(400);
      const put = await fetch(`${env.adminUrl}/admin/oauth2/auth/requests/${path}/accept`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(put.status).toBe(400);
    }

    const rp = await codeClient();
    const started = await startFlow(new Browser(), rp.id);
    const accept = (body: string) =>
      fetch(`${env.adminUrl}/admin/oauth2/auth/requests/login/accept?login_challenge=${encodeURIComponent(started.challenge)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body,
      });
    for (const body of ['{}', '{"subject": ""}', '{"subject": 42}', '{"subject": "x", "remember_for": "soon"}', '{"subject": "x", "amr": "pwd"}', 'not json', '[]',
      // Longer than the subject and session id columns hold: refused up front, not a database error.
      JSON.stringify({ subject: 's'.repeat(256) }), JSON.stringify({ subject: 'x', identity_provider_session_id: 'i'.repeat(256) })]) {
      const res = await accept(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    // None of those used the request up.
    expect((await hydra.getOAuth2LoginRequest({ loginChallenge: started.challenge })).status).toBe(200);

    // A granted scope becomes the tokens' scope, so it must be a scope token (RFC 6749 §3.3): a NUL in one
    // reached PostgreSQL as a 500 when the code was redeemed.
    const browser = new Browser();
    const flow = await startFlow(browser, rp.id);
    const loggedIn = await hydra.acceptOAuth2LoginRequest({ loginChallenge: flow.challenge, acceptOAuth2LoginRequest: { subject: 'alice' } });
    const consentChallenge = await toConsent(browser, loggedIn.data.redirect_to);
    for (const scope of ['openid\u0000x', 'two words', '']) {
      const failed = await sdkFailure(hydra.acceptOAuth2ConsentRequest({ consentChallenge, acceptOAuth2ConsentRequest: { grant_scope: ['openid', scope] } }));
      expect({ scope, status: failed.response!.status, error: failed.response!.data.error }).toEqual({ scope, status: 400, error: 'invalid_request' });
    }
    expect((await hydra.getOAuth2ConsentRequest({ consentChallenge })).status).toBe(200);
  });

  it('sends a rejected login or consent to the client with the error the app chose', async () => {
    const rp = await codeClient();
    const browser = new Browser();
    const started = await startFlow(browser, rp.id, { state: 'st-login' });
    const rejected = await hydra.rejectOAuth2LoginRequest({
      loginChallenge: started.challenge,
      rejectOAuth2Request: { error: 'access_denied', error_description: 'Wrong password too many times', status_code: 403 },
    });
    expect(rejected.status).toBe(200);
    const params = await toClient(browser, rejected.data.redirect_to);
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('error_description')).toContain('Wrong password too many times');
    expect(params.get('state')).toBe('st-login');
    expect(params.get('iss')).toBe(env.issuer);

    const second = await startFlow(browser, rp.id, { state: 'st-consent' });
    const accepted = await hydra.acceptOAuth2LoginRequest({ loginChallenge: second.challenge, acceptOAuth2LoginRequest: { subject: 'carol' } });
    const consentChallenge = await toConsent(browser, accepted.data.redirect_to);
    const refused = await hydra.rejectOAuth2ConsentRequest({
      consentChallenge,
      rejectOAuth2Request: { error: 'access_denied', error_description: 'The user said no' },
    });
    const consentParams = await toClient(browser, refused.data.redirect_to);
    expect(consentParams.get('error')).toBe('access_denied');
    expect(consentParams.get('error_description')).toContain('The user said no');
    expect(consentParams.get('state')).toBe('st-consent');
    expect(consentParams.get('code')).toBeNull();
  });

  it('makes the app accept a skipped login with the remembered subject only', async () => {
    const rp = await codeClient();
    const browser = new Browser();
    await grant(browser, rp, 'dave', { remember: true });

    const next = await startFlow(browser, rp.id);
    const login = (await hydra.getOAuth2LoginRequest({ loginChallenge: next.challenge })).data;
    expect(login).toMatchObject({ skip: true, subject: 'dave' });
    const impostor = await sdkFailure(hydra.acceptOAuth2LoginRequest({ loginChallenge: next.challenge, acceptOAuth2LoginRequest: { subject: 'mallory' } }));
    expect(impostor.response!.status).toBe(400);
    expect(impostor.response!.data).toMatchObject({ error: expect.any(String), status_code: 400 });

    // The refusal did not use the request up: the right subject is accepted.
    const accepted = await hydra.acceptOAuth2LoginRequest({ loginChallenge: next.challenge, acceptOAuth2LoginRequest: { subject: 'dave' } });
    const consent = (await hydra.getOAuth2ConsentRequest({ consentChallenge: await toConsent(browser, accepted.data.redirect_to) })).data;
    expect(consent).toMatchObject({ subject: 'dave', login_session_id: login.session_id });
  });

  it('passes the claims of a valid id_token_hint to the login app', async () => {
    const rp = await codeClient();
    const { tokens } = await grant(new Browser(), rp, 'ivy');
    const started = await startFlow(new Browser(), rp.id, { id_token_hint: tokens.id_token });
    const login = (await hydra.getOAuth2LoginRequest({ loginChallenge: started.challenge })).data;
    expect(login.oidc_context?.id_token_hint_claims).toMatchObject({ sub: 'ivy', iss: env.issuer, aud: [rp.id] });
  });

  it('marks the consent request skip for a client with skip_consent, and still needs the app to accept', async () => {
    const rp = await codeClient({ skip_consent: true });
    const browser = new Browser();
    const started = await startFlow(browser, rp.id);
    const accepted = await hydra.acceptOAuth2LoginRequest({ loginChallenge: started.challenge, acceptOAuth2LoginRequest: { subject: 'judy' } });
    const consentChallenge = await toConsent(browser, accepted.data.redirect_to);
    expect((await hydra.getOAuth2ConsentRequest({ consentChallenge })).data).toMatchObject({ skip: true, subject: 'judy' });
  });

  it('lists a subject\'s consent sessions and revokes them per client or all, with their tokens', async () => {
    const subject = `erin-${randomUUID()}`;
    const a = await codeClient();
    const b = await codeClient();
    const grantA = await grant(new Browser(), a, subject, { consentRemember: true, params: { audience: API } });
    const grantB = await grant(new Browser(), b, subject, { consentRemember: true });

    const listed = await hydra.listOAuth2ConsentSessions({ subject });
    expect(listed.status).toBe(200);
    expect(listed.data).toHaveLength(2);
    const sessionA = listed.data.find((s) => s.consent_request?.client?.client_id === a.id)!;
    expect(sessionA).toMatchObject({
      grant_scope: ['openid', 'offline_access'],
      grant_access_token_audience: [API],
      remember: true,
      remember_for: 3600,
      session: { access_token: { via: 'sdk' }, id_token: { nickname: subject } },
      consent_request: { subject, requested_scope: ['openid', 'offline_access'], login_session_id: grantA.consent.login_session_id },
    });
    expect(Number.isNaN(Date.parse(sessionA.handled_at!))).toBe(false);
    expect(Math.abs(Date.parse(sessionA.handled_at!) - Date.now())).toBeLessThan(60_000);
    expect(listed.data.some((s) => s.consent_request?.client?.client_id === b.id)).toBe(true);
    expect(listed.data.every((s) => s.consent_request?.client?.client_secret === undefined)).toBe(true);

    // Filtered by the login session of A's flow.
    const bySession = await hydra.listOAuth2ConsentSessions({ subject, loginSessionId: grantA.consent.login_session_id });
    expect(bySession.data.map((s) => s.consent_request?.client?.client_id)).toEqual([a.id]);
    expect((await hydra.listOAuth2ConsentSessions({ subject: `nobody-${randomUUID()}` })).data).toEqual([]);
    expect((await fetch(`${env.adminUrl}/admin/oauth2/auth/sessions/consent`)).status).toBe(400);

    // Revoke A's: its tokens die, B's live on.
    expect((await hydra.revokeOAuth2ConsentSessions({ subject, client: a.id })).status).toBe(204);
    expect((await hydra.listOAuth2ConsentSessions({ subject })).data.map((s) => s.consent_request?.client?.client_id)).toEqual([b.id]);
    expect((await introspect(env.adminUrl, grantA.tokens.access_token)).active).toBe(false);
    expect((await introspect(env.adminUrl, grantA.tokens.refresh_token)).active).toBe(false);
    const refreshA = await tokenRequest(env.publicUrl, { grant_type: 'refresh_token', refresh_token: grantA.tokens.refresh_token }, a);
    expect(refreshA).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await introspect(env.adminUrl, grantB.tokens.access_token)).active).toBe(true);

    // Revoke everything of the subject.
    expect((await hydra.revokeOAuth2ConsentSessions({ subject, all: true })).status).toBe(204);
    expect((await hydra.listOAuth2ConsentSessions({ subject })).data).toEqual([]);
    expect((await introspect(env.adminUrl, grantB.tokens.access_token)).active).toBe(false);
    const refreshB = await tokenRequest(env.publicUrl, { grant_type: 'refresh_token', refresh_token: grantB.tokens.refresh_token }, b);
    expect(refreshB).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    // The listed consent_request is the consent request the consent app read: the same challenge.
    expect(sessionA.consent_request!.challenge).toBe(grantA.consent.challenge);
  });

  it('forgets a revoked consent: the next flow asks again', async () => {
    const subject = `frank-${randomUUID()}`;
    const rp = await codeClient();
    const browser = new Browser();
    await grant(browser, rp, subject, { remember: true, consentRemember: true });
    const remembered = await grant(browser, rp, subject);
    expect(remembered.consent.skip).toBe(true);

    await hydra.revokeOAuth2ConsentSessions({ subject, client: rp.id });
    const after = await grant(browser, rp, subject);
    expect(after.login.skip).toBe(true);
    expect(after.consent.skip).toBe(false);
  });

  it('ends login sessions by subject or by session id: the next flow is not skipped', async () => {
    const rp = await codeClient();
    const bySubject = new Browser();
    const subject = `grace-${randomUUID()}`;
    await grant(bySubject, rp, subject, { remember: true });
    expect((await grant(bySubject, rp, subject)).login.skip).toBe(true);
    expect((await hydra.revokeOAuth2LoginSessions({ subject })).status).toBe(204);
    const afterSubject = await grant(bySubject, rp, subject);
    expect(afterSubject.login).toMatchObject({ skip: false, subject: '' });

    const bySid = new Browser();
    const other = `heidi-${randomUUID()}`;
    const first = await grant(bySid, rp, other, { remember: true });
    const sid = first.login.session_id!;
    expect((await grant(bySid, rp, other)).login).toMatchObject({ skip: true, session_id: sid });
    expect((await hydra.revokeOAuth2LoginSessions({ sid })).status).toBe(204);
    expect((await grant(bySid, rp, other)).login.skip).toBe(false);

    // Neither subject nor sid: a bad request, nothing ended.
    expect((await fetch(`${env.adminUrl}/admin/oauth2/auth/sessions/login`, { method: 'DELETE' })).status).toBe(400);
  });
});

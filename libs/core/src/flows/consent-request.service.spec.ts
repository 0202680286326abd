import { flowHarness, FlowHarness, SpecBrowser } from '../testing/flow-harness';
import { moveClock, oauthError, queryOf, specClient } from '../testing/flow-spec.fixtures';

const REQUEST = { client_id: 'rp', response_type: 'code', scope: 'openid email', state: 'state-1' };

let h: FlowHarness;
let browser: SpecBrowser;

beforeEach(async () => {
  h = await flowHarness();
  await h.addClient(specClient('rp', { audience: ['https://api.example'] }));
  browser = new SpecBrowser(h.authorize, h.config);
});

afterEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
});

/** A flow at the consent step for alice (remembered login): its consent challenge. */
async function consentChallenge(request: Record<string, string> = REQUEST): Promise<string> {
  const login = queryOf((await browser.authorize(request)).location).login_challenge;
  const next = await browser.follow((await h.logins.accept(login, { subject: 'alice', remember: true })).redirect_to);
  return queryOf(next.location).consent_challenge;
}

/** Grants and returns through the browser, so that the consent becomes a consent session. */
async function grantAndReturn(challenge: string, body: Record<string, unknown>) {
  return browser.follow((await h.consents.accept(challenge, body)).redirect_to);
}

const flowOf = async (challenge: string) => (await h.stores.flows.findById(challenge.split('.')[0]))!;

describe('ConsentRequestService (the consent app\'s side)', () => {
  it('accepts once: a second accept or a reject answers the first decision\'s redirect as already handled', async () => {
    const challenge = await consentChallenge();
    const first = await h.consents.accept(challenge, { grant_scope: ['openid'] });
    expect(first.alreadyHandled).toBe(false);
    expect(queryOf(first.redirect_to).consent_verifier).toMatch(/\./);
    expect(await h.consents.accept(challenge, { grant_scope: ['openid', 'email'] })).toEqual({ redirect_to: first.redirect_to, alreadyHandled: true });
    expect(await h.consents.reject(challenge, {})).toEqual({ redirect_to: first.redirect_to, alreadyHandled: true });
    expect(await h.consents.get(challenge)).toEqual({ redirect_to: first.redirect_to, alreadyHandled: true });
    expect((await flowOf(challenge)).consent!.grantScope).toEqual(['openid']);
  });

  it('records one decision when an accept and a reject arrive at once', async () => {
    const challenge = await consentChallenge();
    const decisions = await Promise.all([h.consents.accept(challenge, { grant_scope: ['openid'] }), h.consents.reject(challenge, {})]);
    expect(decisions.filter((d) => d.alreadyHandled)).toHaveLength(1);
    const winner = decisions.find((d) => !d.alreadyHandled)!;
    expect((await flowOf(challenge)).consent!.redirectTo).toBe(winner.redirect_to);
  });

  it('never widens the request: scopes and audiences not requested, or no longer allowed to the client, are dropped', async () => {
    const challenge = await consentChallenge({ ...REQUEST, audience: 'https://api.example' });
    await h.stores.clients.update(specClient('rp', { scope: 'openid', audience: ['https://api.example'] }));
    await h.consents.accept(challenge, { grant_scope: ['openid', 'email', 'profile', 'openid'], grant_access_token_audience: ['https://api.example', 'https://evil.example'] });
    expect((await flowOf(challenge)).consent).toMatchObject({ grantScope: ['openid'], grantAudience: ['https://api.example'] });
  });

  it('refuses a granted scope that is not a scope token, and leaves the request undecided', async () => {
    const challenge = await consentChallenge();
    expect((await oauthError(h.consents.accept(challenge, { grant_scope: ['openid email'] }))).error).toBe('invalid_request');
    expect((await flowOf(challenge)).state).toBe('consent_initialized');
  });

  it('answers 404 for a challenge with the wrong secret, the login challenge, or an expired one', async () => {
    const challenge = await consentChallenge();
    const [id] = challenge.split('.');
    expect((await oauthError(h.consents.get(`${id}.${'A'.repeat(43)}`))).statusCode).toBe(404);
    expect((await oauthError(h.consents.get(id))).statusCode).toBe(404);
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + h.config.ttlLoginConsentRequest + 1000);
    expect((await oauthError(h.consents.accept(challenge, {}))).statusCode).toBe(404);
  });

  it('rejects with access_denied unless the app names an error', async () => {
    const challenge = await consentChallenge();
    await h.consents.reject(challenge, {});
    expect((await flowOf(challenge)).consent!.error).toMatchObject({ error: 'access_denied' });
  });

  describe('remembered consent (skip)', () => {
    it('lets a later request covered by a remembered consent skip the UI; prompt=consent asks again', async () => {
      await grantAndReturn(await consentChallenge(), { grant_scope: ['openid', 'email'], remember: true });
      expect(await h.consents.get(await consentChallenge())).toMatchObject({ skip: true });
      expect(await h.consents.get(await consentChallenge({ ...REQUEST, scope: 'openid' }))).toMatchObject({ skip: true });
      expect(await h.consents.get(await consentChallenge({ ...REQUEST, prompt: 'consent' }))).toMatchObject({ skip: false });
    });

    it('does not skip for a wider request, a consent not remembered, or a remembered one run out', async () => {
      await grantAndReturn(await consentChallenge(), { grant_scope: ['openid'], remember: true });
      expect(await h.consents.get(await consentChallenge())).toMatchObject({ skip: false });

      await grantAndReturn(await consentChallenge(), { grant_scope: ['openid', 'email'], remember: false });
      expect(await h.consents.get(await consentChallenge())).toMatchObject({ skip: false });

      await grantAndReturn(await consentChallenge(), { grant_scope: ['openid', 'email'], remember: true, remember_for: 1 });
      moveClock(2000);
      expect(await h.consents.get(await consentChallenge())).toMatchObject({ skip: false });
    });

    it('skips for a client trusted to (skip_consent), and the app still decides', async () => {
      await h.stores.clients.update(specClient('rp', { skip_consent: true }));
      const challenge = await consentChallenge();
      expect(await h.consents.get(challenge)).toMatchObject({ skip: true });
      expect((await flowOf(challenge)).state).toBe('consent_initialized');
    });
  });
});

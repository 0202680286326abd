import { flowHarness, FlowHarness, SpecBrowser } from '../testing/flow-harness';
import { oauthError, queryOf, specClient } from '../testing/flow-spec.fixtures';
import { SESSION_COOKIE } from './flow-cookies';

const REQUEST = { client_id: 'rp', response_type: 'code', scope: 'openid', state: 'state-1' };

let h: FlowHarness;
let browser: SpecBrowser;

beforeEach(async () => {
  h = await flowHarness();
  await h.addClient(specClient('rp'));
  browser = new SpecBrowser(h.authorize, h.config);
});

afterEach(() => jest.restoreAllMocks());

const newChallenge = async () => queryOf((await browser.authorize(REQUEST)).location).login_challenge;

describe('LoginRequestService (the login app\'s side)', () => {
  it('answers the login request, then accepts it once: the second decision answers the first one\'s redirect as already handled', async () => {
    const challenge = await newChallenge();
    expect(await h.logins.get(challenge)).toMatchObject({ challenge, skip: false, subject: '', requested_scope: ['openid'] });
    const first = await h.logins.accept(challenge, { subject: 'alice' });
    expect(first.alreadyHandled).toBe(false);
    expect(queryOf(first.redirect_to).login_verifier).toMatch(new RegExp(`^${challenge}\\.`));

    expect(await h.logins.accept(challenge, { subject: 'mallory' })).toEqual({ redirect_to: first.redirect_to, alreadyHandled: true });
    expect(await h.logins.reject(challenge, {})).toEqual({ redirect_to: first.redirect_to, alreadyHandled: true });
    expect(await h.logins.get(challenge)).toEqual({ redirect_to: first.redirect_to, alreadyHandled: true });
    expect((await h.stores.flows.findById(challenge))!.subject).toBe('alice');
  });

  it('records one decision when two arrive at once; the other is told where the first sent the browser', async () => {
    const challenge = await newChallenge();
    const decisions = await Promise.all([h.logins.accept(challenge, { subject: 'alice' }), h.logins.accept(challenge, { subject: 'bob' })]);
    const winner = decisions.find((d) => !d.alreadyHandled)!;
    expect(decisions.filter((d) => d.alreadyHandled)).toEqual([{ redirect_to: winner.redirect_to, alreadyHandled: true }]);
    const flow = (await h.stores.flows.findById(challenge))!;
    expect(flow.login!.redirectTo).toBe(winner.redirect_to);
  });

  it('keeps only the hash of the verifier it hands out', async () => {
    const challenge = await newChallenge();
    const verifier = queryOf((await h.logins.accept(challenge, { subject: 'alice' })).redirect_to).login_verifier;
    const stored = (await h.stores.flows.findById(challenge))!.loginVerifier!;
    expect(stored).not.toContain(verifier.split('.')[1]);
  });

  it('rejects with access_denied unless the app names an error, and keeps the app\'s hint and status', async () => {
    const plain = await newChallenge();
    await h.logins.reject(plain, {});
    expect((await h.stores.flows.findById(plain))!.login!.error).toMatchObject({ error: 'access_denied', statusCode: 400 });
    const named = await newChallenge();
    await h.logins.reject(named, { error: 'login_required', error_description: 'd', error_hint: 'h', status_code: 401 });
    expect((await h.stores.flows.findById(named))!.login!.error).toEqual({ error: 'login_required', errorDescription: 'd', errorHint: 'h', statusCode: 401 });
  });

  it('answers 404 for an unknown or expired challenge and for a consent challenge, and 400 for none', async () => {
    const challenge = await newChallenge();
    expect((await oauthError(h.logins.get('unknown-challenge-0000'))).statusCode).toBe(404);
    expect((await oauthError(h.logins.accept(`${challenge}.suffix`, { subject: 'alice' }))).statusCode).toBe(404);
    expect((await oauthError(h.logins.accept('', { subject: 'alice' }))).error).toBe('invalid_request');
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + h.config.ttlLoginConsentRequest + 1000);
    expect((await oauthError(h.logins.accept(challenge, { subject: 'alice' }))).statusCode).toBe(404);
  });

  describe('with a remembered login session (skip)', () => {
    /** Signs alice in with remember, through consent, so that the browser holds her session cookie. */
    async function rememberAlice(rememberFor = 3600) {
      const challenge = await newChallenge();
      await browser.follow((await h.logins.accept(challenge, { subject: 'alice', remember: true, remember_for: rememberFor })).redirect_to);
      return (await h.stores.loginSessions.findById(browser.cookies[SESSION_COOKIE]))!;
    }

    it('must be accepted with the remembered subject, and keeps the session\'s authentication time', async () => {
      const session = await rememberAlice();
      const challenge = await newChallenge();
      expect(await h.logins.get(challenge)).toMatchObject({ skip: true, subject: 'alice' });
      expect((await oauthError(h.logins.accept(challenge, { subject: 'bob' }))).hint).toContain('skipped');
      await h.logins.accept(challenge, { subject: 'alice' });
      const login = (await h.stores.flows.findById(challenge))!.login!;
      expect(login).toMatchObject({ skip: true, authTime: Math.floor(session.authenticatedAt.getTime() / 1000) });
    });

    it('opens no new session when the skipped login returns, and extends the old one only when asked', async () => {
      const session = await rememberAlice(60);
      const kept = await newChallenge();
      await browser.follow((await h.logins.accept(kept, { subject: 'alice', remember: true, remember_for: 7200 })).redirect_to);
      expect(h.stores.loginSessions.all()).toEqual([session]);

      const extended = await newChallenge();
      const outcome = await browser.follow(
        (await h.logins.accept(extended, { subject: 'alice', remember: true, remember_for: 7200, extend_session_lifespan: true })).redirect_to,
      );
      expect(h.stores.loginSessions.all()).toHaveLength(1);
      const after = (await h.stores.loginSessions.findById(session.id))!;
      expect(after.expiresAt!.getTime()).toBeGreaterThan(session.expiresAt!.getTime() + 3600_000);
      expect(outcome.cookies).toContainEqual({ name: SESSION_COOKIE, value: session.id, maxAgeMs: 7200_000 });
    });
  });
});

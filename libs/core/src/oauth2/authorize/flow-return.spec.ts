import { SESSION_COOKIE, csrfCookieName } from '../../flows/flow-cookies';
import { flowHarness, FlowHarness, SpecBrowser } from '../../testing/flow-harness';
import { queryOf, specClient } from '../../testing/flow-spec.fixtures';
import { AuthorizeOutcome } from './authorize-response';

const REDIRECT = 'https://rp.example/cb';
const REQUEST = { client_id: 'rp', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid email', state: 'state-1', nonce: 'nonce-1' };
const MINUTE = 60_000;

let h: FlowHarness;
let browser: SpecBrowser;

beforeEach(async () => {
  h = await flowHarness();
  await h.addClient(specClient('rp', { redirect_uris: [REDIRECT] }));
  await h.addClient(specClient('other', { redirect_uris: ['https://other.example/cb'] }));
  browser = new SpecBrowser(h.authorize, h.config);
});

afterEach(() => jest.restoreAllMocks());

const challengeOf = (outcome: AuthorizeOutcome, name: 'login_challenge' | 'consent_challenge'): string => {
  const value = queryOf(outcome.location)[name];
  if (!value) throw new Error(`no ${name} in ${outcome.location}`);
  return value;
};

/** A new request, accepted by the login app as alice: the login verifier's URL, and the flow id. */
async function loggedIn(b = browser, accept: Record<string, unknown> = {}, request: Record<string, string> = REQUEST) {
  const loginChallenge = challengeOf(await b.authorize(request), 'login_challenge');
  const decision = await h.logins.accept(loginChallenge, { subject: 'alice', ...accept });
  return { flowId: loginChallenge, loginVerifierUrl: decision.redirect_to };
}

/** A flow through the consent app's acceptance: the consent verifier's URL. */
async function consented(b = browser, grant: Record<string, unknown> = { grant_scope: ['openid', 'email'] }) {
  const { flowId, loginVerifierUrl } = await loggedIn(b);
  const consentChallenge = challengeOf(await b.follow(loginVerifierUrl), 'consent_challenge');
  const decision = await h.consents.accept(consentChallenge, grant);
  return { flowId, consentChallenge, consentVerifierUrl: decision.redirect_to };
}

/**
 * Holds every unit of work until two have started: two returns of one verifier have then both read the flow
 * in its old state before either writes, the race the guarded transition must decide.
 */
function raceTheNextTwoUnitsOfWork(): void {
  const run = h.transactions.run.bind(h.transactions);
  let arrived = 0;
  let release!: () => void;
  const bothArrived = new Promise<void>((resolve) => (release = resolve));
  jest.spyOn(h.transactions, 'run').mockImplementation(async (work) => {
    if (++arrived === 2) release();
    await bothArrived;
    return run(work);
  });
}

const codeInserts = () => jest.spyOn(h.stores.codes, 'insert');
const sessionInserts = () => jest.spyOn(h.stores.loginSessions, 'insert');

describe('the return from the consent app (consent_verifier)', () => {
  it('sends the client its code with the granted scope, the state and the issuer, and records one consent session', async () => {
    const inserts = codeInserts();
    const { flowId, consentVerifierUrl } = await consented();
    const outcome = await browser.follow(consentVerifierUrl);

    expect(outcome.status).toBe(303);
    expect(outcome.location.startsWith(`${REDIRECT}?`)).toBe(true);
    const query = queryOf(outcome.location);
    expect(query).toEqual({ code: expect.stringMatching(/^hy_ac_/), scope: 'openid email', state: 'state-1', iss: 'https://issuer.example/' });
    const signature = h.codec.verify(query.code, 'authorization_code')!;
    expect(await h.stores.codes.findBySignature(signature)).toMatchObject({ flowId, clientId: 'rp', used: false });
    expect(inserts).toHaveBeenCalledTimes(1);
    expect(await h.stores.flows.findById(flowId)).toMatchObject({ state: 'consent_used', granted: true });
    expect(browser.cookies[csrfCookieName(flowId)]).toBeUndefined();
  });

  it('refuses the same verifier a second time, and issues no second code', async () => {
    const { consentVerifierUrl } = await consented();
    const csrf = { ...browser.cookies };
    await browser.follow(consentVerifierUrl);
    const inserts = codeInserts();

    browser.cookies = csrf; // a replay from the same browser, CSRF cookie and all
    const replay = await browser.follow(consentVerifierUrl);
    expect(replay.location.startsWith(`${REDIRECT}?`)).toBe(true);
    expect(queryOf(replay.location)).toMatchObject({ error: 'invalid_request', error_hint: expect.stringContaining('already been used'), state: 'state-1' });
    expect(queryOf(replay.location).code).toBeUndefined();
    expect(inserts).not.toHaveBeenCalled();
  });

  it('issues exactly one code when the same verifier arrives twice at once', async () => {
    const { consentVerifierUrl } = await consented();
    const inserts = codeInserts();
    raceTheNextTwoUnitsOfWork();
    const outcomes = await Promise.all([browser.follow(consentVerifierUrl), browser.follow(consentVerifierUrl)]);

    const codes = outcomes.map((o) => queryOf(o.location).code).filter(Boolean);
    expect(codes).toHaveLength(1);
    expect(outcomes.map((o) => queryOf(o.location).error).filter(Boolean)).toEqual(['invalid_request']);
    expect(inserts).toHaveBeenCalledTimes(1);
  });

  it('sends a rejected consent to the client as the app named it, ends the flow, and issues no code', async () => {
    const { flowId, loginVerifierUrl } = await loggedIn();
    const consentChallenge = challengeOf(await browser.follow(loginVerifierUrl), 'consent_challenge');
    const decision = await h.consents.reject(consentChallenge, { error: 'access_denied', error_description: 'The user said no.', error_hint: 'no-thanks' });
    const inserts = codeInserts();
    const outcome = await browser.follow(decision.redirect_to);

    expect(queryOf(outcome.location)).toMatchObject({ error: 'access_denied', error_hint: 'no-thanks', state: 'state-1' });
    expect(outcome.location.startsWith(`${REDIRECT}?`)).toBe(true);
    expect(inserts).not.toHaveBeenCalled();
    expect(await h.stores.flows.findById(flowId)).toMatchObject({ state: 'consent_error', granted: false });
  });

  it('refuses a verifier whose secret was changed, and one presented for another client', async () => {
    const { flowId, consentVerifierUrl } = await consented();
    const url = new URL(consentVerifierUrl);
    const verifier = url.searchParams.get('consent_verifier')!;
    url.searchParams.set('consent_verifier', `${verifier.split('.')[0]}.${'A'.repeat(43)}`);
    expect(queryOf((await browser.follow(url.toString())).location).error).toBe('invalid_request');

    const foreign = await browser.authorize({ client_id: 'other', consent_verifier: verifier });
    expect(foreign.location.startsWith('https://other.example/cb?')).toBe(true);
    expect(queryOf(foreign.location).error).toBe('invalid_request');
    expect((await h.stores.flows.findById(flowId))!.state).toBe('consent_unused');
  });
});

describe('the return from the login app (login_verifier)', () => {
  it('opens a login session for the subject and sends the browser to the consent app', async () => {
    const inserts = sessionInserts();
    const { flowId, loginVerifierUrl } = await loggedIn(browser, { remember: true, remember_for: 3600 });
    const outcome = await browser.follow(loginVerifierUrl);

    expect(outcome.status).toBe(302);
    expect(outcome.location.startsWith(`${h.config.urlsConsent}?consent_challenge=`)).toBe(true);
    const flow = (await h.stores.flows.findById(flowId))!;
    expect(flow).toMatchObject({ state: 'consent_initialized', subject: 'alice', consentChallenge: challengeOf(outcome, 'consent_challenge') });
    expect(inserts).toHaveBeenCalledTimes(1);
    const session = (await h.stores.loginSessions.findById(flow.loginSessionId!))!;
    expect(session).toMatchObject({ subject: 'alice', remember: true });
    expect(session.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 59 * MINUTE);
    expect(outcome.cookies).toContainEqual({ name: SESSION_COOKIE, value: session.id, maxAgeMs: 3600_000 });
  });

  it('refuses the same verifier a second time and leaves the flow where the first use put it', async () => {
    const { flowId, loginVerifierUrl } = await loggedIn();
    const first = await browser.follow(loginVerifierUrl);
    const inserts = sessionInserts();
    const replay = await browser.follow(loginVerifierUrl);

    expect(queryOf(replay.location)).toMatchObject({ error: 'invalid_request', error_hint: expect.stringContaining('login verifier'), state: 'state-1' });
    expect(inserts).not.toHaveBeenCalled();
    const flow = (await h.stores.flows.findById(flowId))!;
    expect(flow.state).toBe('consent_initialized');
    expect(flow.consentChallenge).toBe(challengeOf(first, 'consent_challenge'));
  });

  it('moves the flow on once when the same verifier arrives twice at once', async () => {
    const { flowId, loginVerifierUrl } = await loggedIn();
    raceTheNextTwoUnitsOfWork();
    const results = await Promise.allSettled([browser.follow(loginVerifierUrl), browser.follow(loginVerifierUrl)]);

    const toConsent = results.filter((r) => r.status === 'fulfilled' && r.value.location.startsWith(h.config.urlsConsent));
    expect(toConsent).toHaveLength(1);
    const challenge = challengeOf((toConsent[0] as PromiseFulfilledResult<AuthorizeOutcome>).value, 'consent_challenge');
    expect((await h.stores.flows.findById(flowId))!.consentChallenge).toBe(challenge);
    expect(h.stores.loginSessions.all()).toHaveLength(1);
  });

  // The loser must not insert the login session the winner inserted (same id, flow.loginSessionId): that
  // failed on the primary key, a server error instead of the used-verifier answer.
  it('answers the loser of two returns at once with invalid_request, not a server error', async () => {
    const { loginVerifierUrl } = await loggedIn();
    raceTheNextTwoUnitsOfWork();
    const outcomes = await Promise.all([browser.follow(loginVerifierUrl), browser.follow(loginVerifierUrl)]);
    expect(outcomes.map((o) => queryOf(o.location).error).filter(Boolean)).toEqual(['invalid_request']);
  });

  it('sends a rejected login to the client with the app\'s error and opens no session', async () => {
    const challenge = challengeOf(await browser.authorize(REQUEST), 'login_challenge');
    const decision = await h.logins.reject(challenge, {});
    const csrf = { ...browser.cookies };
    const outcome = await browser.follow(decision.redirect_to);

    expect(queryOf(outcome.location)).toMatchObject({ error: 'access_denied', state: 'state-1', iss: 'https://issuer.example/' });
    expect(outcome.location.startsWith(`${REDIRECT}?`)).toBe(true);
    expect(h.stores.loginSessions.all()).toEqual([]);
    expect((await h.stores.flows.findById(challenge))!.state).toBe('login_error');
    expect(browser.cookies[csrfCookieName(challenge)]).toBeUndefined();
    browser.cookies = csrf;
    expect(queryOf((await browser.follow(decision.redirect_to)).location).error_hint).toContain('already been used');
  });

  it('forgets an earlier remembered login in this browser when the new one is not to be remembered', async () => {
    await browser.follow((await loggedIn(browser, { remember: true })).loginVerifierUrl);
    expect(browser.cookies[SESSION_COOKIE]).toBeDefined();
    const second = await loggedIn(browser, {}, { ...REQUEST, prompt: 'login' });
    const outcome = await browser.follow(second.loginVerifierUrl);
    expect(outcome.cookies).toContainEqual({ name: SESSION_COOKIE, value: null });
    expect(browser.cookies[SESSION_COOKIE]).toBeUndefined();
  });

  it('answers consent_required to prompt=none when no remembered consent covers the request', async () => {
    await browser.follow((await loggedIn(browser, { remember: true })).loginVerifierUrl);
    const silent = await loggedIn(browser, {}, { ...REQUEST, prompt: 'none' });
    const outcome = await browser.follow(silent.loginVerifierUrl);
    expect(queryOf(outcome.location)).toMatchObject({ error: 'consent_required', state: 'state-1' });
    expect((await h.stores.flows.findById(silent.flowId))!.state).toBe('login_error');
  });
});

describe('the browser binding and lifetime of a verifier', () => {
  it('refuses a verifier from a browser without the flow\'s CSRF cookie, and the right browser can still use it', async () => {
    const { flowId, loginVerifierUrl } = await loggedIn();
    const stranger = new SpecBrowser(h.authorize, h.config);
    const stolen = await stranger.follow(loginVerifierUrl);
    expect(queryOf(stolen.location)).toMatchObject({ error: 'request_forbidden', state: 'state-1' });
    expect((await h.stores.flows.findById(flowId))!.state).toBe('login_unused');

    expect((await browser.follow(loginVerifierUrl)).location.startsWith(h.config.urlsConsent)).toBe(true);
  });

  it('refuses a CSRF cookie with another value, one whose signature failed, and the cookie of another flow', async () => {
    const { flowId, consentVerifierUrl } = await consented();
    const name = csrfCookieName(flowId);
    const other = new SpecBrowser(h.authorize, h.config);
    const otherFlow = await loggedIn(other);
    const cases: Array<Record<string, string>> = [
      { [name]: 'not-the-value' },
      { [name]: '' },
      // The other browser's own cookie, presented under this flow's name.
      { [name]: other.cookies[csrfCookieName(otherFlow.flowId)] },
    ];
    for (const cookies of cases) {
      const forged = new SpecBrowser(h.authorize, h.config);
      forged.cookies = cookies;
      expect(queryOf((await forged.follow(consentVerifierUrl)).location).error).toBe('request_forbidden');
    }
    expect((await h.stores.flows.findById(flowId))!.state).toBe('consent_unused');
  });

  it('refuses a verifier once its flow has expired, and issues no code', async () => {
    const { flowId, consentVerifierUrl } = await consented();
    const inserts = codeInserts();
    const later = Date.now() + h.config.ttlLoginConsentRequest + MINUTE;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    const outcome = await browser.follow(consentVerifierUrl);
    expect(queryOf(outcome.location)).toMatchObject({ error: 'invalid_request', error_hint: expect.stringContaining('expired') });
    expect(inserts).not.toHaveBeenCalled();
    expect((await h.stores.flows.findById(flowId))!.state).toBe('consent_unused');
  });

  it('refuses an expired login verifier', async () => {
    const { loginVerifierUrl } = await loggedIn();
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + h.config.ttlLoginConsentRequest + MINUTE);
    expect(queryOf((await browser.follow(loginVerifierUrl)).location).error_hint).toContain('expired');
    expect(h.stores.loginSessions.all()).toEqual([]);
  });
});

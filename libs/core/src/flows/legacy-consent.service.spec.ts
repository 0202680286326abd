import { ConsentGrant, ConsentRequestService } from './consent-request.service';
import { credentialMatches, FlowCredential } from './flow-credentials';
import { FlowDecision } from './flow-decision';
import { Flow, FlowError } from './flow.model';
import { LegacyConsentService } from './legacy-consent.service';

const FLOW_ID = 'flowidflowidflowid';

function flow(challenge: string, state: Flow['state'] = 'consent_initialized'): Flow {
  return {
    id: FLOW_ID, state, clientId: 'client-1', subject: 'alice', loginSessionId: null, csrf: 'x', loginVerifier: null,
    consentChallenge: challenge, consentVerifier: null,
    request: { requestUrl: 'https://issuer.example/oauth2/auth?client_id=client-1&state=s1', redirectUri: 'https://rp.example/cb', redirectUriGiven: true,
      responseType: 'code', scopes: ['openid', 'email'], audience: [], prompt: [], acrValues: [], uiLocales: [] },
    login: null, consent: null, consentSkip: false, requestedAt: new Date(), expiresAt: new Date(Date.now() + 60_000),
    granted: false, remember: false, rememberUntil: null,
  };
}

/** A consent request service that records what the legacy service decided, with which verifier. */
function recordingConsents(current: Flow) {
  const decided: Array<{ grant?: ConsentGrant; error?: FlowError; verifier: FlowCredential }> = [];
  const decision: FlowDecision = { redirect_to: 'next', alreadyHandled: false };
  const consents = {
    find: async () => current,
    handled: (f: Flow) => ({ redirect_to: `handled:${f.id}`, alreadyHandled: true }),
    grant: async (_f: Flow, grant: ConsentGrant, verifier: FlowCredential) => (decided.push({ grant, verifier }), decision),
    refuse: async (_f: Flow, error: FlowError, verifier: FlowCredential) => (decided.push({ error, verifier }), decision),
  } as unknown as ConsentRequestService;
  return { consents, decided };
}

describe('LegacyConsentService (Hydra v0 consent requests)', () => {
  const secrets = ['legacy-spec-system-secret-0123'];

  it('answers v0\'s shape, and its redirectUrl carries the verifier the decision will require', async () => {
    const pending = flow(`${FLOW_ID}.challenge-one`);
    const { consents, decided } = recordingConsents(pending);
    const service = new LegacyConsentService(consents, secrets);
    const request = (await service.get(pending.consentChallenge!)) as Record<string, unknown>;
    expect(request).toEqual({
      id: pending.consentChallenge,
      requestedScopes: ['openid', 'email'],
      clientId: 'client-1',
      redirectUrl: expect.stringMatching(/^https:\/\/issuer\.example\/oauth2\/auth\?client_id=client-1&state=s1&consent_verifier=/),
      expiresAt: pending.expiresAt.toISOString(),
    });
    const verifier = new URL(request.redirectUrl as string).searchParams.get('consent_verifier')!;
    await service.accept(pending.consentChallenge!, { grantScopes: ['openid'] });
    expect(decided[0].verifier.value).toBe(verifier);
    expect(credentialMatches(verifier, decided[0].verifier.hash)).toBe(true);
  });

  it('grants exactly grantScopes, with accessTokenExtra and idTokenExtra as the tokens\' claims', async () => {
    const { consents, decided } = recordingConsents(flow(`${FLOW_ID}.c`));
    await new LegacyConsentService(consents, secrets).accept('c', {
      subject: 'alice', grantScopes: ['openid', 'openid'], accessTokenExtra: { tenant: 't1' }, idTokenExtra: { name: 'Alice' },
    });
    expect(decided[0].grant).toEqual({
      grantScope: ['openid'], grantAudience: [], remember: false, rememberFor: 0,
      accessTokenClaims: { tenant: 't1' }, idTokenClaims: { name: 'Alice' }, context: {},
    });
  });

  it('refuses a subject other than the one who logged in', async () => {
    const { consents, decided } = recordingConsents(flow(`${FLOW_ID}.c`));
    await expect(new LegacyConsentService(consents, secrets).accept('c', { subject: 'mallory' })).rejects.toMatchObject({ error: 'invalid_request', statusCode: 400 });
    expect(decided).toEqual([]);
  });

  it('rejects with access_denied, described by the reason', async () => {
    const { consents, decided } = recordingConsents(flow(`${FLOW_ID}.c`));
    await new LegacyConsentService(consents, secrets).reject('c', { reason: 'The user said no.' });
    expect(decided[0].error).toMatchObject({ error: 'access_denied', errorDescription: 'The user said no.' });
  });

  it('derives a different verifier for every challenge and every system secret', async () => {
    const verifierOf = async (challenge: string, secret: string) => {
      const { consents } = recordingConsents(flow(challenge));
      const request = (await new LegacyConsentService(consents, [secret]).get(challenge)) as { redirectUrl: string };
      return new URL(request.redirectUrl).searchParams.get('consent_verifier');
    };
    const one = await verifierOf(`${FLOW_ID}.one`, secrets[0]);
    expect(await verifierOf(`${FLOW_ID}.one`, secrets[0])).toBe(one);
    expect(await verifierOf(`${FLOW_ID}.two`, secrets[0])).not.toBe(one);
    expect(await verifierOf(`${FLOW_ID}.one`, 'another-system-secret-987654')).not.toBe(one);
  });

  it('answers 410 for a request decided before', async () => {
    const { consents } = recordingConsents(flow(`${FLOW_ID}.c`, 'consent_unused'));
    expect(await new LegacyConsentService(consents, secrets).get('c')).toEqual({ redirect_to: `handled:${FLOW_ID}`, alreadyHandled: true });
  });
});

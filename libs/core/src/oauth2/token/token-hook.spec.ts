import { loadConfig } from '../../config/config.loader';
import { OutboundFetchError } from '../../http/outbound/outbound-fetch.error';
import { OutboundHttpClient, OutboundRequest, OutboundResponse } from '../../http/outbound/outbound-http.client';
import { TokenHook, TokenHookRequest } from './token-hook';
import { refusal } from '../../testing/refusal';

const HOOK = 'http://hooks.internal/token';

/** An outbound client that answers from a script and keeps what it was sent. */
function scriptedClient(answers: Array<OutboundResponse | OutboundFetchError>) {
  const sent: Array<{ url: string; request: OutboundRequest }> = [];
  const client = {
    async request(url: string, request: OutboundRequest): Promise<OutboundResponse> {
      sent.push({ url, request });
      const next = answers.shift();
      if (!next) throw new Error('the script has no more answers');
      if (next instanceof OutboundFetchError) throw next;
      return next;
    },
  } as unknown as OutboundHttpClient;
  return { client, sent };
}

const answer = (status: number, body?: unknown): OutboundResponse => ({
  status,
  headers: {},
  body: Buffer.from(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)),
});

function hookWith(answers: Array<OutboundResponse | OutboundFetchError>, env: Record<string, string> = { OAUTH2_TOKEN_HOOK: HOOK }) {
  const config = loadConfig({ env: { SECRETS_SYSTEM: 'token-hook-spec-secret-0123456789', ...env } });
  const { client, sent } = scriptedClient(answers);
  return { hook: new TokenHook(config, client), sent };
}

const request: TokenHookRequest = {
  grantType: 'authorization_code',
  clientId: 'app',
  subject: 'alice',
  requestedScopes: ['openid', 'offline_access', 'profile'],
  grantedScopes: ['openid', 'offline_access'],
  requestedAudience: ['https://api.example/'],
  grantedAudience: ['https://api.example/'],
  params: { grant_type: 'authorization_code', code: 'hy_ac_secret', code_verifier: 'verifier', redirect_uri: 'https://app/cb', client_secret: 's3cret', scope: 'openid' },
  accessTokenClaims: { tier: 'gold' },
  idTokenClaims: { email: 'alice@example.com' },
  consentChallenge: 'consent-1',
};

describe('TokenHook (Hydra\'s oauth2.token_hook)', () => {
  it('is not called when no hook is configured, and keeps the claims', async () => {
    const { hook, sent } = hookWith([], {});
    await expect(hook.claimsFor(request)).resolves.toEqual({ accessTokenClaims: { tier: 'gold' }, idTokenClaims: { email: 'alice@example.com' } });
    expect(sent).toEqual([]);
  });

  it('POSTs Hydra\'s body as JSON: the session about to be issued, the request, and only the harmless form fields', async () => {
    const { hook, sent } = hookWith([answer(204)]);
    await hook.claimsFor(request);
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toBe(HOOK);
    expect(sent[0].request).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } });
    const body = JSON.parse(sent[0].request.body!);
    expect(body.session).toMatchObject({
      id_token: { id_token_claims: { sub: 'alice', ext: { email: 'alice@example.com' } }, subject: 'alice' },
      extra: { tier: 'gold' },
      client_id: 'app',
      consent_challenge: 'consent-1',
    });
    expect(body.request).toEqual({
      client_id: 'app',
      requested_scopes: ['openid', 'offline_access', 'profile'],
      granted_scopes: ['openid', 'offline_access'],
      requested_audience: ['https://api.example/'],
      granted_audience: ['https://api.example/'],
      grant_types: ['authorization_code'],
      payload: { grant_type: ['authorization_code'], scope: ['openid'] },
    });
    expect(sent[0].request.body).not.toMatch(/hy_ac_secret|verifier|s3cret|redirect_uri/);
  });

  it('issues the claims a 200 answers: the access token\'s ext and the ID token\'s', async () => {
    const { hook } = hookWith([answer(200, { session: { access_token: { tier: 'platinum' }, id_token: { role: 'admin' } } })]);
    await expect(hook.claimsFor(request)).resolves.toEqual({ accessTokenClaims: { tier: 'platinum' }, idTokenClaims: { role: 'admin' } });
  });

  it('keeps the claims a 200 leaves out, and adds no ID token claims when no ID token is issued', async () => {
    const { hook } = hookWith([answer(200, { session: { id_token: { role: 'admin' } } })]);
    await expect(hook.claimsFor({ ...request, idTokenClaims: undefined })).resolves.toEqual({ accessTokenClaims: { tier: 'gold' }, idTokenClaims: undefined });
  });

  it('refuses the token request with access_denied on a 403', async () => {
    const { hook } = hookWith([answer(403, { error: 'no' })]);
    const thrown = await refusal(hook.claimsFor(request));
    expect([thrown.error, thrown.statusCode]).toEqual(['access_denied', 403]);
  });

  it('answers server_error for any other status or a 200 that is not JSON, without trying again', async () => {
    for (const bad of [answer(400), answer(401), answer(200, 'not json')]) {
      const { hook, sent } = hookWith([bad, answer(204)]);
      const thrown = await refusal(hook.claimsFor(request));
      expect([thrown.error, thrown.statusCode]).toEqual(['server_error', 500]);
      expect(sent).toHaveLength(1);
    }
  });

  it('tries a 5xx or a connection error twice more (OAUTH2_TOKEN_HOOK_RETRIES), then answers server_error', async () => {
    const recovered = hookWith([answer(503), new OutboundFetchError('ECONNREFUSED'), answer(204)]);
    await expect(recovered.hook.claimsFor(request)).resolves.toMatchObject({ accessTokenClaims: { tier: 'gold' } });
    expect(recovered.sent).toHaveLength(3);
    const failing = hookWith([answer(500), answer(502), answer(500), answer(204)]);
    expect((await refusal(failing.hook.claimsFor(request))).error).toBe('server_error');
    expect(failing.sent).toHaveLength(3);
  });

  it('does not try a timed-out call again', async () => {
    const { hook, sent } = hookWith([new OutboundFetchError('no complete answer within 5000 ms', true), answer(204)]);
    expect((await refusal(hook.claimsFor(request))).error).toBe('server_error');
    expect(sent).toHaveLength(1);
  });

  it('sends the API key in a header or a cookie, from either form of the configuration', async () => {
    const key = { OAUTH2_TOKEN_HOOK_AUTH_TYPE: 'api_key', OAUTH2_TOKEN_HOOK_AUTH_CONFIG_NAME: 'X-Hook-Key', OAUTH2_TOKEN_HOOK_AUTH_CONFIG_VALUE: 'k3y' };
    const inHeader = hookWith([answer(204)], { OAUTH2_TOKEN_HOOK_URL: HOOK, ...key });
    await inHeader.hook.claimsFor(request);
    expect(inHeader.sent[0].request.headers).toMatchObject({ 'x-hook-key': 'k3y' });
    const inCookie = hookWith([answer(204)], { OAUTH2_TOKEN_HOOK_URL: HOOK, ...key, OAUTH2_TOKEN_HOOK_AUTH_CONFIG_IN: 'cookie' });
    await inCookie.hook.claimsFor(request);
    expect(inCookie.sent[0].request.headers).toMatchObject({ cookie: 'X-Hook-Key=k3y' });
  });
});

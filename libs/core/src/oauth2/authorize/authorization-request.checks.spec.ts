import { specClient, specConfig } from '../../testing/flow-spec.fixtures';
import { OAuth2Error } from '../../errors';
import { checkAuthorizationRequest, checkMaxAge, checkPkce, checkPrompt, checkResponseType, checkScope } from './authorization-request.checks';
import { AuthorizeTarget } from './authorize-target';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const config = specConfig();
const confidential: AuthorizeTarget = { client: specClient('rp'), redirectUri: 'https://rp.example/cb', redirectUriGiven: true };
const publicClient: AuthorizeTarget = {
  client: specClient('spa', { token_endpoint_auth_method: 'none' }),
  redirectUri: 'https://spa.example/cb',
  redirectUriGiven: true,
};

/** The error `check` throws; fails when it throws nothing. */
function refusal(check: () => unknown): OAuth2Error {
  try {
    check();
  } catch (e) {
    expect(e).toBeInstanceOf(OAuth2Error);
    return e as OAuth2Error;
  }
  throw new Error('expected the check to refuse');
}

describe('the checks of a new authorization request', () => {
  describe('response_type (RFC 6749 §3.1.1)', () => {
    it('accepts "code" from a client registered for the code flow', () => {
      expect(checkResponseType({ response_type: 'code' }, confidential)).toBe('code');
    });

    it('answers invalid_request when it is missing, and unsupported_response_type for anything but "code"', () => {
      expect(refusal(() => checkResponseType({}, confidential)).error).toBe('invalid_request');
      for (const type of ['token', 'id_token', 'code id_token', 'CODE']) {
        expect(refusal(() => checkResponseType({ response_type: type }, confidential)).error).toBe('unsupported_response_type');
      }
    });

    it('answers unauthorized_client when the client did not register the code response type or grant', () => {
      const noCode = { ...confidential, client: specClient('m2m', { response_types: [] }) };
      const noGrant = { ...confidential, client: specClient('m2m', { grant_types: ['client_credentials'] }) };
      expect(refusal(() => checkResponseType({ response_type: 'code' }, noCode)).error).toBe('unauthorized_client');
      expect(refusal(() => checkResponseType({ response_type: 'code' }, noGrant)).error).toBe('unauthorized_client');
    });

    it('refuses every response_mode but "query"', () => {
      expect(checkResponseType({ response_type: 'code', response_mode: 'query' }, confidential)).toBe('code');
      for (const mode of ['fragment', 'form_post']) {
        expect(refusal(() => checkResponseType({ response_type: 'code', response_mode: mode }, confidential)).error).toBe('invalid_request');
      }
    });
  });

  describe('PKCE (RFC 7636, OAuth 2.1)', () => {
    it('keeps an S256 challenge', () => {
      expect(checkPkce({ code_challenge: CHALLENGE, code_challenge_method: 'S256' }, publicClient, config)).toEqual({
        codeChallenge: CHALLENGE,
        codeChallengeMethod: 'S256',
      });
    });

    it('refuses the plain method and a challenge without a method', () => {
      const plain = refusal(() => checkPkce({ code_challenge: CHALLENGE, code_challenge_method: 'plain' }, publicClient, config));
      expect(plain).toMatchObject({ error: 'invalid_request', hint: expect.stringContaining('S256') });
      expect(refusal(() => checkPkce({ code_challenge: CHALLENGE }, publicClient, config)).error).toBe('invalid_request');
    });

    it('refuses a method without a challenge, and a challenge that is too short, too long or outside the alphabet', () => {
      expect(refusal(() => checkPkce({ code_challenge_method: 'S256' }, confidential, config)).error).toBe('invalid_request');
      for (const bad of [CHALLENGE.slice(1), 'a'.repeat(129), `${CHALLENGE.slice(1)}+`, `${CHALLENGE.slice(1)}=`]) {
        expect(refusal(() => checkPkce({ code_challenge: bad, code_challenge_method: 'S256' }, confidential, config)).error).toBe('invalid_request');
      }
      expect(checkPkce({ code_challenge: 'a'.repeat(128), code_challenge_method: 'S256' }, confidential, config).codeChallenge).toHaveLength(128);
    });

    it('requires it of public clients by default, not of confidential ones', () => {
      expect(refusal(() => checkPkce({}, publicClient, config)).hint).toContain('must use PKCE');
      expect(checkPkce({}, confidential, config)).toEqual({});
    });

    it('requires it of every client with OAUTH2_PKCE_ENFORCED, and of none with both switches off', () => {
      const enforced = specConfig({ OAUTH2_PKCE_ENFORCED: 'true' });
      expect(refusal(() => checkPkce({}, confidential, enforced)).error).toBe('invalid_request');
      const off = specConfig({ OAUTH2_PKCE_ENFORCED_FOR_PUBLIC_CLIENTS: 'false' });
      expect(checkPkce({}, publicClient, off)).toEqual({});
    });
  });

  describe('scope (RFC 6749 §3.3)', () => {
    it('keeps the scopes the client may request, in order', () => {
      expect(checkScope({ scope: 'openid email' }, confidential, config)).toEqual(['openid', 'email']);
      expect(checkScope({}, confidential, config)).toEqual([]);
    });

    it('answers invalid_scope naming the first scope the client may not request', () => {
      const error = refusal(() => checkScope({ scope: 'openid admin email' }, confidential, config));
      expect(error).toMatchObject({ error: 'invalid_scope', hint: expect.stringContaining('"admin"') });
    });

    it('follows STRATEGIES_SCOPE: a wildcard grant covers its children only under "wildcard"', () => {
      const target = { ...confidential, client: specClient('rp', { scope: 'photos.*' }) };
      expect(checkScope({ scope: 'photos.read' }, target, specConfig({ STRATEGIES_SCOPE: 'wildcard' }))).toEqual(['photos.read']);
      expect(refusal(() => checkScope({ scope: 'photos.read' }, target, specConfig({ STRATEGIES_SCOPE: 'exact' }))).error).toBe('invalid_scope');
    });
  });

  describe('prompt and max_age (OIDC Core §3.1.2.1)', () => {
    it('keeps known prompt values and refuses unknown ones and "none" combined with another', () => {
      expect(checkPrompt({ prompt: 'login consent' })).toEqual(['login', 'consent']);
      expect(refusal(() => checkPrompt({ prompt: 'login sometimes' })).error).toBe('invalid_request');
      expect(refusal(() => checkPrompt({ prompt: 'none login' })).hint).toContain('"none"');
    });

    it('keeps max_age as seconds, zero included, and refuses anything but a non-negative integer', () => {
      expect(checkMaxAge({ max_age: '0' })).toBe(0);
      expect(checkMaxAge({ max_age: '3600' })).toBe(3600);
      expect(checkMaxAge({})).toBeUndefined();
      for (const bad of ['-1', '1.5', '1e3', ' 60', '', '12345678901']) expect(refusal(() => checkMaxAge({ max_age: bad })).error).toBe('invalid_request');
    });
  });

  describe('the request as kept for the flow', () => {
    it('carries state, nonce, the redirect URI as resolved and every other kept parameter', () => {
      const request = checkAuthorizationRequest(
        {
          response_type: 'code', scope: 'openid', state: 'xyz', nonce: 'n-0S6', prompt: 'login', max_age: '60',
          acr_values: 'a b', ui_locales: 'de en', display: 'page', login_hint: 'alice', code_challenge: CHALLENGE, code_challenge_method: 'S256',
        },
        { ...confidential, redirectUriGiven: false },
        config,
        'https://issuer.example/oauth2/auth?x',
      );
      expect(request).toEqual({
        requestUrl: 'https://issuer.example/oauth2/auth?x', redirectUri: 'https://rp.example/cb', redirectUriGiven: false, responseType: 'code',
        scopes: ['openid'], audience: [], state: 'xyz', nonce: 'n-0S6', codeChallenge: CHALLENGE, codeChallengeMethod: 'S256', prompt: ['login'],
        maxAge: 60, acrValues: ['a', 'b'], uiLocales: ['de', 'en'], display: 'page', loginHint: 'alice',
      });
    });

    it('refuses request objects with the OIDC error codes, before any other check', () => {
      const base = { scope: 'not-allowed' };
      expect(refusal(() => checkAuthorizationRequest({ ...base, request: 'eyJ' }, confidential, config, 'u')).error).toBe('request_not_supported');
      expect(refusal(() => checkAuthorizationRequest({ ...base, request_uri: 'https://x' }, confidential, config, 'u')).error).toBe('request_uri_not_supported');
      expect(refusal(() => checkAuthorizationRequest({ ...base, registration: '{}' }, confidential, config, 'u')).error).toBe('registration_not_supported');
    });

    it('refuses an audience the client did not register', () => {
      const target = { ...confidential, client: specClient('rp', { audience: ['https://api.example'] }) };
      expect(checkAuthorizationRequest({ response_type: 'code', audience: 'https://api.example' }, target, config, 'u').audience).toEqual(['https://api.example']);
      expect(refusal(() => checkAuthorizationRequest({ response_type: 'code', audience: 'https://evil.example' }, target, config, 'u')).error).toBe('invalid_request');
    });
  });
});

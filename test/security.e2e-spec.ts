import { randomUUID } from 'node:crypto';
import {
  authorizationUrl,
  Browser,
  codeRequest,
  createClient,
  FlowServer,
  Hop,
  introspect,
  pkce,
  random,
  startFlowServer,
  tokenRequest,
} from './support/browser-flow';

/**
 * Issue 15's rows that concern the browser flow and the machine endpoints' input, each reproduced as an
 * attacker sent it (every test here failed on the code before the fix). The outbound calls, registration,
 * authentication limits and faults have their own `security-*` specs; the system secret is in
 * cli.e2e-spec.ts, where the built command line runs.
 */

const REDIRECT = 'https://rp.example/callback';
const LOGGED_OUT = 'https://rp.example/logged-out';
const DEFAULT_POST_LOGOUT = 'http://logout.test/signed-out';
const API = 'https://api.example.com';

describe('security: the browser flow and form input (issue 15)', () => {
  let env: FlowServer;
  beforeAll(async () => {
    env = await startFlowServer({ URLS_LOGOUT: 'http://logout.test/logout', URLS_POST_LOGOUT_REDIRECT: DEFAULT_POST_LOGOUT });
  });
  afterAll(() => env.close());

  async function codeClient(): Promise<{ id: string; secret: string }> {
    const created = await createClient(env.adminUrl, {
      client_id: `sec-${randomUUID()}`,
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      scope: 'openid offline_access email profile',
      audience: [API],
      redirect_uris: [REDIRECT],
      post_logout_redirect_uris: [LOGGED_OUT],
    });
    return { id: created.client_id, secret: created.client_secret! };
  }

  /** A 4xx page of Hydrant's own: nobody is redirected. */
  function expectErrorPage(hop: Hop, status = 400): void {
    expect({ status: hop.status, location: hop.location?.href }).toEqual({ status, location: undefined });
  }

  /** The login challenge an authorization request reaches, as the login app receives it. */
  async function toLogin(browser: Browser, url: URL): Promise<string> {
    const landing = await env.driver.visit(browser, url);
    if (landing.at !== 'login') throw new Error(`expected the login app, got ${landing.at}`);
    return landing.challenge;
  }

  it('row 4: a post_logout_redirect_uri is followed only with an id_token_hint, never for a bare client_id', async () => {
    const client = await codeClient();
    const browser = new Browser();
    const { url, verifier } = codeRequest(env.publicUrl, client.id, REDIRECT);
    const result = await env.driver.run(browser, url, { login: { accept: { subject: 'victim', remember: true, remember_for: 3600 } } });
    const tokens = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code: result.params.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier }, client);
    expect(tokens.status).toBe(200);
    const logout = (params: Record<string, string>) => new Browser().get(`${env.publicUrl}/oauth2/sessions/logout?${new URLSearchParams(params)}`);

    // Anyone can name a client_id (with registration open, register one with any URI): no redirect there.
    const byClientId = await logout({ client_id: client.id, post_logout_redirect_uri: LOGGED_OUT, state: 'evil' });
    expect(byClientId.status).toBe(302);
    expect(byClientId.location!.href).toBe(DEFAULT_POST_LOGOUT);
    const bare = await logout({ post_logout_redirect_uri: LOGGED_OUT, state: 'evil' });
    expect(bare.location!.href).toBe(DEFAULT_POST_LOGOUT);

    // With the client's ID token as proof, its registered URI, with the state.
    const hinted = await logout({ id_token_hint: tokens.body.id_token, post_logout_redirect_uri: LOGGED_OUT, state: 'ok' });
    expect(hinted.location!.href).toBe(`${LOGGED_OUT}?state=ok`);
    // And still only a registered one.
    expectErrorPage(await logout({ id_token_hint: tokens.body.id_token, post_logout_redirect_uri: 'https://evil.example/' }));
  });

  it('row 5: free-text authorization parameters are bounded, so an anonymous request cannot grow a flow row at will', async () => {
    const client = await codeClient();
    const base = () => ({ response_type: 'code', client_id: client.id, redirect_uri: REDIRECT, scope: 'openid', code_challenge: pkce().challenge, code_challenge_method: 'S256' });
    const caps: Array<[string, number]> = [['state', 2048], ['nonce', 512], ['login_hint', 1024], ['acr_values', 512], ['ui_locales', 256], ['claims', 4096], ['scope', 2048]];
    for (const [name, cap] of caps) {
      const hop = await new Browser().get(authorizationUrl(env.publicUrl, { ...base(), [name]: 'x'.repeat(cap + 1) }));
      expectErrorPage(hop);
      expect(hop.body).toContain(`The &quot;${name}&quot; parameter is longer than ${cap} characters.`);
    }
    // At the caps the request goes on to the login app.
    await toLogin(new Browser(), authorizationUrl(env.publicUrl, { ...base(), state: 's'.repeat(2048), nonce: 'n'.repeat(512), login_hint: 'h'.repeat(1024) }));
    // A POST carries no more than a GET could: 16 KB of parameters in all, whatever their names.
    expectErrorPage(await new Browser().postForm(`${env.publicUrl}/oauth2/auth`, { ...base(), padding: 'p'.repeat(16_384) }));
    // First-party consent runs the same check.
    const consent = await fetch(`${env.adminUrl}/admin/oauth2/authorize/consent?subject=alice`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...base(), state: 'x'.repeat(2049) }),
    });
    expect(consent.status).toBe(400);
  });

  it('row 8: a consent cannot widen the grant beyond what was requested and what the client may have', async () => {
    const client = await codeClient();
    const browser = new Browser();
    const { url, verifier } = codeRequest(env.publicUrl, client.id, REDIRECT, { scope: 'openid email' });
    const result = await env.driver.run(browser, url, {
      login: { accept: { subject: 'wide' } },
      // profile: the client's, but not requested; admin: neither; the audience was never requested.
      consent: { accept: { grant_scope: ['openid', 'email', 'profile', 'admin'], grant_access_token_audience: [API, 'https://internal-api.example'] } },
    });
    expect(result.params.get('scope')).toBe('openid email');
    const tokens = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code: result.params.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier }, client);
    expect(tokens.status).toBe(200);
    expect(tokens.body.scope).toBe('openid email');
    expect(await introspect(env.adminUrl, tokens.body.access_token)).toMatchObject({ active: true, scope: 'openid email', aud: [] });
  });

  it('row 8: a refresh checks the grant again against what the client may have now', async () => {
    const client = await codeClient();
    const { url, verifier } = codeRequest(env.publicUrl, client.id, REDIRECT, { scope: 'openid offline_access email', audience: API });
    const result = await env.driver.run(new Browser(), url, { login: { accept: { subject: 'narrowed' } } });
    const tokens = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code: result.params.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier }, client);
    expect(tokens.body.scope).toBe('openid offline_access email');
    const refresh = (token: string) => tokenRequest(env.publicUrl, { grant_type: 'refresh_token', refresh_token: token }, client);
    const first = await refresh(tokens.body.refresh_token);
    expect(first.status).toBe(200);

    // The operator takes `email` away from the client: its refresh tokens no longer mint it.
    const patched = await fetch(`${env.adminUrl}/admin/clients/${encodeURIComponent(client.id)}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ op: 'replace', path: '/scope', value: 'openid offline_access profile' }]),
    });
    expect(patched.status).toBe(200);
    const refused = await refresh(first.body.refresh_token);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_scope');
  });

  it('row 9: the token endpoint and introspection parse at most 1,000 form keys and answer 413 beyond', async () => {
    const client = await codeClient();
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=${random()}`).join('&');
    const basic = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
    const post = (url: string, body: string, headers: Record<string, string> = {}) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
    const refused = await post(`${env.publicUrl}/oauth2/token`, `grant_type=client_credentials&${keys(1000)}`, { authorization: basic });
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { error: string }).error).toBe('request_too_large');
    expect((await post(`${env.publicUrl}/oauth2/token`, `grant_type=client_credentials&${keys(998)}`, { authorization: basic })).status).toBe(200);
    expect((await post(`${env.adminUrl}/admin/oauth2/introspect`, `token=x&${keys(1000)}`)).status).toBe(413);
    expect((await post(`${env.publicUrl}/oauth2/revoke`, `token=x&${keys(1000)}`, { authorization: basic })).status).toBe(413);
  });
});

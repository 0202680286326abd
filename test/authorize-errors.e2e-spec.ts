import { randomUUID } from 'node:crypto';
import {
  authorizationUrl,
  Browser,
  createClient,
  FlowServer,
  Hop,
  LOGIN_URL,
  pkce,
  random,
  startFlowServer,
  tokenRequest,
} from './support/browser-flow';

/**
 * Malformed and hostile requests to the authorization and token endpoints. Until the client and its
 * redirect_uri are known to be good, Hydrant answers an error page itself and never redirects (RFC 6749
 * §4.1.2.1, an open redirector otherwise); after that, errors go to the client's redirect_uri with
 * `state` and `iss` (RFC 9207). Never a 500, never a redirect anywhere else.
 */

const REDIRECT = 'https://rp.example/callback';

describe('hostile and malformed authorization and token requests', () => {
  let env: FlowServer;

  beforeAll(async () => {
    env = await startFlowServer();
  });
  afterAll(() => env.close());

  /** A client for the code flow, confidential unless `token_endpoint_auth_method: 'none'` is given. */
  async function codeClient(body: Record<string, unknown> = {}): Promise<{ id: string; secret?: string }> {
    const created = await createClient(env.adminUrl, {
      client_id: `hostile-${randomUUID()}`,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid offline_access email',
      redirect_uris: [REDIRECT],
      ...body,
    });
    return { id: created.client_id, secret: created.client_secret };
  }

  /** The parameters of a good request of `clientId`, with PKCE, some replaced or removed (undefined). */
  function params(clientId: string, overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: random(),
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
      ...overrides,
    };
  }

  /** A raw query (for repeated or oddly encoded parameters) on the authorization endpoint. */
  const rawUrl = (query: string) => new URL(`${env.publicUrl}/oauth2/auth?${query}`);

  /** Whatever happened, no 500 and no redirect except to the registered URI or Hydrant's login page. */
  function expectSafe(hop: Hop): void {
    expect(hop.status).toBeLessThan(500);
    if (hop.location) expect([REDIRECT, LOGIN_URL]).toContain(hop.location.origin + hop.location.pathname);
  }

  /** No 500, and a redirect only to the registered URI, the login page or one of `also` (another client's own URI). */
  function expectSafeAnywhere(hop: Hop, also: string[]): void {
    expect(hop.status).toBeLessThan(500);
    if (hop.location) expect([REDIRECT, LOGIN_URL, ...also]).toContain(hop.location.origin + hop.location.pathname);
  }

  /** Refused by Hydrant itself: a 4xx page, no Location header. */
  function expectErrorPage(hop: Hop, status = 400): void {
    expectSafe(hop);
    expect({ status: hop.status, location: hop.location?.href }).toEqual({ status, location: undefined });
  }

  /** Refused to the client: a redirect to the registered redirect_uri with `error`, `state`, `iss`, no code. */
  function expectErrorRedirect(hop: Hop, error?: string | string[], state?: string): URLSearchParams {
    expectSafe(hop);
    expect([302, 303]).toContain(hop.status);
    const location = hop.location!;
    expect(location.origin + location.pathname).toBe(REDIRECT);
    if (error === undefined) expect(location.searchParams.get('error')).toMatch(/^[\x20-\x7e]+$/);
    else expect(Array.isArray(error) ? error : [error]).toContain(location.searchParams.get('error'));
    if (state !== undefined) expect(location.searchParams.get('state')).toBe(state);
    expect(location.searchParams.get('iss')).toBe(env.issuer);
    expect(location.searchParams.get('code')).toBeNull();
    return location.searchParams;
  }

  /** Accepted: on the way to the login app with a login challenge. */
  function expectLogin(hop: Hop): void {
    expectSafe(hop);
    expect([302, 303]).toContain(hop.status);
    expect(hop.location!.origin + hop.location!.pathname).toBe(LOGIN_URL);
    expect(hop.location!.searchParams.get('login_challenge')).toEqual(expect.any(String));
  }

  const get = (url: URL) => new Browser().get(url);

  describe('before the client and its redirect_uri are known good: an error page, never a redirect', () => {
    it('refuses an unknown or missing client_id, and does not reflect it as markup', async () => {
      const unknown = await get(authorizationUrl(env.publicUrl, params('no-such-client')));
      expectErrorPage(unknown);
      expect(unknown.headers.get('content-type')).toMatch(/text\/html/);

      expectErrorPage(await get(authorizationUrl(env.publicUrl, params('x', { client_id: undefined }))));
      expectErrorPage(await get(authorizationUrl(env.publicUrl, params(''))));

      const xss = await get(authorizationUrl(env.publicUrl, params('<script>alert(1)</script>')));
      expectErrorPage(xss);
      expect(xss.body).not.toContain('<script>alert(1)</script>');
    });

    it('refuses every redirect_uri that is not exactly a registered one', async () => {
      const { id } = await codeClient();
      const hostile = [
        'https://evil.example/callback',
        'https://rp.example/callback/extra',
        'https://rp.example/callbackx',
        'https://rp.example/call',
        'https://rp.example/callback/',
        'https://rp.example:8443/callback',
        'http://rp.example/callback',
        'https://rp.example/callback?next=https://evil.example',
        'https://rp.example/callback#fragment',
        'https://RP.example/callback',
        'https://rp.example/%63allback',
        'https://rp.example@evil.example/callback',
        'https://evil.example/?https://rp.example/callback',
        '//evil.example/callback',
        '/callback',
        'javascript:alert(document.cookie)',
        'data:text/html,<script>alert(1)</script>',
        'https://rp.example/callback\r\nSet-Cookie: injected=1',
        ' https://rp.example/callback',
      ];
      for (const redirectUri of hostile) {
        const hop = await get(authorizationUrl(env.publicUrl, params(id, { redirect_uri: redirectUri })));
        expect({ redirectUri, status: hop.status, location: hop.location?.href }).toEqual({ redirectUri, status: 400, location: undefined });
        expect(hop.headers.getSetCookie().some((c) => c.startsWith('injected'))).toBe(false);
      }
      // The registered one, exactly, works.
      expectLogin(await get(authorizationUrl(env.publicUrl, params(id))));
    });

    it('takes a missing redirect_uri only from a client with exactly one registered', async () => {
      const single = await codeClient();
      expectLogin(await get(authorizationUrl(env.publicUrl, params(single.id, { redirect_uri: undefined }))));
      const double = await codeClient({ redirect_uris: [REDIRECT, 'https://rp.example/other'] });
      expectErrorPage(await get(authorizationUrl(env.publicUrl, params(double.id, { redirect_uri: undefined }))));
    });

    it('refuses a repeated client_id or redirect_uri', async () => {
      const a = await codeClient();
      const b = await codeClient({ redirect_uris: ['https://rp.example/other'] });
      const { challenge } = pkce();
      const rest = `response_type=code&scope=openid&state=s&code_challenge=${challenge}&code_challenge_method=S256`;
      const enc = encodeURIComponent;
      expectErrorPage(await get(rawUrl(`client_id=${enc(a.id)}&client_id=${enc(b.id)}&redirect_uri=${enc(REDIRECT)}&${rest}`)));
      expectErrorPage(await get(rawUrl(`client_id=${enc(a.id)}&client_id=${enc(a.id)}&redirect_uri=${enc(REDIRECT)}&${rest}`)));
      expectErrorPage(await get(rawUrl(`client_id=${enc(a.id)}&redirect_uri=${enc(REDIRECT)}&redirect_uri=${enc('https://evil.example/cb')}&${rest}`)));
      expectErrorPage(await get(rawUrl(`client_id=${enc(a.id)}&redirect_uri=${enc('https://evil.example/cb')}&redirect_uri=${enc(REDIRECT)}&${rest}`)));
    });

    it('refuses NUL, control characters and huge values without a 500', async () => {
      const { id } = await codeClient();
      const enc = encodeURIComponent;
      const good = (extra: string) => `response_type=code&scope=openid&state=s&code_challenge=${pkce().challenge}&code_challenge_method=S256&${extra}`;
      for (const query of [
        good(`client_id=${enc(id)}%00&redirect_uri=${enc(REDIRECT)}`),
        good(`client_id=${enc(id)}&redirect_uri=${enc(REDIRECT)}%00`),
        good(`client_id=%01%02%7f${enc(id)}&redirect_uri=${enc(REDIRECT)}`),
        good(`client_id=${enc(id)}&redirect_uri=${enc(REDIRECT)}%0d%0aLocation:%20https://evil.example`),
        good(`client_id=${'a'.repeat(8000)}&redirect_uri=${enc(REDIRECT)}`),
        good(`client_id=${enc(id)}&redirect_uri=${enc(`${REDIRECT}?${'a'.repeat(8000)}`)}`),
        good(`client_id=%ff%fe&redirect_uri=${enc(REDIRECT)}`),
        good(`client_id=${enc(id)}%&redirect_uri=${enc(REDIRECT)}`),
      ]) {
        const hop = await get(rawUrl(query));
        expect({ query: query.slice(0, 120), status: hop.status, location: hop.location?.href }).toEqual({ query: query.slice(0, 120), status: 400, location: undefined });
      }
      // Undecodable percent-escapes in a parameter nobody reads: ignored like any unknown parameter.
      expectSafe(await get(rawUrl(good(`client_id=${enc(id)}&redirect_uri=${enc(REDIRECT)}&%=%%&x=%zz`))));
      // A request line beyond what the server reads at all: refused by the HTTP layer, not a crash.
      const huge = await get(rawUrl(good(`client_id=${enc(id)}&redirect_uri=${enc(REDIRECT)}&junk=${'x'.repeat(100_000)}`)));
      expectSafe(huge);
      expect([400, 413, 414, 431]).toContain(huge.status);
    });
  });

  describe('after the client and redirect_uri are validated: the error goes to the client', () => {
    it('answers unsupported_response_type for anything but code', async () => {
      const { id } = await codeClient();
      for (const responseType of ['token', 'id_token', 'code id_token', 'code token', 'id_token token', 'none', 'unknown', 'CODE']) {
        const state = random();
        const hop = await get(authorizationUrl(env.publicUrl, params(id, { response_type: responseType, state })));
        // The error goes in the query: the response type that would have asked for a fragment was refused.
        expectErrorRedirect(hop, 'unsupported_response_type', state);
        expect(hop.location!.hash).toBe('');
      }
      const state = random();
      expectErrorRedirect(await get(authorizationUrl(env.publicUrl, params(id, { response_type: undefined, state }))), ['invalid_request', 'unsupported_response_type'], state);
      expectErrorRedirect(await get(authorizationUrl(env.publicUrl, params(id, { response_type: '', state }))), ['invalid_request', 'unsupported_response_type'], state);
    });

    it('answers invalid_scope for a scope the client may not ask for', async () => {
      const { id } = await codeClient();
      for (const scope of ['openid admin', 'admin', 'openid email.write', 'openid ' + 'x'.repeat(2000)]) {
        const state = random();
        expectErrorRedirect(await get(authorizationUrl(env.publicUrl, params(id, { scope, state }))), 'invalid_scope', state);
      }
    });

    it('answers invalid_request for an audience the client may not ask for, or an id_token_hint that is no ID token of this issuer', async () => {
      const { id } = await codeClient({ audience: ['https://api.example.com'] });
      expectLogin(await get(authorizationUrl(env.publicUrl, params(id, { audience: 'https://api.example.com' }))));
      for (const audience of ['https://evil.example', 'https://api.example.com https://evil.example', 'https://api.example.com.evil.example']) {
        const state = random();
        expectErrorRedirect(await get(authorizationUrl(env.publicUrl, params(id, { audience, state }))), 'invalid_request', state);
      }
      const forged = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"admin","iss":"x"}').toString('base64url')}.`;
      for (const hint of ['garbage', forged]) {
        const state = random();
        expectErrorRedirect(await get(authorizationUrl(env.publicUrl, params(id, { id_token_hint: hint, state }))), 'invalid_request', state);
      }
    });

    it('requires S256 PKCE from a public client, refuses plain and malformed challenges from anyone', async () => {
      const pub = await codeClient({ token_endpoint_auth_method: 'none' });
      const conf = await codeClient();
      const noPkce = { code_challenge: undefined, code_challenge_method: undefined };
      let state = random();
      expectErrorRedirect(await get(authorizationUrl(env.publicUrl, params(pub.id, { ...noPkce, state }))), 'invalid_request', state);
      // A confidential client may go without PKCE (OAUTH2_PKCE_ENFORCED is off by default).
      expectLogin(await get(authorizationUrl(env.publicUrl, params(conf.id, noPkce))));

      const verifier = pkce().verifier;
      const cases: Record<string, string | undefined>[] = [
        { code_challenge: verifier, code_challenge_method: 'plain' },
        { code_challenge: verifier, code_challenge_method: undefined }, // RFC 7636 §4.3: absent means plain
        { code_challenge: pkce().challenge, code_challenge_method: 'S512' },
        { code_challenge: pkce().challenge, code_challenge_method: 's256' },
        { code_challenge: 'short', code_challenge_method: 'S256' },
        { code_challenge: `${'!'.repeat(43)}`, code_challenge_method: 'S256' },
        { code_challenge: 'a'.repeat(200), code_challenge_method: 'S256' },
        { code_challenge: undefined, code_challenge_method: 'S256' },
      ];
      for (const pkceParams of cases) {
        for (const clientId of [pub.id, conf.id]) {
          state = random();
          const hop = await get(authorizationUrl(env.publicUrl, params(clientId, { ...pkceParams, state })));
          expect({ pkceParams, error: hop.location?.searchParams.get('error') }).toEqual({ pkceParams, error: 'invalid_request' });
          expectErrorRedirect(hop, 'invalid_request', state);
        }
      }
    });

    it('refuses an unknown prompt value and prompt=none with anything else', async () => {
      const { id } = await codeClient();
      for (const prompt of ['sometimes', 'none login', 'login none', 'none consent', 'none select_account']) {
        const state = random();
        expectErrorRedirect(await get(authorizationUrl(env.publicUrl, params(id, { prompt, state }))), 'invalid_request', state);
      }
      for (const prompt of ['login', 'consent', 'select_account', 'login consent']) {
        expectLogin(await get(authorizationUrl(env.publicUrl, params(id, { prompt }))));
      }
    });

    it('refuses repeated parameters (RFC 6749 §3.1) with invalid_request', async () => {
      const { id } = await codeClient();
      const enc = encodeURIComponent;
      const base = `client_id=${enc(id)}&redirect_uri=${enc(REDIRECT)}&code_challenge=${pkce().challenge}&code_challenge_method=S256`;
      for (const query of [
        `${base}&response_type=code&response_type=code&scope=openid&state=s1`,
        `${base}&response_type=code&scope=openid&scope=email&state=s1`,
        `${base}&response_type=code&scope=openid&state=s1&state=s2`,
        `${base}&response_type=code&scope=openid&state=s1&code_challenge=${pkce().challenge}`,
      ]) {
        const hop = await get(rawUrl(query));
        expect({ query, error: hop.location?.searchParams.get('error') }).toEqual({ query, error: 'invalid_request' });
        expectErrorRedirect(hop, 'invalid_request');
      }
    });

    it('keeps state exactly, leaves it out when absent, and never lets it inject headers', async () => {
      const { id } = await codeClient();
      const odd = 'a b&c=d#e/?%25é+😀';
      expectErrorRedirect(await get(authorizationUrl(env.publicUrl, params(id, { scope: 'admin', state: odd }))), 'invalid_scope', odd);
      const stateless = expectErrorRedirect(await get(authorizationUrl(env.publicUrl, params(id, { scope: 'admin', state: undefined }))), 'invalid_scope');
      expect(stateless.has('state')).toBe(false);

      const injection = await get(authorizationUrl(env.publicUrl, params(id, { scope: 'admin', state: 'x\r\nSet-Cookie: injected=1' })));
      expectSafe(injection);
      expect(injection.headers.getSetCookie().some((c) => c.startsWith('injected'))).toBe(false);
      const nul = await get(authorizationUrl(env.publicUrl, params(id, { state: 'x\u0000y' })));
      expectSafe(nul);
      expect(nul.status).toBeGreaterThanOrEqual(300);
      if (nul.location?.origin === new URL(REDIRECT).origin) expect(nul.location.searchParams.get('error')).toEqual(expect.any(String));

      // A long (but sane) state goes through to the login app.
      expectLogin(await get(authorizationUrl(env.publicUrl, params(id, { state: 'z'.repeat(2000) }))));
    });

    it('takes a form POST to /oauth2/auth like a GET, refusing bad ones the same way', async () => {
      const { id } = await codeClient();
      const browser = new Browser();
      const form = params(id) as Record<string, string>;
      const hop = await browser.postForm(`${env.publicUrl}/oauth2/auth`, form);
      expectLogin(hop);
      // One CSRF cookie for the flow: out of scripts' reach, and sent on the cross-site redirects back from
      // the login app (so not SameSite=Strict).
      const csrf = browser.jar.all('hydrant_csrf_');
      expect(csrf).toHaveLength(1);
      expect(csrf[0]).toMatchObject({ httpOnly: true, hostOnly: true });
      expect(['lax', 'none', undefined]).toContain(csrf[0].sameSite);

      expectErrorPage(await new Browser().postForm(`${env.publicUrl}/oauth2/auth`, { ...form, client_id: 'no-such-client' }));
      const state = random();
      expectErrorRedirect(await new Browser().postForm(`${env.publicUrl}/oauth2/auth`, { ...form, response_type: 'token', state }), 'unsupported_response_type', state);

      // A JSON body is not a form: no client can be read from it.
      const json = await fetch(`${env.publicUrl}/oauth2/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(form), redirect: 'manual' });
      expect(json.status).toBe(400);
      expect(json.headers.get('location')).toBeNull();
      // A body beyond the configured limit.
      const big = await fetch(`${env.publicUrl}/oauth2/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...form, state: 'x'.repeat(1_000_000) }).toString(),
        redirect: 'manual',
      });
      expect([400, 413]).toContain(big.status);
      expect(big.headers.get('location')).toBeNull();
    });
  });

  describe('login and consent verifiers', () => {
    /** A flow started in `browser`, its login accepted: the URL that carries the login verifier. */
    async function acceptedLogin(browser: Browser, clientId: string, state = random()): Promise<URL> {
      const landing = await env.driver.visit(browser, authorizationUrl(env.publicUrl, params(clientId, { state })));
      if (landing.at !== 'login') throw new Error(`expected the login app, got ${landing.at}`);
      return env.admin.redirectTo('login', { accept: { subject: 'mallory-target' } }, landing.challenge);
    }

    /** The URL that carries the consent verifier, after login and consent accepted in `browser`. */
    async function acceptedConsent(browser: Browser, clientId: string, state = random()): Promise<URL> {
      const next = await env.driver.visit(browser, await acceptedLogin(browser, clientId, state));
      if (next.at !== 'consent') throw new Error(`expected the consent app, got ${next.at}`);
      return env.admin.redirectTo('consent', { accept: { grant_scope: ['openid'] } }, next.challenge);
    }

    it('refuses garbage verifiers with an error at the client, never a code', async () => {
      const { id } = await codeClient();
      for (const name of ['login_verifier', 'consent_verifier']) {
        for (const value of ['garbage', '', 'a'.repeat(5000), '../../etc/passwd', "' OR 1=1 --"]) {
          const state = random();
          const url = authorizationUrl(env.publicUrl, { ...params(id, { state }), [name]: value });
          const hop = await new Browser().get(url);
          expectSafe(hop);
          // An empty verifier is no verifier: a fresh request, or an error at the client (expectSafe holds).
          if (value === '') continue;
          expect({ name, value: value.slice(0, 20), at: hop.location?.origin + hop.location!.pathname }).toEqual({ name, value: value.slice(0, 20), at: REDIRECT });
          expect(hop.location!.searchParams.get('error')).toEqual(expect.any(String));
          expect(hop.location!.searchParams.get('code')).toBeNull();
          expect(hop.location!.searchParams.get('state')).toBe(state);
        }
      }
    });

    it('accepts a login verifier once and a consent verifier once', async () => {
      const { id } = await codeClient();
      const browser = new Browser();
      const state = random();
      const loginRedirect = await acceptedLogin(browser, id, state);
      const consentLanding = await env.driver.visit(browser, loginRedirect);
      if (consentLanding.at !== 'consent') throw new Error(`expected the consent app, got ${consentLanding.at}`);
      const consentRedirect = await env.admin.redirectTo('consent', { accept: { grant_scope: ['openid'] } }, consentLanding.challenge);
      const done = await env.driver.visit(browser, consentRedirect);
      expect(done.at === 'client' && done.params.get('code')).toEqual(expect.any(String));

      // Each verifier again, in the same browser: an error at the client, never a second code.
      for (const replayed of [consentRedirect, loginRedirect]) {
        const again = await env.driver.visit(browser, replayed);
        expect(again.at).toBe('client');
        expectErrorRedirect(again.hop, undefined, state);
      }
    });

    it('answers request_forbidden to a verifier presented without its flow\'s CSRF cookie', async () => {
      const { id } = await codeClient();
      const state = random();
      // Another browser (no cookie) follows the login redirect.
      const stolen = await acceptedLogin(new Browser(), id, state);
      expectErrorRedirect(await new Browser().get(stolen), 'request_forbidden', state);

      // The same browser with the cookie dropped.
      const browser = new Browser();
      const dropped = await acceptedLogin(browser, id);
      browser.jar.remove((c) => c.name.startsWith('hydrant_csrf_'));
      expectErrorRedirect(await browser.get(dropped), 'request_forbidden');

      // The consent verifier, likewise.
      const consentBrowser = new Browser();
      const consentRedirect = await acceptedConsent(consentBrowser, id);
      expectErrorRedirect(await new Browser().get(consentRedirect), 'request_forbidden');
    });

    it('answers request_forbidden to a verifier presented with another flow\'s cookie', async () => {
      const { id } = await codeClient();
      const victim = new Browser();
      const attacker = new Browser();
      const victimRedirect = await acceptedLogin(victim, id);
      // The attacker has a flow (and a cookie) of its own, and follows the victim's verifier.
      await acceptedLogin(attacker, id);
      expect(attacker.jar.all('hydrant_csrf_')).toHaveLength(1);
      expectErrorRedirect(await attacker.get(victimRedirect), 'request_forbidden');

      // Copying the attacker's cookie under the victim flow's cookie name does not help either.
      const victimCookie = victim.jar.all('hydrant_csrf_')[0];
      const attackerCookie = attacker.jar.all('hydrant_csrf_')[0];
      const forger = new Browser();
      forger.jar.add({ ...attackerCookie, name: victimCookie.name });
      expectErrorRedirect(await forger.get(victimRedirect), 'request_forbidden');
    });

    it('never lets a verifier complete a flow for another client, redirect_uri, scope or state than its own', async () => {
      const victim = await codeClient();
      const attacker = await codeClient({ redirect_uris: ['https://attacker.example/cb'], scope: 'openid offline_access email' });
      const browser = new Browser();
      const state = random();
      const loginRedirect = await acceptedLogin(browser, victim.id, state);

      const tampered = (url: URL, changes: Record<string, string>) => {
        const copy = new URL(url);
        for (const [k, v] of Object.entries(changes)) copy.searchParams.set(k, v);
        return copy;
      };
      // Another client with its own registered redirect_uri: no consent for it, no code to it.
      const swapped = await env.driver.visit(browser, tampered(loginRedirect, { client_id: attacker.id, redirect_uri: 'https://attacker.example/cb' }));
      expect(swapped.at).not.toBe('consent');
      if (swapped.at === 'client') expect(swapped.params.get('code')).toBeNull();
      expectSafeAnywhere(swapped.hop, ['https://attacker.example/cb']);
      // An unregistered redirect_uri: refused on the spot.
      expectErrorPage(await browser.get(tampered(loginRedirect, { redirect_uri: 'https://evil.example/cb' })));

      // The untampered verifier may or may not survive those attempts; a fresh flow checks scope and state.
      const fresh = new Browser();
      const freshState = random();
      const freshLogin = await acceptedLogin(fresh, victim.id, freshState);
      const widened = await env.driver.visit(fresh, tampered(freshLogin, { scope: 'openid offline_access email', state: 'attacker-state' }));
      if (widened.at === 'consent') {
        // Hydrant went on with the flow as it was requested, not as the URL now says.
        const consent = await env.admin.request('consent', widened.challenge);
        expect(consent.requested_scope).toEqual(['openid']);
        const redirect = await env.admin.redirectTo('consent', { accept: { grant_scope: consent.requested_scope } }, widened.challenge);
        const done = await env.driver.visit(fresh, redirect);
        if (done.at !== 'client') throw new Error(`expected the client, got ${done.at}`);
        if (done.params.get('code')) {
          expect(done.params.get('state')).toBe(freshState);
          expect(done.params.get('scope')).toBe('openid');
        }
      } else {
        expect(widened.at).toBe('client');
        if (widened.at === 'client') expect(widened.params.get('code')).toBeNull();
      }

      // The consent verifier, with another client swapped in: no code to the attacker's URI.
      const third = new Browser();
      const consentRedirect = await acceptedConsent(third, victim.id);
      const stolen = await env.driver.visit(third, tampered(consentRedirect, { client_id: attacker.id, redirect_uri: 'https://attacker.example/cb' }));
      if (stolen.at === 'client') expect(stolen.params.get('code')).toBeNull();
      expectSafeAnywhere(stolen.hop, ['https://attacker.example/cb']);
    });

    it('gives one code for a consent verifier followed many times at once', async () => {
      const { id } = await codeClient();
      const browser = new Browser();
      const consentRedirect = await acceptedConsent(browser, id);
      const hops = await Promise.all(Array.from({ length: 6 }, () => browser.get(consentRedirect)));
      hops.forEach(expectSafe);
      expect(hops.filter((h) => h.location?.searchParams.get('code')).length).toBe(1);
    });

    it('keeps two flows of one browser apart (one CSRF cookie each)', async () => {
      const { id } = await codeClient();
      const browser = new Browser();
      const first = await acceptedLogin(browser, id);
      const second = await acceptedLogin(browser, id);
      expect(browser.jar.all('hydrant_csrf_')).toHaveLength(2);
      expect((await env.driver.visit(browser, second)).at).toBe('consent');
      expect((await env.driver.visit(browser, first)).at).toBe('consent');
    });
  });

  describe('the token endpoint', () => {
    it('answers malformed token requests with the RFC 6749 §5.2 error, never a 500', async () => {
      const conf = await codeClient();
      const basic = { id: conf.id, secret: conf.secret! };
      const cases: [Record<string, string>, number, string[]][] = [
        [{}, 400, ['invalid_request']],
        [{ grant_type: 'password', username: 'a', password: 'b' }, 400, ['unsupported_grant_type']],
        [{ grant_type: 'magic' }, 400, ['unsupported_grant_type']],
        [{ grant_type: 'authorization_code', redirect_uri: REDIRECT, code_verifier: pkce().verifier }, 400, ['invalid_request', 'invalid_grant']],
        [{ grant_type: 'authorization_code', code: 'garbage', redirect_uri: REDIRECT, code_verifier: pkce().verifier }, 400, ['invalid_grant']],
        [{ grant_type: 'authorization_code', code: 'hy_ac_' + 'a'.repeat(100_000), redirect_uri: REDIRECT }, 400, ['invalid_grant', 'invalid_request']],
        [{ grant_type: 'authorization_code', code: 'hy_ac_x\u0000y', redirect_uri: REDIRECT }, 400, ['invalid_grant', 'invalid_request']],
        [{ grant_type: 'refresh_token' }, 400, ['invalid_request', 'invalid_grant']],
        [{ grant_type: 'refresh_token', refresh_token: 'hy_rt_garbage.garbage' }, 400, ['invalid_grant']],
      ];
      for (const [form, status, errors] of cases) {
        const res = await tokenRequest(env.publicUrl, form, basic);
        const label = JSON.stringify(form).slice(0, 100);
        expect({ label, status: res.status }).toEqual({ label, status });
        expect(errors).toContain(res.body.error);
        expect(res.headers.get('cache-control')).toContain('no-store');
      }
    });

    it('refuses repeated parameters, two client authentications, a JSON body and a wrong secret', async () => {
      const conf = await codeClient();
      const auth = `Basic ${Buffer.from(`${encodeURIComponent(conf.id)}:${encodeURIComponent(conf.secret!)}`).toString('base64')}`;
      const post = (body: string, headers: Record<string, string> = {}) =>
        fetch(`${env.publicUrl}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth, ...headers }, body });

      const repeated = await post(`grant_type=authorization_code&code=a&code=b&redirect_uri=${encodeURIComponent(REDIRECT)}`);
      expect(repeated.status).toBe(400);
      expect(((await repeated.json()) as { error: string }).error).toBe('invalid_request');

      // RFC 6749 §2.3: one authentication method per request.
      const both = await post(new URLSearchParams({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT, client_id: conf.id, client_secret: conf.secret! }).toString());
      expect([400, 401]).toContain(both.status);
      expect(['invalid_request', 'invalid_client']).toContain(((await both.json()) as { error: string }).error);

      const json = await post(JSON.stringify({ grant_type: 'authorization_code', code: 'x' }), { 'content-type': 'application/json' });
      expect(json.status).toBe(400);
      expect(((await json.json()) as { error: string }).error).toBe('invalid_request');

      const wrong = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT }, { id: conf.id, secret: 'wrong' });
      expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
      const nobody = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT });
      expect(nobody).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    });

    it('refuses a token of one kind presented as another, and answers one redemption of a code raced many times', async () => {
      const conf = await codeClient();
      const basic = { id: conf.id, secret: conf.secret! };
      const { verifier, challenge } = pkce();
      const flow = await env.driver.run(new Browser(), authorizationUrl(env.publicUrl, params(conf.id, { scope: 'openid offline_access', code_challenge: challenge })), {
        login: { accept: { subject: 'racer' } },
      });
      const code = flow.params.get('code')!;
      const redeem = () => tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }, basic);
      const raced = await Promise.all(Array.from({ length: 6 }, redeem));
      expect(raced.every((r) => r.status < 500)).toBe(true);
      const winners = raced.filter((r) => r.status === 200);
      expect(winners).toHaveLength(1);
      expect(raced.filter((r) => r.status === 400).every((r) => r.body.error === 'invalid_grant')).toBe(true);


      // A second grant, untouched by any replay, for the confusion checks.
      const second = pkce();
      const secondFlow = await env.driver.run(new Browser(), authorizationUrl(env.publicUrl, params(conf.id, { scope: 'openid offline_access', code_challenge: second.challenge })), {
        login: { accept: { subject: 'racer' } },
      });
      const issued = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code: secondFlow.params.get('code')!, redirect_uri: REDIRECT, code_verifier: second.verifier }, basic);
      expect(issued.status).toBe(200);
      const { access_token: accessToken, refresh_token: refreshToken } = issued.body;
      for (const [form, label] of [
        [{ grant_type: 'refresh_token', refresh_token: accessToken }, 'an access token as a refresh token'],
        [{ grant_type: 'refresh_token', refresh_token: code }, 'a code as a refresh token'],
        [{ grant_type: 'authorization_code', code: refreshToken, redirect_uri: REDIRECT, code_verifier: second.verifier }, 'a refresh token as a code'],
        [{ grant_type: 'authorization_code', code: accessToken, redirect_uri: REDIRECT, code_verifier: second.verifier }, 'an access token as a code'],
      ] as const) {
        const res = await tokenRequest(env.publicUrl, form, basic);
        expect({ label, status: res.status, error: res.body.error }).toEqual({ label, status: 400, error: 'invalid_grant' });
      }
      // The refresh token as a bearer token is not an access token.
      const userinfo = await fetch(`${env.publicUrl}/userinfo`, { headers: { authorization: `Bearer ${refreshToken}` } });
      expect(userinfo.status).toBe(401);
      // None of that harmed the grant: its refresh token still works.
      const refreshed = await tokenRequest(env.publicUrl, { grant_type: 'refresh_token', refresh_token: refreshToken }, basic);
      expect(refreshed.status).toBe(200);
    });

    it('refuses the code grant to a client not registered for it, and another client\'s refresh token', async () => {
      const ccOnly = await createClient(env.adminUrl, { client_id: `cc-${randomUUID()}`, grant_types: ['client_credentials'] });
      const res = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code: 'garbage', redirect_uri: REDIRECT }, { id: ccOnly.client_id, secret: ccOnly.client_secret! });
      expect(res).toMatchObject({ status: 400, body: { error: 'unauthorized_client' } });

      // A real refresh token, presented by another client.
      const owner = await codeClient({ scope: 'openid offline_access' });
      const thief = await codeClient();
      const { verifier, challenge } = pkce();
      const flow = await env.driver.run(new Browser(), authorizationUrl(env.publicUrl, params(owner.id, { scope: 'openid offline_access', code_challenge: challenge })), {
        login: { accept: { subject: 'victim' } },
      });
      const tokens = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code: flow.params.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier }, { id: owner.id, secret: owner.secret! });
      expect(tokens.status).toBe(200);
      const stolen = await tokenRequest(env.publicUrl, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token }, { id: thief.id, secret: thief.secret! });
      expect(stolen).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      // The owner's refresh token still works.
      const refreshed = await tokenRequest(env.publicUrl, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token }, { id: owner.id, secret: owner.secret! });
      expect(refreshed.status).toBe(200);
    });
  });
});

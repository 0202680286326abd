import { existsSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Configuration, OAuth2Api, OAuth2Client } from '@ory/hydra-client';
import * as client from 'openid-client';
import { Browser, BrowserContext, chromium, Page, Response as PageResponse } from 'playwright-core';
import { DEMO_CLIENT, DEMO_CLIENT_ID, registerDemoClient } from '../apps/example/src/demo-client';
import { ExampleServer, startExampleApp } from '../apps/example/src/example.server';
import { freePort } from './support/built-cli';
import { baseUrl, startTestServer, TestServer } from './support/test-runtime';

/**
 * The example login/consent app (apps/example) in front of Hydrant, driven by a real browser (Debian's
 * Chromium through playwright-core): a user signs in, unticks a scope, is remembered, or says no; a
 * relying party (openid-client) redeems what comes back.
 */

const CHROMIUM = '/usr/bin/chromium';
const SCOPE = 'openid offline_access profile email';

/** The relying party's callback: it only has to answer, the test reads the browser's URL. */
async function startCallbackServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/logo.svg') return res.writeHead(200, { 'Content-Type': 'image/svg+xml' }).end('<svg xmlns="http://www.w3.org/2000/svg"/>');
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('back at the client');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Hydrant, the example app in front of it, the relying party's callback and Chromium, for one describe block. */
interface BrowserSetup {
  server: TestServer;
  example: ExampleServer;
  callback: { url: string; close: () => Promise<void> };
  admin: OAuth2Api;
  issuer: string;
  rp: client.Configuration;
  browser: Browser;
  close: () => Promise<void>;
}

/** Starts everything, with the client `registration` describes (given the callback's and the example app's URLs). */
async function startBrowserSetup(clientId: string, registration: (callbackUrl: string, exampleUrl: string) => Omit<OAuth2Client, 'client_id'>): Promise<BrowserSetup> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`);
  }
  const examplePort = await freePort();
  const exampleUrl = `http://127.0.0.1:${examplePort}`;
  const server = await startTestServer(
    {
      URLS_LOGIN: `${exampleUrl}/login`, URLS_CONSENT: `${exampleUrl}/consent`, URLS_LOGOUT: `${exampleUrl}/logout`, URLS_ERROR: `${exampleUrl}/error`,
      URLS_DEVICE_VERIFICATION: `${exampleUrl}/device`, URLS_DEVICE_SUCCESS: `${exampleUrl}/device/success`, OAUTH2_DEVICE_AUTHORIZATION_TOKEN_POLLING_INTERVAL: '1s',
    },
    { listen: true, issuerIsPublicUrl: true },
  );
  const adminUrl = await baseUrl(server.adminApp);
  const example = await startExampleApp({ port: examplePort, adminUrl });
  const callback = await startCallbackServer();
  const admin = new OAuth2Api(new Configuration({ basePath: adminUrl }));
  await admin.createOAuth2Client({ oAuth2Client: { client_id: clientId, ...registration(callback.url, example.url) } });
  const issuer = await baseUrl(server.publicApp);
  const rp = await client.discovery(new URL(`${issuer}/`), clientId, undefined, client.None(), { execute: [client.allowInsecureRequests] });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
  return {
    server, example, callback, admin, issuer, rp, browser,
    close: async () => {
      await browser.close();
      await example.close();
      await callback.close();
      await server.close();
    },
  };
}

describe('the example login and consent app in a browser', () => {
  let example: ExampleServer;
  let callback: { url: string; close: () => Promise<void> };
  let admin: OAuth2Api;
  let rp: client.Configuration;
  let browser: Browser;

  let setup: BrowserSetup | undefined;

  beforeAll(async () => {
    setup = await startBrowserSetup('browser-test-app', (callbackUrl) => ({
      client_name: 'Browser Test App',
      logo_uri: `${callbackUrl}/logo.svg`,
      token_endpoint_auth_method: 'none',
      redirect_uris: [`${callbackUrl}/callback`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: SCOPE,
    }));
    ({ example, callback, admin, rp, browser } = setup);
  }, 60_000);

  afterAll(() => setup?.close());

  /** A fresh authorization request (PKCE S256, state, nonce) and the checks that redeem its answer. */
  async function authorization(): Promise<{ url: string; checks: client.AuthorizationCodeGrantChecks & { expectedState: string } }> {
    const checks = { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: client.randomState(), expectedNonce: client.randomNonce() };
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: `${callback.url}/callback`,
      scope: SCOPE,
      state: checks.expectedState,
      nonce: checks.expectedNonce,
      code_challenge: await client.calculatePKCECodeChallenge(checks.pkceCodeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, checks };
  }

  /** A browser profile of its own (cookies included), failing fast rather than at jest's timeout. */
  async function newPage(context?: BrowserContext): Promise<Page> {
    const page = await (context ?? (await browser.newContext())).newPage();
    page.setDefaultTimeout(10_000);
    return page;
  }

  /** The example app's pages the browser was shown (2xx HTML), as paths, while `action` ran. */
  async function pagesShown(page: Page, action: () => Promise<unknown>): Promise<string[]> {
    const shown: string[] = [];
    const record = (response: PageResponse) => {
      const url = new URL(response.url());
      if (url.origin === example.url && response.ok()) shown.push(url.pathname);
    };
    page.on('response', record);
    try {
      await action();
    } finally {
      page.off('response', record);
    }
    return shown;
  }

  const atCallback = (url: URL) => url.href.startsWith(`${callback.url}/callback`);

  describe('one browser, signing in three times (in order)', () => {
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      context = await browser.newContext();
      page = await newPage(context);
    });
    afterAll(() => context?.close());

    it('signs in through the login and consent pages and grants only the ticked scopes', async () => {
      const { url, checks } = await authorization();
      await page.goto(url);
      await page.waitForURL(`${example.url}/login?**`);
      await page.fill('#username', 'alice');
      await page.fill('#password', 'wonderland');
      await page.check('input[name=remember]');
      await page.click('button[value=sign-in]');

      await page.waitForURL(`${example.url}/consent?**`);
      await expect(page.textContent('h1')).resolves.toContain('Browser Test App');
      await expect(page.getAttribute('.client img', 'src')).resolves.toBe(`${callback.url}/logo.svg`);
      await page.uncheck('input[name=scope][value=email]');
      await page.click('button[value=allow]');

      await page.waitForURL(atCallback);
      const tokens = await client.authorizationCodeGrant(rp, new URL(page.url()), checks);
      expect(tokens.scope?.split(' ').sort()).toEqual(['offline_access', 'openid', 'profile']);
      expect(tokens.refresh_token).toEqual(expect.any(String));
      const claims = tokens.claims();
      expect(claims).toMatchObject({ sub: 'alice', name: 'Alice Liddell', aud: ['browser-test-app'] });
      expect(claims).not.toHaveProperty('email');
      const userinfo = await client.fetchUserInfo(rp, tokens.access_token, 'alice');
      expect(userinfo).toMatchObject({ sub: 'alice', name: 'Alice Liddell' });
      expect(userinfo).not.toHaveProperty('email');
    });

    it('remembers the login: the next flow skips the login page and asks for consent again', async () => {
      const { url, checks } = await authorization();
      const shown = await pagesShown(page, async () => {
        await page.goto(url);
        await page.waitForURL(`${example.url}/consent?**`);
      });
      expect(shown).toEqual(['/consent']);
      await page.check('input[name=remember]');
      await page.click('button[value=allow]');

      await page.waitForURL(atCallback);
      const tokens = await client.authorizationCodeGrant(rp, new URL(page.url()), checks);
      expect(tokens.scope?.split(' ').sort()).toEqual(['email', 'offline_access', 'openid', 'profile']);
      expect(tokens.claims()).toMatchObject({ sub: 'alice', email: 'alice@example.com', email_verified: true });
    });

    it('remembers the consent too: the third flow goes straight back to the client', async () => {
      const { url, checks } = await authorization();
      const shown = await pagesShown(page, async () => {
        await page.goto(url);
        await page.waitForURL(atCallback);
      });
      expect(shown).toEqual([]);
      const tokens = await client.authorizationCodeGrant(rp, new URL(page.url()), checks);
      expect(tokens.claims()).toMatchObject({ sub: 'alice', email: 'alice@example.com' });
    });
  });

  it('asks again after a wrong password, and Deny sends the client access_denied', async () => {
    const page = await newPage();
    const { url, checks } = await authorization();
    await page.goto(url);
    await page.waitForURL(`${example.url}/login?**`);
    await page.fill('#username', 'alice');
    await page.fill('#password', 'not-her-password');
    await page.click('button[value=sign-in]');
    await expect(page.textContent('.error')).resolves.toContain('Wrong username or password');
    await expect(page.inputValue('#username')).resolves.toBe('alice');

    await page.click('button[value=deny]');
    await page.waitForURL(atCallback);
    const params = new URL(page.url()).searchParams;
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe(checks.expectedState);
    expect(params.get('code')).toBeNull();
    await page.context().close();
  });

  it('shows a readable page for an unknown challenge and refuses a form without its CSRF token', async () => {
    const unknown = await fetch(`${example.url}/login?login_challenge=no-such-challenge`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('This request has expired');

    const missing = await fetch(`${example.url}/consent`);
    expect(missing.status).toBe(400);

    const forged = await fetch(`${example.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ challenge: 'anything', username: 'alice', password: 'wonderland' }),
    });
    expect(forged.status).toBe(403);

    const error = await fetch(`${example.url}/error?error=invalid_request&error_description=${encodeURIComponent('<script>alert(1)</script>')}`);
    const page = await error.text();
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>');
  });

  it('registers the demo client once, however often the app starts', async () => {
    await expect(registerDemoClient(admin)).resolves.toBe('created');
    await expect(registerDemoClient(admin)).resolves.toBe('existed');
    const { data } = await admin.getOAuth2Client({ id: DEMO_CLIENT_ID });
    expect(data).toMatchObject({
      client_name: DEMO_CLIENT.client_name,
      token_endpoint_auth_method: 'none',
      redirect_uris: DEMO_CLIENT.redirect_uris,
      post_logout_redirect_uris: DEMO_CLIENT.post_logout_redirect_uris,
    });
  });
});

describe('the example app\'s logout page in a browser', () => {
  let example: ExampleServer;
  let callback: { url: string; close: () => Promise<void> };
  let rp: client.Configuration;
  let issuer: string;
  let browser: Browser;

  let setup: BrowserSetup | undefined;

  beforeAll(async () => {
    setup = await startBrowserSetup('logout-test-app', (callbackUrl, exampleUrl) => ({
      client_name: 'Logout Test App',
      token_endpoint_auth_method: 'none',
      redirect_uris: [`${callbackUrl}/callback`],
      post_logout_redirect_uris: [`${exampleUrl}/logged-out`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      scope: 'openid',
    }));
    ({ example, callback, rp, issuer, browser } = setup);
  }, 60_000);

  afterAll(() => setup?.close());

  it('signs in with remember me; No on the logout page keeps the session, Yes ends it and lands on the post-logout page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const atCallback = (url: URL) => url.href.startsWith(`${callback.url}/callback`);
    const signInUrl = async () => {
      const checks = { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: client.randomState(), expectedNonce: client.randomNonce() };
      const url = client.buildAuthorizationUrl(rp, {
        redirect_uri: `${callback.url}/callback`,
        scope: 'openid',
        state: checks.expectedState,
        nonce: checks.expectedNonce,
        code_challenge: await client.calculatePKCECodeChallenge(checks.pkceCodeVerifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, checks };
    };

    // Sign in, remembered.
    const first = await signInUrl();
    await page.goto(first.url);
    await page.waitForURL(`${example.url}/login?**`);
    await page.fill('#username', 'alice');
    await page.fill('#password', 'wonderland');
    await page.check('input[name=remember]');
    await page.click('button[value=sign-in]');
    await page.waitForURL(`${example.url}/consent?**`);
    await page.click('button[value=allow]');
    await page.waitForURL(atCallback);
    const tokens = await client.authorizationCodeGrant(rp, new URL(page.url()), first.checks);
    const idToken = tokens.id_token!;

    // No: still signed in, the next sign-in skips the login page.
    await page.goto(`${issuer}/oauth2/sessions/logout`);
    await page.waitForURL(`${example.url}/logout?**`);
    await expect(page.textContent('h1')).resolves.toContain('alice');
    await page.click('button[value=no]');
    await expect(page.textContent('h1')).resolves.toContain('You are still signed in');
    const second = await signInUrl();
    await page.goto(second.url);
    await page.waitForURL(`${example.url}/consent?**`);

    // Yes: back at the post-logout page with the state, and the next sign-in asks for the password again.
    const logout = new URL(`${issuer}/oauth2/sessions/logout`);
    logout.searchParams.set('id_token_hint', idToken);
    logout.searchParams.set('post_logout_redirect_uri', `${example.url}/logged-out`);
    logout.searchParams.set('state', 'bye');
    await page.goto(logout.href);
    await page.waitForURL(`${example.url}/logout?**`);
    await expect(page.textContent('.muted')).resolves.toContain('Logout Test App');
    await page.click('button[value=yes]');
    await page.waitForURL(`${example.url}/logged-out?state=bye`);
    await expect(page.textContent('h1')).resolves.toContain('You are signed out');
    expect((await context.cookies()).map((c) => c.name)).not.toContain('hydrant_authentication_session');
    const third = await signInUrl();
    await page.goto(third.url);
    await page.waitForURL(`${example.url}/login?**`);
    await context.close();
  });
});

describe('the example app\'s device page in a browser', () => {
  let setup: BrowserSetup | undefined;

  beforeAll(async () => {
    setup = await startBrowserSetup('device-test-app', () => ({
      client_name: 'Device Test App',
      token_endpoint_auth_method: 'none',
      redirect_uris: [],
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      response_types: [],
      scope: 'openid offline_access profile',
    }));
  }, 60_000);

  afterAll(() => setup?.close());

  it('approves a device: its code prefilled from the complete link, then sign-in and consent, while the device polls (RFC 8628)', async () => {
    const { rp, browser, example } = setup!;
    const device = await client.initiateDeviceAuthorization(rp, { scope: 'openid offline_access profile' });
    const polling = client.pollDeviceAuthorizationGrant(rp, device);

    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(device.verification_uri_complete!);
    await page.waitForURL(`${example.url}/device?**`);
    await expect(page.inputValue('#user_code')).resolves.toBe(device.user_code);
    await page.click('button[type=submit]');

    await page.waitForURL(`${example.url}/login?**`);
    await page.fill('#username', 'alice');
    await page.fill('#password', 'wonderland');
    await page.click('button[value=sign-in]');
    await page.waitForURL(`${example.url}/consent?**`);
    await expect(page.textContent('h1')).resolves.toContain('Device Test App');
    await page.click('button[value=allow]');
    await page.waitForURL(`${example.url}/device/success?**`);
    await expect(page.textContent('h1')).resolves.toContain('Your device is connected');

    const tokens = await polling;
    expect(tokens.claims()).toMatchObject({ sub: 'alice', aud: ['device-test-app'], name: 'Alice Liddell' });
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('asks again on the device page for a mistyped code', async () => {
    const { rp, browser, example } = setup!;
    const device = await client.initiateDeviceAuthorization(rp, { scope: 'openid' });
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(device.verification_uri);
    await page.waitForURL(`${example.url}/device?**`);
    await page.fill('#user_code', 'wrong123');
    await page.click('button[type=submit]');
    await expect(page.textContent('.error')).resolves.toContain('unknown, used or expired');
    await page.fill('#user_code', device.user_code);
    await page.click('button[type=submit]');
    await page.waitForURL(`${example.url}/login?**`);
  });
});

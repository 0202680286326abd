import { randomUUID } from 'node:crypto';
import { Configuration, OAuth2Api } from '@ory/hydra-client';
import * as client from 'openid-client';
import {
  AdminAnswer,
  Browser,
  createClient,
  Decider,
  FlowResult,
  FlowServer,
  grantAll,
  introspect,
  Landing,
  startFlowServer,
  tokenRequest,
} from './support/browser-flow';

/**
 * The device authorization grant (RFC 8628) over HTTP, as Hydra serves it: `POST /oauth2/device/auth` and
 * its refusals, the user codes of each entropy preset, the browser's way through `/oauth2/device/verify`
 * (the device page accepting the code with Hydra's SDK, login and consent through the admin API, the
 * success and error pages), the device's polls with every RFC 8628 §3.5 answer, and the tokens it gets.
 * openid-client (v6) is the device in the main test, polling while the browser approves.
 */

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const DEVICE_PAGE = 'http://device.test/device';
const DEVICE_SUCCESS = 'http://device.test/device/success';
const ERROR_PAGE = 'http://error.test/error';
/** The `high` preset's alphabet: no look-alike characters. */
const HIGH_USER_CODE = /^[abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679]{8}$/;

type Basic = { id: string; secret: string };

/** A server whose device page, success page and error page are at fake hosts the browser never visits. */
const startDeviceServer = (env: Record<string, string> = {}): Promise<FlowServer> =>
  startFlowServer({ URLS_DEVICE_VERIFICATION: DEVICE_PAGE, URLS_DEVICE_SUCCESS: DEVICE_SUCCESS, URLS_ERROR: ERROR_PAGE, ...env });

/** Runs `test` against a server of its own (a configuration the shared one does not have), then closes it. */
async function withServer(env: Record<string, string>, test: (s: FlowServer) => Promise<void>): Promise<void> {
  const s = await startDeviceServer(env);
  try {
    await test(s);
  } finally {
    await s.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const loginAs = (subject: string, extra: Record<string, unknown> = {}): Decider => ({ accept: { subject, ...extra } });
const hydra = (s: FlowServer) => new OAuth2Api(new Configuration({ basePath: s.adminUrl }));

/** A confidential client of a TV: the device grant and refresh, no redirect URIs. */
async function tvClient(s: FlowServer, body: Record<string, unknown> = {}): Promise<Basic> {
  const created = await createClient(s.adminUrl, {
    client_id: `tv-${randomUUID()}`,
    grant_types: [DEVICE_GRANT, 'refresh_token'],
    scope: 'openid offline_access profile',
    response_types: [],
    redirect_uris: [],
    ...body,
  });
  return { id: created.client_id, secret: created.client_secret ?? '' };
}

/** `POST /oauth2/device/auth` with a form, authenticated with client_secret_basic when `basic` is given. */
async function deviceAuthorization(s: FlowServer, form: Record<string, string>, basic?: Basic) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(basic.id)}:${encodeURIComponent(basic.secret)}`).toString('base64')}`;
  const res = await fetch(`${s.publicUrl}/oauth2/device/auth`, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

/** The device's poll of the token endpoint, as a raw request. */
const poll = (s: FlowServer, deviceCode: string, basic: Basic) => tokenRequest(s.publicUrl, { grant_type: DEVICE_GRANT, device_code: deviceCode }, basic);

/** Step 1: the browser opens a verification URI and is sent to the device page; answers the page's query. */
async function openDevicePage(browser: Browser, verificationUri: string): Promise<{ challenge: string; userCode: string | null }> {
  const hop = await browser.get(verificationUri);
  expect(hop.status).toBe(302);
  expect(`${hop.location?.origin}${hop.location?.pathname}`).toBe(DEVICE_PAGE);
  const challenge = hop.location!.searchParams.get('device_challenge');
  if (!challenge) throw new Error(`the device page got no device_challenge: ${hop.location?.href}`);
  return { challenge, userCode: hop.location!.searchParams.get('user_code') };
}

/** Step 2 as a raw call, for the refusals: `PUT /admin/oauth2/auth/requests/device/accept`. */
async function acceptUserCode(s: FlowServer, challenge: string | undefined, body: Record<string, unknown>): Promise<AdminAnswer> {
  const query = challenge === undefined ? '' : `?device_challenge=${encodeURIComponent(challenge)}`;
  const res = await fetch(`${s.adminUrl}/admin/oauth2/auth/requests/device/accept${query}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const refusedAtAdmin = { status: 400, body: { error: 'invalid_request', error_description: expect.any(String), status_code: 400 } };

/**
 * A user approving a device in `browser`: opens `verificationUri`, the device page accepts the code (the one
 * the URI brought unless `userCode` is given) with Hydra's SDK, then login and consent as the deciders say
 * (alice, everything requested). `callback` is where the browser ended: URLS_DEVICE_SUCCESS or URLS_ERROR.
 */
async function approve(
  s: FlowServer,
  browser: Browser,
  verificationUri: string,
  options: { userCode?: string; login?: Decider; consent?: Decider } = {},
): Promise<FlowResult> {
  const page = await openDevicePage(browser, verificationUri);
  const userCode = options.userCode ?? page.userCode;
  if (!userCode) throw new Error('no user code to type');
  const accepted = await hydra(s).acceptUserCodeRequest({ deviceChallenge: page.challenge, acceptDeviceUserCodeRequest: { user_code: userCode } });
  return s.driver.run(browser, accepted.data.redirect_to, { login: options.login ?? loginAs('alice'), consent: options.consent });
}

/** Where the browser was sent off Hydrant (the driver calls every foreign page "the client"). */
function offHydrant(landing: Landing): URL {
  if (landing.at !== 'client') throw new Error(`expected the browser to leave Hydrant, it is at ${landing.at}`);
  return landing.url;
}

const pageOf = (url: URL) => `${url.origin}${url.pathname}`;
const scopes = (scope: string | undefined): string[] => (scope ?? '').split(' ').filter(Boolean).sort();

describe('the device authorization grant (RFC 8628)', () => {
  let env: FlowServer;

  beforeAll(async () => {
    env = await startDeviceServer({ OAUTH2_DEVICE_AUTHORIZATION_TOKEN_POLLING_INTERVAL: '1s' });
  });
  afterAll(() => env.close());

  it('publishes the device authorization endpoint and the grant type in discovery', async () => {
    const res = await fetch(`${env.publicUrl}/.well-known/openid-configuration`);
    const metadata = (await res.json()) as { device_authorization_endpoint?: string; grant_types_supported: string[] };
    expect(metadata.device_authorization_endpoint).toBe(`${env.issuer}oauth2/device/auth`);
    expect(metadata.grant_types_supported).toContain(DEVICE_GRANT);
  });

  it('runs the whole grant with openid-client polling while the browser approves: access, refresh and ID tokens', async () => {
    const tv = await tvClient(env);
    const config = await client.discovery(new URL(env.issuer), tv.id, tv.secret, client.ClientSecretBasic(tv.secret), { execute: [client.allowInsecureRequests] });
    // Records what the device was told: the Cache-Control of its authorization, the error of its first poll.
    let authorizationCacheControl: string | null = null;
    let firstPoll: (error: string) => void = () => undefined;
    const firstPollAnswer = new Promise<string>((resolve) => (firstPoll = resolve));
    config[client.customFetch] = async (url, options) => {
      const res = await fetch(url, options as RequestInit);
      const path = new URL(url).pathname;
      if (path === '/oauth2/device/auth') authorizationCacheControl = res.headers.get('cache-control');
      if (path === '/oauth2/token') firstPoll(res.ok ? 'tokens' : ((await res.clone().json()) as { error: string }).error);
      return res;
    };

    const device = await client.initiateDeviceAuthorization(config, { scope: 'openid offline_access profile' });
    expect(device).toEqual({
      device_code: expect.stringMatching(/^hy_dc_/),
      user_code: expect.stringMatching(HIGH_USER_CODE),
      verification_uri: `${env.issuer}oauth2/device/verify`,
      verification_uri_complete: `${env.issuer}oauth2/device/verify?user_code=${device.user_code}`,
      expires_in: 600,
      interval: 1,
    });
    expect(authorizationCacheControl).toContain('no-store');

    const stop = new AbortController();
    const polling = client.pollDeviceAuthorizationGrant(config, device, undefined, { signal: stop.signal });
    polling.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    try {
      // The device is told to wait before anyone has typed its code.
      expect(await firstPollAnswer).toBe('authorization_pending');
      const flow = await approve(env, new Browser(), device.verification_uri_complete!);
      expect(flow.loginRequest).toMatchObject({ skip: false, requested_scope: ['openid', 'offline_access', 'profile'] });
      expect(pageOf(new URL(flow.loginRequest!.request_url as string))).toBe(`${env.issuer}oauth2/device/verify`);
      expect((flow.loginRequest!.client as { client_id: string }).client_id).toBe(tv.id);
      expect(pageOf(flow.callback)).toBe(DEVICE_SUCCESS);
      expect(flow.params.get('client_id')).toBe(tv.id);

      const tokens = await polling;
      expect(tokens.token_type.toLowerCase()).toBe('bearer');
      expect(scopes(tokens.scope)).toEqual(['offline_access', 'openid', 'profile']);
      expect(tokens.refresh_token).toEqual(expect.any(String));
      const claims = tokens.claims()!;
      expect(claims).toMatchObject({ iss: env.issuer, sub: 'alice', aud: [tv.id] });
      expect(claims.nonce).toBeUndefined();
      expect(await introspect(env.adminUrl, tokens.access_token)).toMatchObject({ active: true, sub: 'alice', client_id: tv.id, token_use: 'access_token' });

      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
      expect(refreshed.refresh_token).toEqual(expect.any(String));
      expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
      expect(await introspect(env.adminUrl, refreshed.access_token)).toMatchObject({ active: true, sub: 'alice', client_id: tv.id });
    } finally {
      stop.abort();
    }
  });

  it('answers authorization_pending, slow_down to a device polling faster than its interval, the tokens once approved, then invalid_grant', async () => {
    await withServer({ OAUTH2_DEVICE_AUTHORIZATION_TOKEN_POLLING_INTERVAL: '1h' }, async (s) => {
      const tv = await tvClient(s);
      const device = (await deviceAuthorization(s, { scope: 'openid offline_access' }, tv)).body;
      expect(device.interval).toBe(3600);
      expect(await poll(s, device.device_code, tv)).toMatchObject({ status: 400, body: { error: 'authorization_pending' } });
      expect(await poll(s, device.device_code, tv)).toMatchObject({ status: 400, body: { error: 'slow_down' } });

      await approve(s, new Browser(), device.verification_uri_complete);
      const redeemed = await poll(s, device.device_code, tv);
      expect(redeemed.status).toBe(200);
      expect(redeemed.body).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), id_token: expect.any(String) });
      expect(await poll(s, device.device_code, tv)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    });
  });

  it('refuses a device authorization to a bad client, a client without the grant, a scope beyond the client, and a body client_id that is not the Basic one', async () => {
    const tv = await tvClient(env);
    const web = await tvClient(env, { grant_types: ['authorization_code'], response_types: ['code'], redirect_uris: ['https://web.example/cb'] });
    const rows: [Record<string, string>, Basic, number, string][] = [
      [{ scope: 'openid' }, { id: tv.id, secret: 'wrong' }, 401, 'invalid_client'],
      [{ scope: 'openid' }, web, 400, 'invalid_grant'],
      [{ scope: 'openid admin' }, tv, 400, 'invalid_scope'],
      [{ scope: 'openid', client_id: web.id }, tv, 400, 'invalid_request'],
    ];
    for (const [form, basic, status, error] of rows) {
      const answer = await deviceAuthorization(env, form, basic);
      expect([answer.status, answer.body.error]).toEqual([status, error]);
    }
  });

  it('serves a public client that sends only its client_id, and lets it poll without a secret', async () => {
    const created = await createClient(env.adminUrl, { grant_types: [DEVICE_GRANT], scope: 'openid', response_types: [], redirect_uris: [], token_endpoint_auth_method: 'none' });
    const answer = await deviceAuthorization(env, { client_id: created.client_id, scope: 'openid' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toContain('no-store');
    const pending = await tokenRequest(env.publicUrl, { grant_type: DEVICE_GRANT, device_code: answer.body.device_code, client_id: created.client_id });
    expect(pending).toMatchObject({ status: 400, body: { error: 'authorization_pending' } });
  });

  it('draws user codes from the entropy preset: high by default, medium upper-case letters, low digits', async () => {
    const tv = await tvClient(env);
    for (let i = 0; i < 5; i++) expect((await deviceAuthorization(env, { scope: 'openid' }, tv)).body.user_code).toMatch(HIGH_USER_CODE);
    for (const [preset, pattern] of [['medium', /^[A-Z]{8}$/], ['low', /^[0-9]{9}$/]] as const) {
      await withServer({ OAUTH2_DEVICE_AUTHORIZATION_USER_CODE_ENTROPY_PRESET: preset }, async (s) => {
        const own = await tvClient(s);
        for (let i = 0; i < 5; i++) expect((await deviceAuthorization(s, { scope: 'openid' }, own)).body.user_code).toMatch(pattern);
      });
    }
  });

  it('refuses at the admin API a missing challenge, an empty code, an unknown code and a used one, as invalid_request', async () => {
    const tv = await tvClient(env);
    const device = (await deviceAuthorization(env, { scope: 'openid' }, tv)).body;
    const { challenge, userCode } = await openDevicePage(new Browser(), device.verification_uri);
    expect(userCode).toBeNull();
    expect(await acceptUserCode(env, undefined, { user_code: device.user_code })).toEqual(refusedAtAdmin);
    expect(await acceptUserCode(env, challenge, { user_code: '' })).toEqual(refusedAtAdmin);
    expect(await acceptUserCode(env, challenge, { user_code: 'nonsense' })).toEqual(refusedAtAdmin);
    expect((await acceptUserCode(env, challenge, { user_code: device.user_code })).status).toBe(200);
    expect(await acceptUserCode(env, challenge, { user_code: device.user_code })).toEqual(refusedAtAdmin);
  });

  it('refuses a sixth user code tried with one challenge, even the right one, while a fresh challenge may use it', async () => {
    const tv = await tvClient(env);
    const device = (await deviceAuthorization(env, { scope: 'openid' }, tv)).body;
    const { challenge } = await openDevicePage(new Browser(), device.verification_uri);
    for (let i = 0; i < 5; i++) expect(await acceptUserCode(env, challenge, { user_code: `guess${i}xx` })).toEqual(refusedAtAdmin);
    expect(await acceptUserCode(env, challenge, { user_code: device.user_code })).toEqual(refusedAtAdmin);

    const fresh = await openDevicePage(new Browser(), device.verification_uri);
    const accepted = await acceptUserCode(env, fresh.challenge, { user_code: device.user_code });
    expect(accepted.status).toBe(200);
  });

  it('continues only in the browser whose challenge accepted the code, and only once', async () => {
    const tv = await tvClient(env);
    const device = (await deviceAuthorization(env, { scope: 'openid' }, tv)).body;
    const owner = new Browser();
    const { challenge } = await openDevicePage(owner, device.verification_uri);
    expect(owner.jar.get('hydrant_device_csrf')).toMatchObject({ httpOnly: true, value: expect.stringMatching(/^s%3A/) });
    const accepted = await hydra(env).acceptUserCodeRequest({ deviceChallenge: challenge, acceptDeviceUserCodeRequest: { user_code: device.user_code } });
    const verifierUrl = new URL(accepted.data.redirect_to);
    expect(pageOf(verifierUrl)).toBe(`${env.issuer}oauth2/device/verify`);
    expect(verifierUrl.searchParams.get('client_id')).toBe(tv.id);
    expect(verifierUrl.searchParams.get('device_verifier')).toEqual(expect.any(String));

    // Another browser, with a device cookie of its own, is refused.
    const stranger = new Browser();
    await openDevicePage(stranger, device.verification_uri);
    const refused = offHydrant(await env.driver.visit(stranger, verifierUrl));
    expect([pageOf(refused), refused.searchParams.get('error')]).toEqual([ERROR_PAGE, 'request_forbidden']);

    expect((await env.driver.visit(owner, verifierUrl)).at).toBe('login');
    const replayed = offHydrant(await env.driver.visit(owner, verifierUrl));
    expect([pageOf(replayed), replayed.searchParams.get('error')]).toEqual([ERROR_PAGE, 'invalid_request']);
  });

  it('sends the browser of a rejected login or consent to the error page with its error, and answers the device access_denied', async () => {
    const tv = await tvClient(env);
    const rejections: [string, { login?: Decider; consent?: Decider }][] = [
      ['login_required', { login: { reject: { error: 'login_required' } } }],
      ['access_denied', { consent: { reject: { error: 'access_denied', error_description: 'The user declined the TV.' } } }],
    ];
    for (const [error, deciders] of rejections) {
      const device = (await deviceAuthorization(env, { scope: 'openid' }, tv)).body;
      const flow = await approve(env, new Browser(), device.verification_uri_complete, deciders);
      expect([pageOf(flow.callback), flow.params.get('error')]).toEqual([ERROR_PAGE, error]);
      expect(await poll(env, device.device_code, tv)).toMatchObject({ status: 400, body: { error: 'access_denied' } });
    }
  });

  it('asks the login app with skip: true in a browser that remembered its login', async () => {
    const tv = await tvClient(env);
    const browser = new Browser();
    const first = (await deviceAuthorization(env, { scope: 'openid' }, tv)).body;
    const remembered = await approve(env, browser, first.verification_uri_complete, { login: loginAs('alice', { remember: true }), consent: grantAll() });
    expect(remembered.loginRequest!.skip).toBe(false);

    const second = (await deviceAuthorization(env, { scope: 'openid' }, tv)).body;
    const skipped = await approve(env, browser, second.verification_uri_complete);
    expect(skipped.loginRequest).toMatchObject({ skip: true, subject: 'alice' });
    expect(pageOf(skipped.callback)).toBe(DEVICE_SUCCESS);
  });

  it('answers expired_token past the device code\'s lifetime, and refuses its user code', async () => {
    await withServer({ TTL_DEVICE_USER_CODE: '2s' }, async (s) => {
      const tv = await tvClient(s);
      const device = (await deviceAuthorization(s, { scope: 'openid' }, tv)).body;
      expect(device.expires_in).toBe(2);
      await sleep(2100);
      expect(await poll(s, device.device_code, tv)).toMatchObject({ status: 400, body: { error: 'expired_token' } });
      // A challenge of now, so that it is the user code that has run out.
      const { challenge } = await openDevicePage(new Browser(), device.verification_uri);
      expect(await acceptUserCode(s, challenge, { user_code: device.user_code })).toEqual(refusedAtAdmin);
    });
  });

  it('answers unauthorized_client to a client without the grant, invalid_grant to an unknown or another client\'s device code', async () => {
    const tv = await tvClient(env);
    const other = await tvClient(env);
    const web = await tvClient(env, { grant_types: ['authorization_code'], response_types: ['code'], redirect_uris: ['https://web.example/cb'] });
    const device = (await deviceAuthorization(env, { scope: 'openid' }, tv)).body;
    expect(await poll(env, device.device_code, web)).toMatchObject({ status: 400, body: { error: 'unauthorized_client' } });
    expect(await poll(env, 'hy_dc_nonsense.nonsense', tv)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await poll(env, device.device_code, other)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});

import { Client } from '../../clients/client.model';
import { DEVICE_CODE_GRANT } from '../../device/device-request.model';
import { DEVICE_CSRF_COOKIE } from '../../flows/flow-cookies';
import { inMemoryCore, InMemoryCore } from '../../testing/in-memory-core';
import { addClient, basicAuthorization } from '../../testing/oauth2-spec.fixtures';
import { AuthorizeOutcome } from '../authorize/authorize-response';
import { DeviceAuthorizationResponse } from './device-authorization.endpoint';
import { refusal } from '../../testing/refusal';

const query = (url: string): Record<string, string> => Object.fromEntries(new URL(url).searchParams);

/** A browser at /oauth2/device/verify: it keeps the cookies each step sets, as a real one does. */
class DeviceBrowser {
  readonly cookies: Record<string, string> = {};
  constructor(private readonly env: InMemoryCore) {}

  async open(url: string): Promise<AuthorizeOutcome> {
    const outcome = await this.env.core.deviceVerification.verify(query(url), { ...this.cookies }, url);
    for (const c of outcome.cookies) {
      if (c.value === null) delete this.cookies[c.name];
      else this.cookies[c.name] = c.value;
    }
    return outcome;
  }
}

/**
 * The device authorization grant (RFC 8628) end to end on in-memory stores: the device's codes, the
 * browser's four visits to /oauth2/device/verify with the device page's acceptance and the usual login and
 * consent between them, and the device's polls. test/device-flow.e2e-spec.ts runs it over HTTP.
 */
describe('the device flow', () => {
  let env: InMemoryCore;
  let client: Client;
  let secret: string;

  beforeEach(async () => {
    env = await inMemoryCore({ OAUTH2_DEVICE_AUTHORIZATION_TOKEN_POLLING_INTERVAL: '1s' });
    ({ client, secret } = await addClient(env, 'tv', { metadata: { grant_types: [DEVICE_CODE_GRANT, 'refresh_token'], response_types: [] } }));
  });
  afterEach(() => jest.restoreAllMocks());

  const start = (scope = 'openid offline_access'): Promise<DeviceAuthorizationResponse> =>
    env.core.deviceAuthorization.authorize({ scope }, basicAuthorization('tv', secret));
  const poll = (deviceCode: string) =>
    env.core.token.exchange({ grant_type: DEVICE_CODE_GRANT, device_code: deviceCode }, basicAuthorization('tv', secret));
  /** Lets the device's next poll come after its interval. */
  const waitOutTheInterval = () => jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 1500);

  /** A user approving `device` in `browser` as alice; answers where the browser lands. */
  async function approve(device: DeviceAuthorizationResponse, browser = new DeviceBrowser(env), consent: 'accept' | 'reject' = 'accept') {
    const toPage = await browser.open(device.verification_uri_complete);
    const { device_challenge: challenge, user_code: typed } = query(toPage.location);
    const accepted = await env.core.deviceUserCodes.accept(challenge, typed);
    const toLogin = await browser.open(accepted.redirect_to);
    const login = await env.core.loginRequests.accept(query(toLogin.location).login_challenge, { subject: 'alice' });
    const toConsent = await browser.open(login.redirect_to);
    const consentChallenge = query(toConsent.location).consent_challenge;
    const decision =
      consent === 'accept'
        ? await env.core.consentRequests.accept(consentChallenge, { grant_scope: ['openid', 'offline_access'] })
        : await env.core.consentRequests.reject(consentChallenge, { error: 'access_denied' });
    return browser.open(decision.redirect_to);
  }

  it('answers codes to poll with and to type, and the verification URIs (RFC 8628 §3.2)', async () => {
    const device = await start();
    expect(device).toEqual({
      device_code: expect.stringMatching(/^hy_dc_/),
      user_code: expect.stringMatching(/^[abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679]{8}$/),
      verification_uri: 'https://issuer.example/oauth2/device/verify',
      verification_uri_complete: `https://issuer.example/oauth2/device/verify?user_code=${device.user_code}`,
      expires_in: 600,
      interval: 1,
    });
  });

  it('answers authorization_pending, slow_down when polled too fast, then the tokens once the user approved, once', async () => {
    const device = await start();
    expect((await refusal(poll(device.device_code))).error).toBe('authorization_pending');
    expect((await refusal(poll(device.device_code))).error).toBe('slow_down');
    const landing = await approve(device);
    expect(landing.location).toBe('http://127.0.0.1:3000/device/success?client_id=tv');
    waitOutTheInterval();
    const tokens = await poll(device.device_code);
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'openid offline_access', refresh_token: expect.any(String), id_token: expect.any(String) });
    const idToken = JSON.parse(Buffer.from(tokens.id_token!.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    expect(idToken).toMatchObject({ sub: 'alice', aud: ['tv'] });
    expect(idToken.nonce).toBeUndefined();
    expect((await refusal(poll(device.device_code))).error).toBe('invalid_grant');
  });

  it('answers access_denied once the user rejected the consent, and sends the browser to the error page', async () => {
    const device = await start();
    const landing = await approve(device, new DeviceBrowser(env), 'reject');
    expect(landing.location.startsWith('http://127.0.0.1:3000/error?')).toBe(true);
    const denied = await refusal(poll(device.device_code));
    expect([denied.error, denied.statusCode]).toEqual(['access_denied', 400]);
  });

  it('answers expired_token past the code\'s lifetime, approved or not', async () => {
    const device = await start();
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 11 * 60_000);
    expect((await refusal(poll(device.device_code))).error).toBe('expired_token');
  });

  it('passes the user code of a complete link on to the device page, and no oversized one', async () => {
    const browser = new DeviceBrowser(env);
    expect(query((await browser.open('https://issuer.example/oauth2/device/verify?user_code=abcd2345')).location).user_code).toBe('abcd2345');
    const oversized = query((await browser.open(`https://issuer.example/oauth2/device/verify?user_code=${'a'.repeat(5000)}`)).location);
    expect(oversized).toEqual({ device_challenge: expect.any(String) });
  });

  it('accepts a user code once, and refuses unknown and empty codes and a missing challenge as invalid_request', async () => {
    const device = await start();
    const browser = new DeviceBrowser(env);
    const { device_challenge: challenge } = query((await browser.open(device.verification_uri)).location);
    for (const [c, code] of [[challenge, 'nonsense'], [challenge, ''], [undefined, device.user_code]] as const) {
      expect((await refusal(env.core.deviceUserCodes.accept(c, code))).error).toBe('invalid_request');
    }
    await env.core.deviceUserCodes.accept(challenge, device.user_code);
    expect((await refusal(env.core.deviceUserCodes.accept(challenge, device.user_code))).hint).toMatch(/used/);
  });

  it('counts the user codes one challenge tries: the sixth is refused even when it is right', async () => {
    const device = await start();
    const { device_challenge: challenge } = query((await new DeviceBrowser(env).open(device.verification_uri)).location);
    for (let i = 0; i < 5; i++) await refusal(env.core.deviceUserCodes.accept(challenge, `guess${i}xx`));
    expect((await refusal(env.core.deviceUserCodes.accept(challenge, device.user_code))).hint).toMatch(/Too many/);
  });

  it('continues only in the browser whose challenge accepted the code, and only once', async () => {
    const device = await start();
    const owner = new DeviceBrowser(env);
    const { device_challenge: challenge } = query((await owner.open(device.verification_uri)).location);
    const accepted = await env.core.deviceUserCodes.accept(challenge, device.user_code);
    const stranger = new DeviceBrowser(env);
    stranger.cookies[DEVICE_CSRF_COOKIE] = 'someone-else';
    expect(query((await stranger.open(accepted.redirect_to)).location).error).toBe('request_forbidden');
    expect(query((await owner.open(accepted.redirect_to)).location).login_challenge).toBeDefined();
    expect(query((await owner.open(accepted.redirect_to)).location).error).toBe('invalid_request');
  });

  it('refuses a client that may not use the grant, and a scope the client may not ask for', async () => {
    const { secret: s } = await addClient(env, 'web');
    const notAllowed = await refusal(env.core.deviceAuthorization.authorize({}, basicAuthorization('web', s)));
    expect(notAllowed.error).toBe('invalid_grant');
    expect((await refusal(start('openid admin'))).error).toBe('invalid_scope');
    expect((await refusal(env.core.deviceAuthorization.authorize({}, basicAuthorization('tv', 'wrong')))).error).toBe('invalid_client');
    expect(client.id).toBe('tv');
  });
});

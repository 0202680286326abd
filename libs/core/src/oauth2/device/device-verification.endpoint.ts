import { ClientStore } from '../../clients/client.store';
import { HydrantConfig } from '../../config/hydrant.config';
import { DeviceChallenges } from '../../device/device-challenge';
import { DeviceRequestStore } from '../../device/device-request.store';
import { Errors, OAuth2Error } from '../../errors';
import { credentialMatches, flowIdOf, hashSecret } from '../../flows/flow-credentials';
import { DEVICE_CSRF_COOKIE, SignedCookies } from '../../flows/flow-cookies';
import { withQuery } from '../../http/with-query';
import { AuthorizeEndpoint } from '../authorize/authorize.endpoint';
import { AuthorizeOutcome, errorResponse } from '../authorize/authorize-response';
import { AuthorizeTarget } from '../authorize/authorize-target';
import { FlowReturn } from '../authorize/flow-return';
import { singleValued } from '../params/form-params';

/** Far beyond any preset's user code (9 characters at most): a longer one is not forwarded to the device page. */
const MAX_USER_CODE_LENGTH = 64;

/**
 * `GET /oauth2/device/verify`, where a user approves a device (RFC 8628 §3.3, as Hydra serves it). The
 * browser comes here four times:
 * 1. from the device's `verification_uri[_complete]`: it gets a device CSRF cookie and goes to the
 *    operator's device page (URLS_DEVICE_VERIFICATION) with a `device_challenge`, and the `user_code`
 *    when it brought one; the page accepts the code through the admin API;
 * 2. with the `device_verifier` that acceptance answered: a login/consent flow starts for the device's
 *    client and scopes (a remembered login may skip the login page);
 * 3. and 4. back from the login app and the consent app, as at `/oauth2/auth`; consent approves the device
 *    and the browser lands on URLS_DEVICE_SUCCESS.
 * Errors after the first step go to URLS_ERROR: there is no client redirect URI to send them to.
 */
export class DeviceVerificationEndpoint {
  constructor(
    private readonly devices: DeviceRequestStore,
    private readonly clients: ClientStore,
    private readonly challenges: DeviceChallenges,
    private readonly authorize: AuthorizeEndpoint,
    private readonly flowReturn: FlowReturn,
    private readonly config: HydrantConfig,
  ) {}

  /** `requestUrl`: this request as the issuer's URL, which the login and consent apps return to. */
  async verify(raw: Record<string, unknown>, cookies: SignedCookies, requestUrl: string): Promise<AuthorizeOutcome> {
    const params = singleValued(raw);
    const { login_verifier: login, consent_verifier: consent, device_verifier: device } = params;
    if (login === undefined && consent === undefined && device === undefined) return this.challenge(params.user_code);
    try {
      const target = await this.target(params.client_id);
      if (login !== undefined) return await this.flowReturn.afterLogin(target, login, cookies);
      if (consent !== undefined) return await this.flowReturn.afterDeviceConsent(target, consent, cookies);
      return await this.startLogin(target, device!, cookies, requestUrl);
    } catch (e) {
      if (e instanceof OAuth2Error) return errorResponse(this.config.urlsError, this.config.urlsSelfIssuer, e, undefined);
      throw e;
    }
  }

  /** Step 1: a challenge for the device page, bound to this browser; a user code no device was given is not passed on. */
  private challenge(userCode: string | undefined): AuthorizeOutcome {
    const { challenge, csrf, maxAgeMs } = this.challenges.mint();
    const passed = userCode && userCode.length <= MAX_USER_CODE_LENGTH ? userCode : undefined;
    return {
      location: withQuery(this.config.urlsDeviceVerification, { device_challenge: challenge, user_code: passed }),
      status: 302,
      cookies: [{ name: DEVICE_CSRF_COOKIE, value: csrf, maxAgeMs }],
    };
  }

  /** Step 2: the device verifier works once, in the browser whose challenge accepted the user code. */
  private async startLogin(target: AuthorizeTarget, verifier: string, cookies: SignedCookies, requestUrl: string): Promise<AuthorizeOutcome> {
    const id = flowIdOf(verifier);
    const request = id === null ? null : await this.devices.findById(id);
    if (!request || request.clientId !== target.client.id || !credentialMatches(verifier, request.verifierHash)) throw usedDeviceVerifier();
    const csrf = cookies[DEVICE_CSRF_COOKIE];
    if (!csrf || request.csrfHash !== hashSecret(csrf)) {
      throw Errors.requestForbidden().withHint('The device verifier was not issued to this browser (its device cookie is missing or does not match).');
    }
    if (!(await this.devices.transition(request.id, 'accepted', 'login', {}, new Date()))) throw usedDeviceVerifier();
    const isPublic = target.client.metadata.token_endpoint_auth_method === 'none';
    return this.authorize.begin(target, {
      requestUrl,
      redirectUri: this.config.urlsError,
      redirectUriGiven: false,
      responseType: 'device_code',
      scopes: request.scopes,
      audience: request.audience,
      // A public client cannot prove which device asks: its user is asked to consent every time.
      prompt: isPublic ? ['consent'] : [],
      acrValues: [],
      uiLocales: [],
      deviceRequestId: request.id,
    }, cookies);
  }

  private async target(clientId: string | undefined): Promise<AuthorizeTarget> {
    const client = clientId ? await this.clients.findById(clientId) : null;
    if (!client) throw Errors.invalidRequest().withHint('The "client_id" parameter does not name a client.');
    return { client, redirectUri: this.config.urlsError, redirectUriGiven: false };
  }
}

function usedDeviceVerifier(): OAuth2Error {
  return Errors.invalidRequest().withHint('The device verifier is invalid, expired, or has already been used.');
}

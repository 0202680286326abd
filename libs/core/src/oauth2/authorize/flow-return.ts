import { HydrantConfig } from '../../config/hydrant.config';
import { Errors, OAuth2Error } from '../../errors';
import { consentMaySkip } from '../../flows/consent-skip';
import { credentialMatches, flowIdOf, mintFlowCredential, newFlowId } from '../../flows/flow-credentials';
import { DeviceRequestStore } from '../../device/device-request.store';
import { CookieInstruction, csrfCookieName, DEVICE_CSRF_COOKIE, SESSION_COOKIE, SignedCookies } from '../../flows/flow-cookies';
import { Flow, FlowError, flowError, FlowState } from '../../flows/flow.model';
import { FlowStore } from '../../flows/flow.store';
import { LoginSessionStore } from '../../flows/login-session.store';
import { LoginSession } from '../../flows/login-session.model';
import type { TransactionRunner } from '../../persistence/transaction.runner';
import { AuthorizationCodeStore } from '../../tokens/authorization-code.store';
import { OpaqueTokenCodec } from '../../tokens/opaque-token.codec';
import { withQuery } from '../../http/with-query';
import { AuthorizeOutcome, codeResponse, errorResponse } from './authorize-response';
import { AuthorizeTarget } from './authorize-target';

/**
 * The browser's returns to `/oauth2/auth` (or, approving a device, to `/oauth2/device/verify`) from the
 * login and the consent app. A verifier works once, only in the browser that started its flow (the flow's
 * CSRF cookie), and only before the flow expires; each use moves the flow one state on with a guarded
 * update, so a second use finds it moved and fails.
 */
export class FlowReturn {
  constructor(
    private readonly flows: FlowStore,
    private readonly loginSessions: LoginSessionStore,
    private readonly codes: AuthorizationCodeStore,
    private readonly devices: DeviceRequestStore,
    private readonly codec: OpaqueTokenCodec,
    private readonly transactions: TransactionRunner,
    private readonly config: HydrantConfig,
  ) {}

  /** Back from the login app: record the authentication, then on to the consent app. */
  async afterLogin(target: AuthorizeTarget, verifier: string, cookies: SignedCookies): Promise<AuthorizeOutcome> {
    const flow = await this.verifiedFlow(target, verifier, cookies, 'login_unused', (f) => f.loginVerifier);
    const login = flow.login!;
    const now = new Date();
    if (login.error) return this.endWithError(flow, 'login_unused', 'login_error', login.error);

    const cookiesOut: CookieInstruction[] = [];
    let session: LoginSession | null = null;
    if (login.skip) {
      if (login.extendSessionLifespan && login.remember) {
        const expiresAt = login.rememberFor > 0 ? new Date(now.getTime() + login.rememberFor * 1000) : null;
        await this.loginSessions.extend(flow.loginSessionId!, expiresAt);
        cookiesOut.push({ name: SESSION_COOKIE, value: flow.loginSessionId!, ...(expiresAt ? { maxAgeMs: login.rememberFor * 1000 } : {}) });
      }
    } else {
      session = {
        id: flow.loginSessionId ?? newFlowId(),
        subject: login.subject,
        authenticatedAt: new Date(login.authTime * 1000),
        remember: login.remember,
        // remember_for 0: for as long as the browser keeps its session cookie.
        expiresAt: login.remember && login.rememberFor === 0 ? null : new Date(now.getTime() + (login.remember ? login.rememberFor * 1000 : this.config.ttlRefreshToken)),
        identityProviderSessionId: login.identityProviderSessionId,
      };
      // A login that is not to be remembered also forgets any earlier one in this browser.
      cookiesOut.push(
        login.remember
          ? { name: SESSION_COOKIE, value: session.id, ...(login.rememberFor > 0 ? { maxAgeMs: login.rememberFor * 1000 } : {}) }
          : { name: SESSION_COOKIE, value: null },
      );
    }

    // verifiedFlow made sure the flow belongs to the target's client.
    const skip = await consentMaySkip(this.flows, target.client, login.subject, flow.request, now);
    if (flow.request.prompt.includes('none') && !skip) {
      const required = Errors.consentRequired().withHint('Prompt "none" was requested, but the user has not consented to this request before.');
      return this.endWithError(flow, 'login_unused', 'login_error', flowError(required));
    }
    const challenge = mintFlowCredential(flow.id);
    // The guarded transition first: of two returns with one verifier, only the winner stores the session
    // (the loser's insert of the same session id would fail on its key, a 500 instead of invalid_request).
    const moved = await this.transactions.run(async () => {
      const won = await this.flows.transition(flow.id, 'login_unused', 'consent_initialized', {
        loginSessionId: session?.id ?? flow.loginSessionId,
        consentChallenge: challenge.value,
        consentSkip: skip,
      });
      if (won && session) await this.loginSessions.insert(session);
      return won;
    });
    if (!moved) throw usedVerifier('login');
    return { location: withQuery(this.config.urlsConsent, { consent_challenge: challenge.value }), status: 302, cookies: cookiesOut };
  }

  /** Back from the consent app: the flow becomes a consent session and the client gets its code. */
  async afterConsent(target: AuthorizeTarget, verifier: string, cookies: SignedCookies): Promise<AuthorizeOutcome> {
    const flow = await this.verifiedFlow(target, verifier, cookies, 'consent_unused', (f) => f.consentVerifier);
    const consent = flow.consent!;
    if (consent.error) return this.endWithError(flow, 'consent_unused', 'consent_error', consent.error);

    const now = new Date();
    const code = this.codec.mint('authorization_code');
    await this.grant(flow, () =>
      this.codes.insert({ signature: code.signature, flowId: flow.id, clientId: flow.clientId, expiresAt: new Date(now.getTime() + this.config.ttlAuthCode), used: false }),
    );
    return codeResponse(flow.request.redirectUri, this.config.urlsSelfIssuer, {
      code: code.token,
      scope: consent.grantScope.join(' '),
      state: flow.request.state,
    }, [{ name: csrfCookieName(flow.id), value: null }]);
  }

  /**
   * Back from the consent app, approving a device (RFC 8628): the flow becomes a consent session, the
   * device's next poll gets its tokens, and the browser lands on URLS_DEVICE_SUCCESS.
   */
  async afterDeviceConsent(target: AuthorizeTarget, verifier: string, cookies: SignedCookies): Promise<AuthorizeOutcome> {
    const flow = await this.verifiedFlow(target, verifier, cookies, 'consent_unused', (f) => f.consentVerifier);
    const consent = flow.consent!;
    const deviceRequestId = flow.request.deviceRequestId;
    if (deviceRequestId === undefined) throw usedVerifier('consent');
    if (consent.error) return this.endWithError(flow, 'consent_unused', 'consent_error', consent.error);

    await this.grant(flow, async () => {
      if (!(await this.devices.transition(deviceRequestId, 'login', 'approved', { flowId: flow.id }, new Date()))) {
        throw Errors.expiredToken().withHint('The device authorization has expired; start again on the device.');
      }
    });
    return {
      location: withQuery(this.config.urlsDeviceSuccess, { client_id: flow.clientId }),
      status: 302,
      cookies: [{ name: csrfCookieName(flow.id), value: null }, { name: DEVICE_CSRF_COOKIE, value: null }],
    };
  }

  /** Makes the flow a consent session and runs `alongside` in the same unit of work, once: a second use of the verifier loses. */
  private async grant(flow: Flow, alongside: () => Promise<void>): Promise<void> {
    const consent = flow.consent!;
    const moved = await this.transactions.run(async () => {
      const won = await this.flows.transition(flow.id, 'consent_unused', 'consent_used', {
        granted: true,
        remember: consent.remember,
        rememberUntil: consent.remember && consent.rememberFor > 0 ? new Date(consent.handledAt + consent.rememberFor * 1000) : null,
      });
      if (won) await alongside();
      return won;
    });
    if (!moved) throw usedVerifier('consent');
  }

  /**
   * The flow a verifier names, if it belongs to this client and browser, is at the expected step, and has
   * not expired. A verifier from another browser is `request_forbidden` (API.md, step 3).
   */
  private async verifiedFlow(target: AuthorizeTarget, verifier: string, cookies: SignedCookies, expected: FlowState, stored: (f: Flow) => string | null): Promise<Flow> {
    const step = expected === 'login_unused' ? 'login' : 'consent';
    const id = flowIdOf(verifier);
    const flow = id === null ? null : await this.flows.findById(id);
    if (!flow || flow.clientId !== target.client.id || !credentialMatches(verifier, stored(flow))) {
      throw usedVerifier(step);
    }
    const csrf = cookies[csrfCookieName(flow.id)];
    if (!csrf || !credentialMatches(`${flow.id}.${csrf}`, flow.csrf)) {
      throw Errors.requestForbidden().withHint(`The ${step} verifier was not issued to this browser (its CSRF cookie is missing or does not match).`);
    }
    if (flow.state !== expected) throw usedVerifier(step);
    if (flow.expiresAt.getTime() < Date.now()) throw Errors.invalidRequest().withHint(`The ${step} request has expired; start again.`);
    return flow;
  }

  /**
   * A rejected login or consent: the flow ends, and the client receives the app's error (a device's next
   * poll gets access_denied; its browser goes to the request's error page, URLS_ERROR).
   */
  private async endWithError(flow: Flow, from: FlowState, to: FlowState, error: FlowError): Promise<AuthorizeOutcome> {
    if (!(await this.flows.transition(flow.id, from, to, {}))) throw usedVerifier(from === 'login_unused' ? 'login' : 'consent');
    if (flow.request.deviceRequestId !== undefined) await this.devices.transition(flow.request.deviceRequestId, 'login', 'denied', {}, new Date());
    const oauthError = new OAuth2Error(error.error, error.errorDescription, error.statusCode, error.errorHint ? { hint: error.errorHint } : {});
    return errorResponse(flow.request.redirectUri, this.config.urlsSelfIssuer, oauthError, flow.request.state, [{ name: csrfCookieName(flow.id), value: null }]);
  }
}

function usedVerifier(step: 'login' | 'consent'): OAuth2Error {
  return Errors.invalidRequest().withHint(`The ${step} verifier is invalid, expired, or has already been used.`);
}

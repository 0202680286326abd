import { ClientStore } from '../../clients/client.store';
import { HydrantConfig } from '../../config/hydrant.config';
import { Errors, OAuth2Error } from '../../errors';
import { hashSecret, newFlowId } from '../../flows/flow-credentials';
import { csrfCookieName, SESSION_COOKIE, SignedCookies } from '../../flows/flow-cookies';
import { AuthorizationRequest, Flow } from '../../flows/flow.model';
import { FlowStore } from '../../flows/flow.store';
import { LoginSessionStore } from '../../flows/login-session.store';
import { isLoginSessionUsable, LoginSession } from '../../flows/login-session.model';
import { IdTokenCodec } from '../../oidc/id-token.codec';
import { randomKey } from '../../tokens/random-key';
import { singleValued } from '../params/form-params';
import { checkAuthorizationRequest } from './authorization-request.checks';
import { withQuery } from '../../http/with-query';
import { AuthorizeOutcome, errorResponse } from './authorize-response';
import { AuthorizeTarget, resolveAuthorizeTarget } from './authorize-target';
import { FlowReturn } from './flow-return';

/**
 * The authorization endpoint (RFC 6749 §3.1, OIDC Core §3.1.2). A request is one of three moments of a
 * flow: a new authorization request (sent on to the login app), the return from login with a
 * `login_verifier` (sent on to the consent app), or the return from consent with a `consent_verifier`
 * (sent to the client with a code). The first two checks, client and redirect URI, come first for all
 * three; after them every error goes back to the client.
 */
export class AuthorizeEndpoint {
  constructor(
    private readonly clients: ClientStore,
    private readonly flows: FlowStore,
    private readonly loginSessions: LoginSessionStore,
    private readonly idTokens: IdTokenCodec,
    private readonly flowReturn: FlowReturn,
    private readonly config: HydrantConfig,
  ) {}

  /** Throws UntrustedAuthorizeRequest when the response could not safely reach the client. */
  trust(params: Record<string, unknown>): Promise<AuthorizeTarget> {
    return resolveAuthorizeTarget(params, this.clients);
  }

  /** `requestUrl` is the request as the issuer's URL, which the login and consent apps see. */
  async authorize(target: AuthorizeTarget, raw: Record<string, unknown>, cookies: SignedCookies, requestUrl: string): Promise<AuthorizeOutcome> {
    try {
      const params = singleValued(raw);
      if (params.login_verifier !== undefined) return await this.flowReturn.afterLogin(target, params.login_verifier, cookies);
      if (params.consent_verifier !== undefined) return await this.flowReturn.afterConsent(target, params.consent_verifier, cookies);
      return await this.start(target, params, cookies, requestUrl);
    } catch (e) {
      if (e instanceof OAuth2Error) return errorResponse(target.redirectUri, this.config.urlsSelfIssuer, e, target.state);
      throw e;
    }
  }

  /** A new request: checked, then handed to the login app. */
  private async start(target: AuthorizeTarget, params: Record<string, string>, cookies: SignedCookies, requestUrl: string): Promise<AuthorizeOutcome> {
    const request = checkAuthorizationRequest(params, target, this.config, requestUrl);
    if (params.id_token_hint !== undefined) {
      const hint = await this.idTokens.readHint(params.id_token_hint, target.client.id);
      if (hint === null) throw Errors.invalidRequest().withHint('The "id_token_hint" is not a valid ID token issued to this client.');
      request.idTokenHintClaims = hint;
    }
    return this.begin(target, request, cookies);
  }

  /**
   * Stores a flow for a checked request and sends the browser to the login app, remembering a usable login
   * session: the start of an authorization request, and of a device's approval (oauth2/device).
   */
  async begin(target: AuthorizeTarget, request: AuthorizationRequest, cookies: SignedCookies): Promise<AuthorizeOutcome> {
    const now = new Date();
    const session = await this.rememberedSession(cookies, request.prompt, request.maxAge, now);
    if (session && request.idTokenHintClaims && request.idTokenHintClaims.sub !== session.subject && request.prompt.includes('none')) {
      throw Errors.loginRequired().withHint('The authenticated user is not the subject of the "id_token_hint".');
    }
    if (!session && request.prompt.includes('none')) {
      throw Errors.loginRequired().withHint('Prompt "none" was requested, but no user is authenticated in this browser.');
    }

    const id = newFlowId();
    const csrf = randomKey();
    const flow: Flow = {
      id,
      state: 'login_initialized',
      clientId: target.client.id,
      // A remembered session names the subject (the login request is skipped); otherwise the session the
      // login will open gets its id now, so that the login request can name it as Hydra's does.
      subject: session?.subject ?? null,
      loginSessionId: session?.id ?? newFlowId(),
      csrf: hashSecret(csrf),
      loginVerifier: null,
      consentChallenge: null,
      consentVerifier: null,
      request,
      login: null,
      consentSkip: false,
      consent: null,
      requestedAt: now,
      expiresAt: new Date(now.getTime() + this.config.ttlLoginConsentRequest),
      granted: false,
      remember: false,
      rememberUntil: null,
    };
    await this.flows.insert(flow);
    return {
      location: withQuery(this.config.urlsLogin, { login_challenge: id }),
      status: 302,
      cookies: [{ name: csrfCookieName(id), value: csrf, maxAgeMs: this.config.ttlLoginConsentRequest }],
    };
  }

  /** The browser's remembered login session, unless the request asks for a fresh login (prompt, max_age). */
  private async rememberedSession(cookies: SignedCookies, prompt: string[], maxAge: number | undefined, now: Date): Promise<LoginSession | null> {
    const sid = cookies[SESSION_COOKIE];
    if (!sid || prompt.includes('login')) return null;
    const session = await this.loginSessions.findById(sid);
    if (!session || !isLoginSessionUsable(session, now)) return null;
    if (maxAge !== undefined && session.authenticatedAt.getTime() + maxAge * 1000 < now.getTime()) return null;
    return session;
  }
}

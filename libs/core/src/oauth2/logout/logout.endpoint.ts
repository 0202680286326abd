import { ClientStore } from '../../clients/client.store';
import { HydrantConfig } from '../../config/hydrant.config';
import { Errors } from '../../errors';
import { credentialMatches, flowIdOf, newFlowId } from '../../flows/flow-credentials';
import { CookieInstruction, SESSION_COOKIE, SignedCookies } from '../../flows/flow-cookies';
import { LoginSessionStore } from '../../flows/login-session.store';
import { LogoutRequestStore } from '../../flows/logout-request.store';
import { IdTokenCodec } from '../../oidc/id-token.codec';
import { LogoutNotifier } from '../../oidc/logout-notifier';
import { singleValued } from '../params/form-params';
import { withQuery } from '../../http/with-query';

/** Where the browser goes next; `frontchannel` lists the client pages to load in iframes on the way. */
export interface LogoutOutcome {
  location: string;
  cookies: CookieInstruction[];
  frontchannel: string[];
}

/**
 * OIDC RP-Initiated Logout 1.0 at `/oauth2/sessions/logout`. A new request is checked (a
 * post_logout_redirect_uri is followed only with an id_token_hint, and must be registered by the client
 * the hint names) and handed to the
 * logout app; its return with a `logout_verifier` ends the login session, tells the clients (back- and
 * front-channel) and sends the browser to the post-logout URI. Errors that cannot be trusted to a
 * client's URI throw, for the controller's error page.
 */
export class LogoutEndpoint {
  constructor(
    private readonly requests: LogoutRequestStore,
    private readonly loginSessions: LoginSessionStore,
    private readonly clients: ClientStore,
    private readonly idTokens: IdTokenCodec,
    private readonly notifier: LogoutNotifier,
    private readonly config: HydrantConfig,
  ) {}

  async logout(raw: unknown, cookies: SignedCookies, requestUrl: string): Promise<LogoutOutcome> {
    const params = singleValued(raw);
    if (params.logout_verifier !== undefined) return this.finish(params.logout_verifier, cookies);
    return this.start(params, cookies, requestUrl);
  }

  /** OIDC RP-Initiated Logout §2 and §3 */
  private async start(params: Record<string, string>, cookies: SignedCookies, requestUrl: string): Promise<LogoutOutcome> {
    const hint = params.id_token_hint === undefined ? null : await this.idTokens.readHint(params.id_token_hint);
    if (params.id_token_hint !== undefined && hint === null) throw Errors.invalidRequest().withHint('The "id_token_hint" is not a valid ID token issued by this server.');
    const audience = hint ? (Array.isArray(hint.aud) ? hint.aud : [hint.aud]) : [];
    const clientId = typeof params.client_id === 'string' ? params.client_id : typeof audience[0] === 'string' ? audience[0] : null;
    if (hint && params.client_id !== undefined && !audience.includes(params.client_id)) {
      throw Errors.invalidRequest().withHint('The "client_id" is not the audience of the "id_token_hint".');
    }
    const client = clientId ? await this.clients.findById(clientId) : null;
    let finalUri = this.config.urlsPostLogoutRedirect;
    // RP-Initiated Logout §3: only an id_token_hint proves which client asks; anyone can name a client_id
    // (and, with registration open, register one with any URI). Without a hint the browser lands on
    // URLS_POST_LOGOUT_REDIRECT, as in Hydra (ory/hydra#1472).
    if (params.post_logout_redirect_uri !== undefined && hint) {
      if (!client) throw Errors.invalidRequest().withHint('The client of the "id_token_hint" does not exist.');
      if (!client.metadata.post_logout_redirect_uris.includes(params.post_logout_redirect_uri)) {
        throw Errors.invalidRequest().withHint('The "post_logout_redirect_uri" is not registered for the client.');
      }
      finalUri = withQuery(params.post_logout_redirect_uri, { state: params.state });
    }

    const sid = cookies[SESSION_COOKIE];
    const session = sid ? await this.loginSessions.findById(sid) : null;
    if (!session) return { location: finalUri, cookies: sid ? [{ name: SESSION_COOKIE, value: null }] : [], frontchannel: [] };
    if (hint && typeof hint.sub === 'string' && hint.sub !== session.subject) {
      throw Errors.invalidRequest().withHint('The "id_token_hint" names another user than the one signed in to this browser.');
    }
    const now = new Date();
    const id = newFlowId();
    await this.requests.insert({
      id,
      state: 'initialized',
      subject: session.subject,
      sid: session.id,
      clientId: client?.id ?? null,
      rpInitiated: hint !== null || client !== null,
      requestUrl,
      postLogoutRedirectUri: finalUri,
      verifier: null,
      requestedAt: now,
      expiresAt: new Date(now.getTime() + this.config.ttlLoginConsentRequest),
    });
    return { location: withQuery(this.config.urlsLogout, { logout_challenge: id }), cookies: [], frontchannel: [] };
  }

  /** The logout app accepted: end the session, tell its clients, and leave. */
  private async finish(verifier: string, cookies: SignedCookies): Promise<LogoutOutcome> {
    const id = flowIdOf(verifier);
    const request = id === null ? null : await this.requests.findById(id);
    if (!request || !credentialMatches(verifier, request.verifier) || request.expiresAt.getTime() < Date.now()) {
      throw Errors.invalidRequest().withHint('The logout verifier is invalid, expired, or has already been used.');
    }
    if (cookies[SESSION_COOKIE] !== request.sid) throw Errors.requestForbidden().withHint('The logout verifier was not issued to this browser.');
    if (!(await this.requests.transition(request.id, 'accepted', 'used'))) {
      throw Errors.invalidRequest().withHint('The logout verifier is invalid, expired, or has already been used.');
    }
    const clients = await this.notifier.clientsOf(request.sid);
    await this.loginSessions.delete({ id: request.sid });
    await this.notifier.backchannel(clients, request.subject, request.sid);
    return {
      location: request.postLogoutRedirectUri,
      cookies: [{ name: SESSION_COOKIE, value: null }],
      frontchannel: this.notifier.frontchannelUris(clients, request.sid),
    };
  }
}

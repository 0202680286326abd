import { HydrantConfig } from '../../config/hydrant.config';
import { publicEndpoint } from '../../config/urls';
import { Errors } from '../../errors';
import { hashSecret, mintFlowCredential, newFlowId } from '../../flows/flow-credentials';
import { Flow } from '../../flows/flow.model';
import { FlowStore } from '../../flows/flow.store';
import type { TransactionRunner } from '../../persistence/transaction.runner';
import { AuthorizationCodeStore } from '../../tokens/authorization-code.store';
import { OpaqueTokenCodec } from '../../tokens/opaque-token.codec';
import { randomKey } from '../../tokens/random-key';
import { ClientStore } from '../../clients/client.store';
import { checkAuthorizationRequest } from './authorization-request.checks';
import { codeResponse } from './authorize-response';
import { resolveAuthorizeTarget, UntrustedAuthorizeRequest } from './authorize-target';

/** The authorization request parameters a first-party consent carries; Fluxer's others (guild_id, permissions) are not Hydrant's. */
const REQUEST_PARAMS = ['client_id', 'scope', 'response_type', 'redirect_uri', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'audience'];

/**
 * Fluxer's `POST /oauth2/authorize/consent`: the operator's own consent screen has authenticated the user
 * and shown them the request, and grants it on their behalf through the admin API. The request passes the
 * same checks as at `/oauth2/auth` (client, exact redirect URI, response type, scope, audience, PKCE S256);
 * the flow is recorded at once as a granted consent session, and its code redeems like any other.
 */
export class FirstPartyConsent {
  constructor(
    private readonly clients: ClientStore,
    private readonly flows: FlowStore,
    private readonly codes: AuthorizationCodeStore,
    private readonly codec: OpaqueTokenCodec,
    private readonly transactions: TransactionRunner,
    private readonly config: HydrantConfig,
  ) {}

  /** Answers where the browser goes: the redirect URI with `code`, `scope`, `state` and `iss`. */
  async grant(subject: string | undefined, body: unknown): Promise<{ redirect_to: string }> {
    if (!subject || subject.length > 255) throw Errors.invalidRequest().withHint('The "subject" parameter is required (at most 255 characters).');
    const params = requestParams(body);
    let target;
    try {
      target = await resolveAuthorizeTarget(params, this.clients);
    } catch (e) {
      if (!(e instanceof UntrustedAuthorizeRequest)) throw e;
      // Nothing to authenticate here: an unknown client is a bad request of the operator's backend.
      throw e.error.statusCode === 401 ? Errors.invalidRequest().withHint(e.error.hint ?? 'The client does not exist.') : e.error;
    }
    const requestUrl = `${publicEndpoint(this.config, 'oauth2/auth')}?${new URLSearchParams(params).toString()}`;
    const request = checkAuthorizationRequest({ response_type: 'code', ...params }, target, this.config, requestUrl);
    const now = new Date();
    const id = newFlowId();
    const flow: Flow = {
      id,
      state: 'consent_used',
      clientId: target.client.id,
      subject,
      loginSessionId: null,
      // No browser returns to Hydrant in this flow: the CSRF binding is a secret nobody holds.
      csrf: hashSecret(randomKey()),
      loginVerifier: null,
      // Never handed out (the consent is decided already), but consent sessions name their challenge.
      consentChallenge: mintFlowCredential(id).value,
      consentVerifier: null,
      request,
      login: {
        skip: false, subject, remember: false, rememberFor: 0, acr: '', amr: [], context: {}, extendSessionLifespan: false,
        forceSubjectIdentifier: '', identityProviderSessionId: '', authTime: Math.floor(now.getTime() / 1000), redirectTo: '',
      },
      consentSkip: false,
      consent: {
        skip: false, grantScope: request.scopes, grantAudience: request.audience, remember: false, rememberFor: 0,
        accessTokenClaims: {}, idTokenClaims: {}, context: {}, handledAt: now.getTime(), redirectTo: '',
      },
      requestedAt: now,
      expiresAt: new Date(now.getTime() + this.config.ttlLoginConsentRequest),
      granted: true,
      remember: false,
      rememberUntil: null,
    };
    const code = this.codec.mint('authorization_code');
    await this.transactions.run(async () => {
      await this.flows.insert(flow);
      await this.codes.insert({ signature: code.signature, flowId: flow.id, clientId: flow.clientId, expiresAt: new Date(now.getTime() + this.config.ttlAuthCode), used: false });
    });
    const outcome = codeResponse(request.redirectUri, this.config.urlsSelfIssuer, { code: code.token, scope: request.scopes.join(' '), state: request.state }, []);
    return { redirect_to: outcome.location };
  }
}

/** The authorization request in a JSON body: known parameters only, each a string. */
function requestParams(body: unknown): Record<string, string> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw Errors.invalidRequest().withHint('The request body must be a JSON object.');
  const params: Record<string, string> = {};
  for (const key of REQUEST_PARAMS) {
    const value = (body as Record<string, unknown>)[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw Errors.invalidRequest().withHint(`Field "${key}" must be a string.`);
    // As at /oauth2/auth, where a NUL anywhere in the query is refused before routing.
    if (value.includes('\u0000')) throw Errors.invalidRequest().withHint(`Field "${key}" holds a NUL character.`);
    params[key] = value;
  }
  return params;
}

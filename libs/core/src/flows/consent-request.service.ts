import { ClientStore } from '../clients/client.store';
import { Errors } from '../errors';
import { withQuery } from '../http/with-query';
import { countFlowOutcome } from '../metrics/metrics';
import { audienceAllowed, isScopeToken, scopeAllowed } from '../scopes/scope.strategy';
import { HydrantConfig } from '../config/hydrant.config';
import { AcceptConsentDto, RejectFlowDto } from './flow.dto';
import { FlowDecision, rejection, unknownChallenge } from './flow-decision';
import { FlowCredential, flowIdOf, mintFlowCredential, sameChallenge } from './flow-credentials';
import { Flow, FlowError, HandledConsent } from './flow.model';
import { presentConsentRequest } from './flow.presenter';
import { FlowStore } from './flow.store';

/** What a consent app grants: scopes and audience, with claims for the tokens (the rest of HandledConsent is Hydrant's). */
export type ConsentGrant = Omit<HandledConsent, 'skip' | 'handledAt' | 'redirectTo' | 'error'>;

/**
 * The consent app's side of a flow (admin API): read the consent request, then grant scopes and audience
 * (with claims for the tokens), or refuse. Hydrant never decides for the app, even when `skip` is true.
 * Hydra v2's consent requests and v0's (legacy-consent.service.ts) both decide through `grant` and `refuse`.
 */
export class ConsentRequestService {
  constructor(
    private readonly flows: FlowStore,
    private readonly clients: ClientStore,
    private readonly config: HydrantConfig,
  ) {}

  async get(challenge: string): Promise<Record<string, unknown> | FlowDecision> {
    const flow = await this.find(challenge);
    if (flow.state !== 'consent_initialized') return this.handled(flow);
    const client = await this.clients.findById(flow.clientId);
    if (!client) throw unknownChallenge('consent');
    return presentConsentRequest(flow, client);
  }

  async accept(challenge: string, body: AcceptConsentDto): Promise<FlowDecision> {
    const flow = await this.find(challenge);
    return this.grant(flow, {
      grantScope: [...new Set(body.grant_scope ?? [])],
      grantAudience: [...new Set(body.grant_access_token_audience ?? [])],
      remember: body.remember ?? false,
      rememberFor: body.remember_for ?? 0,
      accessTokenClaims: body.session?.access_token ?? {},
      idTokenClaims: body.session?.id_token ?? {},
      context: body.context ?? {},
    });
  }

  async reject(challenge: string, body: RejectFlowDto): Promise<FlowDecision> {
    return this.refuse(await this.find(challenge), rejection(body));
  }

  /**
   * Records a grant and answers where the browser goes next; `verifier` is the one its redirect carries.
   * Granted scopes become the tokens' scope, so each must be a scope token (RFC 6749 §3.3). A consent
   * cannot widen the request: what the app grants beyond what was requested, or beyond what the client
   * may have now, is dropped (Hydra checks both again at the token endpoint).
   */
  async grant(flow: Flow, grant: ConsentGrant, verifier: FlowCredential = mintFlowCredential(flow.id)): Promise<FlowDecision> {
    const malformed = grant.grantScope.find((s) => !isScopeToken(s));
    if (malformed !== undefined) throw Errors.invalidRequest().withHint(`The granted scope ${JSON.stringify(malformed)} is not a valid scope token.`);
    if (flow.state !== 'consent_initialized') return this.handled(flow);
    const client = await this.clients.findById(flow.clientId);
    if (!client) throw unknownChallenge('consent');
    const allowedScopes = client.metadata.scope.split(' ');
    const granted: ConsentGrant = {
      ...grant,
      grantScope: grant.grantScope.filter((s) => flow.request.scopes.includes(s) && scopeAllowed(allowedScopes, s, this.config.strategiesScope)),
      grantAudience: grant.grantAudience.filter((a) => flow.request.audience.includes(a) && audienceAllowed(client.metadata.audience, a)),
    };
    return this.decide(flow, { ...granted, skip: flow.consentSkip, handledAt: Date.now(), redirectTo: '' }, verifier);
  }

  /** Records a refusal: the client will receive `error` when the browser returns. */
  refuse(flow: Flow, error: FlowError, verifier: FlowCredential = mintFlowCredential(flow.id)): Promise<FlowDecision> {
    return this.decide(flow, {
      skip: flow.consentSkip, grantScope: [], grantAudience: [], remember: false, rememberFor: 0,
      accessTokenClaims: {}, idTokenClaims: {}, context: {}, handledAt: Date.now(), redirectTo: '', error,
    }, verifier);
  }

  /** The flow a consent challenge names, whatever its state, unless it is unknown or expired (404). */
  async find(challenge: string): Promise<Flow> {
    if (typeof challenge !== 'string' || challenge.length === 0) throw Errors.invalidRequest().withHint('The "consent_challenge" parameter is missing.');
    const id = flowIdOf(challenge);
    const flow = id === null ? null : await this.flows.findById(id);
    if (!flow || !sameChallenge(challenge, flow.consentChallenge) || flow.expiresAt.getTime() < Date.now()) throw unknownChallenge('consent');
    return flow;
  }

  /** Hydra's answer for a request that was decided already: where its decision sent the browser (410). */
  handled(flow: Flow): FlowDecision {
    return { redirect_to: flow.consent?.redirectTo ?? flow.request.requestUrl, alreadyHandled: true };
  }

  private async decide(flow: Flow, consent: HandledConsent, verifier: FlowCredential): Promise<FlowDecision> {
    if (flow.state !== 'consent_initialized') return this.handled(flow);
    consent.redirectTo = withQuery(flow.request.requestUrl, { consent_verifier: verifier.value });
    const moved = await this.flows.transition(flow.id, 'consent_initialized', 'consent_unused', { consent, consentVerifier: verifier.hash });
    if (!moved) return this.handled((await this.flows.findById(flow.id)) ?? flow);
    countFlowOutcome('consent', consent.error ? 'rejected' : 'accepted');
    return { redirect_to: consent.redirectTo, alreadyHandled: false };
  }
}

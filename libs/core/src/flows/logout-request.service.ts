import { ClientStore } from '../clients/client.store';
import { presentClient } from '../clients/client.presenter';
import { HydrantConfig } from '../config/hydrant.config';
import { publicEndpoint } from '../config/urls';
import { Errors } from '../errors';
import { withQuery } from '../http/with-query';
import { countFlowOutcome } from '../metrics/metrics';
import { FlowDecision, unknownChallenge } from './flow-decision';
import { mintFlowCredential } from './flow-credentials';
import { LogoutRequest } from './logout-request.model';
import { LogoutRequestStore } from './logout-request.store';

/** The logout app's side (admin API): read the logout request, then confirm or refuse it. */
export class LogoutRequestService {
  constructor(
    private readonly requests: LogoutRequestStore,
    private readonly clients: ClientStore,
    private readonly config: HydrantConfig,
  ) {}

  /** OAuth2LogoutRequest, or 410 once it was handled. */
  async get(challenge: string): Promise<Record<string, unknown> | FlowDecision> {
    const request = await this.find(challenge);
    if (request.state !== 'initialized') return { redirect_to: request.postLogoutRedirectUri, alreadyHandled: true };
    const client = request.clientId ? await this.clients.findById(request.clientId) : null;
    return {
      challenge: request.id,
      subject: request.subject,
      sid: request.sid,
      request_url: request.requestUrl,
      rp_initiated: request.rpInitiated,
      client: client ? presentClient(client) : null,
      requested_at: request.requestedAt.toISOString(),
      expires_at: request.expiresAt.toISOString(),
    };
  }

  async accept(challenge: string): Promise<FlowDecision> {
    const request = await this.find(challenge);
    const verifier = mintFlowCredential(request.id);
    if (request.state !== 'initialized' || !(await this.requests.transition(request.id, 'initialized', 'accepted', verifier.hash))) {
      return { redirect_to: request.postLogoutRedirectUri, alreadyHandled: true };
    }
    countFlowOutcome('logout', 'accepted');
    return { redirect_to: withQuery(publicEndpoint(this.config, 'oauth2/sessions/logout'), { logout_verifier: verifier.value }), alreadyHandled: false };
  }

  /** The user stays signed in; the logout app takes the browser wherever it likes. */
  async reject(challenge: string): Promise<FlowDecision | null> {
    const request = await this.find(challenge);
    if (await this.requests.transition(request.id, 'initialized', 'rejected')) {
      countFlowOutcome('logout', 'rejected');
      return null;
    }
    return { redirect_to: request.postLogoutRedirectUri, alreadyHandled: true };
  }

  private async find(challenge: string): Promise<LogoutRequest> {
    if (typeof challenge !== 'string' || challenge.length === 0) throw Errors.invalidRequest().withHint('The "logout_challenge" parameter is missing.');
    const request = await this.requests.findById(challenge);
    if (!request || request.expiresAt.getTime() < Date.now()) throw unknownChallenge('logout');
    return request;
  }
}

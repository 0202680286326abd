import { ClientStore } from '../clients/client.store';
import { Errors } from '../errors';
import { AcceptLoginDto, RejectFlowDto } from './flow.dto';
import { FlowDecision, rejection, unknownChallenge } from './flow-decision';
import { mintFlowCredential } from './flow-credentials';
import { Flow, FlowError, HandledLogin } from './flow.model';
import { presentLoginRequest } from './flow.presenter';
import { FlowStore } from './flow.store';
import { LoginSessionStore } from './login-session.store';
import { withQuery } from '../http/with-query';
import { countFlowOutcome } from '../metrics/metrics';

/**
 * The login app's side of a flow (admin API): read the login request, then accept it with the subject the
 * app authenticated, or reject it. Either answer sends the browser back to `/oauth2/auth` with a
 * login verifier; handling a request twice answers the first decision's `redirect_to` as already handled.
 */
export class LoginRequestService {
  constructor(
    private readonly flows: FlowStore,
    private readonly loginSessions: LoginSessionStore,
    private readonly clients: ClientStore,
  ) {}

  async get(challenge: string): Promise<Record<string, unknown> | FlowDecision> {
    const flow = await this.find(challenge);
    if (flow.state !== 'login_initialized') return { redirect_to: flow.login?.redirectTo ?? flow.request.requestUrl, alreadyHandled: true };
    const client = await this.clients.findById(flow.clientId);
    if (!client) throw unknownChallenge('login');
    return presentLoginRequest(flow, client);
  }

  async accept(challenge: string, body: AcceptLoginDto): Promise<FlowDecision> {
    const flow = await this.find(challenge);
    if (flow.state !== 'login_initialized') return this.handled(flow);
    // At this step a subject is known only from a remembered login session: the request was skipped.
    const skip = flow.subject !== null;
    if (skip && body.subject !== flow.subject) {
      throw Errors.invalidRequest().withHint('The login request was skipped for an authenticated subject; accept it with that subject.');
    }
    const hinted = flow.request.idTokenHintClaims?.sub;
    if (hinted !== undefined && hinted !== body.subject) {
      throw Errors.invalidRequest().withHint('The subject does not match the subject of the "id_token_hint".');
    }
    let authTime = Math.floor(Date.now() / 1000);
    if (skip) {
      const session = await this.loginSessions.findById(flow.loginSessionId!);
      if (session) authTime = Math.floor(session.authenticatedAt.getTime() / 1000);
    }
    return this.decide(flow, {
      skip,
      subject: body.subject,
      remember: body.remember ?? false,
      rememberFor: body.remember_for ?? 0,
      acr: body.acr ?? '',
      amr: body.amr ?? [],
      context: body.context ?? {},
      extendSessionLifespan: body.extend_session_lifespan ?? false,
      forceSubjectIdentifier: body.force_subject_identifier ?? '',
      identityProviderSessionId: body.identity_provider_session_id ?? '',
      authTime,
      redirectTo: '',
    });
  }

  async reject(challenge: string, body: RejectFlowDto): Promise<FlowDecision> {
    const flow = await this.find(challenge);
    if (flow.state !== 'login_initialized') return this.handled(flow);
    return this.decide(flow, rejectedLogin(flow, rejection(body)));
  }

  private async decide(flow: Flow, login: HandledLogin): Promise<FlowDecision> {
    const verifier = mintFlowCredential(flow.id);
    login.redirectTo = withQuery(flow.request.requestUrl, { login_verifier: verifier.value });
    const moved = await this.flows.transition(flow.id, 'login_initialized', 'login_unused', {
      subject: login.error ? flow.subject : login.subject,
      login,
      loginVerifier: verifier.hash,
    });
    if (!moved) return this.handled((await this.flows.findById(flow.id)) ?? flow);
    countFlowOutcome('login', login.error ? 'rejected' : 'accepted');
    return { redirect_to: login.redirectTo, alreadyHandled: false };
  }

  private handled(flow: Flow): FlowDecision {
    return { redirect_to: flow.login?.redirectTo ?? flow.request.requestUrl, alreadyHandled: true };
  }

  private async find(challenge: string): Promise<Flow> {
    if (typeof challenge !== 'string' || challenge.length === 0) throw Errors.invalidRequest().withHint('The "login_challenge" parameter is missing.');
    const flow = challenge.includes('.') ? null : await this.flows.findById(challenge);
    if (!flow || flow.expiresAt.getTime() < Date.now()) throw unknownChallenge('login');
    return flow;
  }
}

function rejectedLogin(flow: Flow, error: FlowError): HandledLogin {
  return {
    skip: false, subject: flow.subject ?? '', remember: false, rememberFor: 0, acr: '', amr: [], context: {},
    extendSessionLifespan: false, forceSubjectIdentifier: '', identityProviderSessionId: '', authTime: 0, redirectTo: '', error,
  };
}

import { createHmac, hkdfSync } from 'node:crypto';
import { Errors } from '../errors';
import { withQuery } from '../http/with-query';
import { ConsentRequestService } from './consent-request.service';
import { FlowDecision } from './flow-decision';
import { FlowCredential, hashSecret } from './flow-credentials';
import { LegacyConsentAcceptanceDto, LegacyConsentRejectionDto } from './legacy-consent.dto';
import { Flow } from './flow.model';

/**
 * Hydra v0's consent API (v0.10's OAuth2Api: `GET /oauth2/consent/requests/{id}`, `PATCH …/accept`,
 * `PATCH …/reject`), served by the same flow state machine as v2's consent requests: `{id}` is the consent
 * challenge of a flow waiting for consent, each request is decided once (410 after), and it expires.
 *
 * v0's consent app learns where to send the browser (`redirectUrl`) when it reads the request, before it
 * decides, and accept and reject answer no body. So the consent verifier of a v0 decision cannot be drawn
 * at random when the decision is made: it is derived from the challenge with a key of SECRETS_SYSTEM, the
 * same on every worker, and only works once the decision moved the flow on, like any verifier.
 */
export class LegacyConsentService {
  private readonly verifierKey: Buffer;

  constructor(
    private readonly consents: ConsentRequestService,
    systemSecrets: readonly string[],
  ) {
    this.verifierKey = Buffer.from(hkdfSync('sha256', systemSecrets[0], 'hydrant', 'hydra-v0-consent-verifier', 32));
  }

  /** v0's OAuth2ConsentRequest, or 410 once it was decided. */
  async get(id: string): Promise<Record<string, unknown> | FlowDecision> {
    const flow = await this.consents.find(id);
    if (flow.state !== 'consent_initialized') return this.consents.handled(flow);
    return {
      id: flow.consentChallenge,
      requestedScopes: flow.request.scopes,
      clientId: flow.clientId,
      redirectUrl: withQuery(flow.request.requestUrl, { consent_verifier: this.verifier(flow).value }),
      expiresAt: flow.expiresAt.toISOString(),
    };
  }

  /** Grants exactly `grantScopes`, with v0's extras as the tokens' claims, to the subject that logged in. */
  async accept(id: string, body: LegacyConsentAcceptanceDto): Promise<FlowDecision> {
    const flow = await this.consents.find(id);
    if (body.subject && flow.state === 'consent_initialized' && body.subject !== flow.subject) {
      throw Errors.invalidRequest().withHint('The subject is not the one who logged in for this consent request.');
    }
    return this.consents.grant(flow, {
      grantScope: [...new Set(body.grantScopes ?? [])],
      grantAudience: [],
      remember: false,
      rememberFor: 0,
      accessTokenClaims: body.accessTokenExtra ?? {},
      idTokenClaims: body.idTokenExtra ?? {},
      context: {},
    }, this.verifier(flow));
  }

  /** The client receives `access_denied`, described by the `reason` the app gave. */
  async reject(id: string, body: LegacyConsentRejectionDto): Promise<FlowDecision> {
    const flow = await this.consents.find(id);
    const denied = Errors.accessDenied();
    return this.consents.refuse(flow, { error: denied.error, errorDescription: body.reason || denied.description, errorHint: '', statusCode: denied.statusCode },
      this.verifier(flow));
  }

  private verifier(flow: Flow): FlowCredential {
    const secret = createHmac('sha256', this.verifierKey).update(flow.consentChallenge ?? '').digest('base64url');
    return { value: `${flow.id}.${secret}`, hash: hashSecret(secret) };
  }
}

import { Client } from '../clients/client.model';
import { ClientStore } from '../clients/client.store';
import { HydrantConfig } from '../config/hydrant.config';
import { Errors } from '../errors';
import { Flow } from '../flows/flow.model';
import { FlowStore } from '../flows/flow.store';
import { SessionService } from '../flows/session.service';
import { subjectForClient } from '../oidc/subject-identifier';
import { isTokenUsable } from '../tokens/token.model';
import { TokenResolver } from '../tokens/token.resolver';
import { presentApplicationCard, presentApplicationSummary, presentUser } from './application.presenter';

/**
 * Fluxer's view of authorizations, drawn from Hydrant's consent sessions (granted flows): the
 * applications a user authorized, with the scopes granted to each (`/oauth2/@me/authorizations`), which
 * can be revoked with every token they issued; and what one access token is authorized for
 * (`/oauth2/@me`).
 */
export class AuthorizationService {
  constructor(
    private readonly flows: FlowStore,
    private readonly clients: ClientStore,
    private readonly sessions: SessionService,
    private readonly resolver: TokenResolver,
    private readonly config: HydrantConfig,
  ) {}

  /** OAuth2AuthorizationResponse per application the subject authorized: every scope granted, and since when. */
  async list(subject: string | undefined): Promise<Array<Record<string, unknown>>> {
    if (!subject) throw Errors.invalidRequest().withHint('The "subject" parameter is required.');
    const byClient = new Map<string, { scopes: Set<string>; since: number }>();
    for (const flow of await this.flows.findGranted(subject)) {
      const entry = byClient.get(flow.clientId) ?? { scopes: new Set<string>(), since: flow.consent?.handledAt ?? flow.requestedAt.getTime() };
      flow.consent?.grantScope.forEach((s) => entry.scopes.add(s));
      entry.since = Math.min(entry.since, flow.consent?.handledAt ?? entry.since);
      byClient.set(flow.clientId, entry);
    }
    const authorizations: Array<Record<string, unknown>> = [];
    for (const [clientId, { scopes, since }] of byClient) {
      const client = await this.clients.findById(clientId);
      if (!client) continue;
      authorizations.push({ application: presentApplicationCard(client), scopes: [...scopes], authorized_at: new Date(since).toISOString() });
    }
    return authorizations;
  }

  /** Revokes the subject's authorization of one application: its consents, and every token they issued, at once. */
  async revoke(subject: string | undefined, clientId: string): Promise<void> {
    if (!subject) throw Errors.invalidRequest().withHint('The "subject" parameter is required.');
    if ((await this.flows.findGranted(subject, { clientId })).length === 0) {
      throw Errors.notFound().withHint(`The user has not authorized the application "${clientId}".`);
    }
    await this.sessions.revokeConsents(subject, { clientId, all: false });
  }

  /**
   * OAuth2MeResponse: the application, scopes and expiry of a presented access token, and the user (as the
   * application sees them) when `identify` was granted to a user's authorization.
   */
  async current(accessToken: string | undefined): Promise<Record<string, unknown>> {
    const token = accessToken ? await this.resolver.resolve(accessToken) : null;
    const client = token && token.kind === 'access_token' && isTokenUsable(token) ? await this.clients.findById(token.clientId) : null;
    if (!token || !client) throw Errors.invalidToken().withHint('The access token is expired, revoked, malformed or unknown.');
    const flow = token.scopes.includes('identify') ? await this.flows.findById(token.requestId) : null;
    return {
      application: presentApplicationSummary(client),
      scopes: token.scopes,
      expires: token.expiresAt.toISOString(),
      ...(flow?.subject ? { user: this.user(client, flow, token.scopes) } : {}),
    };
  }

  private user(client: Client, flow: Flow, scopes: string[]): Record<string, unknown> {
    const id = subjectForClient(client, flow.subject!, this.config.oidcSubjectIdentifiersPairwiseSalt, flow.login?.forceSubjectIdentifier);
    const claims = flow.consent?.idTokenClaims ?? {};
    const email = scopes.includes('email') && typeof claims.email === 'string' ? { email: claims.email, verified: claims.email_verified === true } : {};
    return { ...presentUser(id), ...email };
  }
}

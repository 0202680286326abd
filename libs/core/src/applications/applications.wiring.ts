import { ClientService } from '../clients/client.service';
import { SessionService } from '../flows/session.service';
import type { Stores } from '../stores';
import type { HydrantRuntime } from '../runtime';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';
import { TokenResolver } from '../tokens/token.resolver';
import { ApplicationService } from './application.service';
import { AuthorizationService } from './authorization.service';
import { BotService } from './bot.service';

interface ApplicationDependencies {
  clients: { clientService: ClientService };
  tokens: { accessTokenIssuer: AccessTokenIssuer; tokenResolver: TokenResolver };
  flows: { sessions: SessionService };
}

/** Fluxer's applications, bots and authorizations. */
export function wireApplications(runtime: HydrantRuntime, stores: Stores, { clients, tokens, flows }: ApplicationDependencies) {
  const applications = new ApplicationService(clients.clientService, stores.clients);
  return {
    applications,
    bots: new BotService(applications, stores.clients, tokens.accessTokenIssuer, stores.tokens, tokens.tokenResolver, runtime.transactions),
    authorizations: new AuthorizationService(stores.flows, stores.clients, flows.sessions, tokens.tokenResolver, runtime.config),
  };
}

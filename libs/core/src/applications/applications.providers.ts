import { FactoryProvider } from '@nestjs/common';
import { ClientRepository } from '../clients/client.repository';
import { ClientService } from '../clients/client.service';
import { HydrantConfig } from '../config/hydrant.config';
import { FlowRepository } from '../flows/flow.repository';
import { SessionService } from '../flows/session.service';
import { TransactionRunner } from '../persistence/transaction.runner';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';
import { TokenRepository } from '../tokens/token.repository';
import { TokenResolver } from '../tokens/token.resolver';
import { ApplicationService } from './application.service';
import { AuthorizationService } from './authorization.service';
import { BotService } from './bot.service';

/** Fluxer's applications, bots and authorizations, assembled once per app. */
export const APPLICATION_PROVIDERS: FactoryProvider[] = [
  {
    provide: ApplicationService,
    useFactory: (clients: ClientService, repo: ClientRepository) => new ApplicationService(clients, repo),
    inject: [ClientService, ClientRepository],
  },
  {
    provide: BotService,
    useFactory: (apps: ApplicationService, repo: ClientRepository, issuer: AccessTokenIssuer, tokens: TokenRepository, resolver: TokenResolver, tx: TransactionRunner) =>
      new BotService(apps, repo, issuer, tokens, resolver, tx),
    inject: [ApplicationService, ClientRepository, AccessTokenIssuer, TokenRepository, TokenResolver, TransactionRunner],
  },
  {
    provide: AuthorizationService,
    useFactory: (flows: FlowRepository, repo: ClientRepository, sessions: SessionService, resolver: TokenResolver, c: HydrantConfig) =>
      new AuthorizationService(flows, repo, sessions, resolver, c),
    inject: [FlowRepository, ClientRepository, SessionService, TokenResolver, HydrantConfig],
  },
];

import { FactoryProvider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ClientRepository } from '../clients/client.repository';
import { HydrantConfig } from '../config/hydrant.config';
import { AuthorizeEndpoint } from '../oauth2/authorize/authorize.endpoint';
import { FirstPartyConsent } from '../oauth2/authorize/first-party-consent';
import { FlowReturn } from '../oauth2/authorize/flow-return';
import { IdTokenCodec } from '../oidc/id-token.codec';
import { UserinfoService } from '../oidc/userinfo.service';
import { TransactionRunner } from '../persistence/transaction.runner';
import { AuthorizationCodeRepository } from '../tokens/authorization-code.repository';
import { OpaqueTokenCodec } from '../tokens/opaque-token.codec';
import { TokenRepository } from '../tokens/token.repository';
import { TokenResolver } from '../tokens/token.resolver';
import { ConsentRequestService } from './consent-request.service';
import { FlowRepository } from './flow.repository';
import { LegacyConsentService } from './legacy-consent.service';
import { LoginRequestService } from './login-request.service';
import { LoginSessionRepository } from './login-session.repository';
import { LogoutRequestRepository } from './logout-request.repository';
import { LogoutRequestService } from './logout-request.service';
import { LogoutEndpoint } from '../oauth2/logout/logout.endpoint';
import { LogoutNotifier } from '../oidc/logout-notifier';
import { Logger } from '../logging/logger';
import { OutboundHttpClient } from '../http/outbound/outbound-http.client';
import { LOGGER } from '../logging/logger.token';
import { SessionService } from './session.service';

/** The browser flow's objects (authorize endpoint, login/consent requests, sessions, userinfo), assembled once per app. */
export const FLOW_PROVIDERS: FactoryProvider[] = [
  { provide: FlowRepository, useFactory: (ds: DataSource) => new FlowRepository(ds), inject: [DataSource] },
  { provide: LoginSessionRepository, useFactory: (ds: DataSource) => new LoginSessionRepository(ds), inject: [DataSource] },
  {
    provide: FlowReturn,
    useFactory: (flows: FlowRepository, sessions: LoginSessionRepository, codes: AuthorizationCodeRepository, codec: OpaqueTokenCodec,
      tx: TransactionRunner, c: HydrantConfig) => new FlowReturn(flows, sessions, codes, codec, tx, c),
    inject: [FlowRepository, LoginSessionRepository, AuthorizationCodeRepository, OpaqueTokenCodec, TransactionRunner, HydrantConfig],
  },
  {
    provide: AuthorizeEndpoint,
    useFactory: (clients: ClientRepository, flows: FlowRepository, sessions: LoginSessionRepository, ids: IdTokenCodec, back: FlowReturn, c: HydrantConfig) =>
      new AuthorizeEndpoint(clients, flows, sessions, ids, back, c),
    inject: [ClientRepository, FlowRepository, LoginSessionRepository, IdTokenCodec, FlowReturn, HydrantConfig],
  },
  {
    provide: FirstPartyConsent,
    useFactory: (clients: ClientRepository, flows: FlowRepository, codes: AuthorizationCodeRepository, codec: OpaqueTokenCodec, tx: TransactionRunner, c: HydrantConfig) =>
      new FirstPartyConsent(clients, flows, codes, codec, tx, c),
    inject: [ClientRepository, FlowRepository, AuthorizationCodeRepository, OpaqueTokenCodec, TransactionRunner, HydrantConfig],
  },
  {
    provide: LoginRequestService,
    useFactory: (flows: FlowRepository, sessions: LoginSessionRepository, clients: ClientRepository) => new LoginRequestService(flows, sessions, clients),
    inject: [FlowRepository, LoginSessionRepository, ClientRepository],
  },
  {
    provide: ConsentRequestService,
    useFactory: (flows: FlowRepository, clients: ClientRepository, c: HydrantConfig) => new ConsentRequestService(flows, clients, c),
    inject: [FlowRepository, ClientRepository, HydrantConfig],
  },
  {
    provide: LegacyConsentService,
    useFactory: (consents: ConsentRequestService, c: HydrantConfig) => new LegacyConsentService(consents, c.secretsSystem),
    inject: [ConsentRequestService, HydrantConfig],
  },
  { provide: LogoutRequestRepository, useFactory: (ds: DataSource) => new LogoutRequestRepository(ds), inject: [DataSource] },
  {
    provide: LogoutNotifier,
    useFactory: (flows: FlowRepository, clients: ClientRepository, ids: IdTokenCodec, http: OutboundHttpClient, c: HydrantConfig, logger: Logger) =>
      new LogoutNotifier(flows, clients, ids, http, c.urlsSelfIssuer, logger),
    inject: [FlowRepository, ClientRepository, IdTokenCodec, OutboundHttpClient, HydrantConfig, LOGGER],
  },
  {
    provide: LogoutEndpoint,
    useFactory: (requests: LogoutRequestRepository, sessions: LoginSessionRepository, clients: ClientRepository, ids: IdTokenCodec, notifier: LogoutNotifier, c: HydrantConfig) =>
      new LogoutEndpoint(requests, sessions, clients, ids, notifier, c),
    inject: [LogoutRequestRepository, LoginSessionRepository, ClientRepository, IdTokenCodec, LogoutNotifier, HydrantConfig],
  },
  {
    provide: LogoutRequestService,
    useFactory: (requests: LogoutRequestRepository, clients: ClientRepository, c: HydrantConfig) => new LogoutRequestService(requests, clients, c),
    inject: [LogoutRequestRepository, ClientRepository, HydrantConfig],
  },
  {
    provide: SessionService,
    useFactory: (flows: FlowRepository, sessions: LoginSessionRepository, tokens: TokenRepository, clients: ClientRepository, tx: TransactionRunner, notifier: LogoutNotifier) =>
      new SessionService(flows, sessions, tokens, clients, tx, notifier),
    inject: [FlowRepository, LoginSessionRepository, TokenRepository, ClientRepository, TransactionRunner, LogoutNotifier],
  },
  {
    provide: UserinfoService,
    useFactory: (resolver: TokenResolver, flows: FlowRepository, clients: ClientRepository, c: HydrantConfig) => new UserinfoService(resolver, flows, clients, c),
    inject: [TokenResolver, FlowRepository, ClientRepository, HydrantConfig],
  },
];

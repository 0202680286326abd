import { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ClientAssertionJtiRepository } from '../clients/authentication/client-assertion-jti.repository';
import { ClientAssertionVerifier } from '../clients/authentication/client-assertion.verifier';
import { ClientAuthenticator } from '../clients/authentication/client.authenticator';
import { ClientRepository } from '../clients/client.repository';
import { ClientService } from '../clients/client.service';
import { HydrantConfig } from '../config/hydrant.config';
import { issuerBase, publicEndpoint } from '../config/urls';
import { TransactionRunner } from '../persistence/transaction.runner';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';
import { OpaqueTokenCodec } from '../tokens/opaque-token.codec';
import { TokenFlusher } from '../tokens/token.flusher';
import { TokenRepository } from '../tokens/token.repository';
import { IntrospectionService } from './introspection/introspection.service';
import { RevocationService } from './revocation/revocation.service';
import { ClientCredentialsGrant } from './token/grants/client-credentials.grant';
import { TOKEN_ENDPOINT_HANDLERS, TokenEndpointHandler } from './token/token-endpoint.handler';
import { TokenEndpoint } from './token/token.endpoint';

/** The token lifecycle's objects, assembled once per app from the framework-free classes of libs/core. */
export const OAUTH2_PROVIDERS: Provider[] = [
  { provide: OpaqueTokenCodec, useFactory: (c: HydrantConfig) => new OpaqueTokenCodec(c.secretsSystem), inject: [HydrantConfig] },
  { provide: TokenRepository, useFactory: (ds: DataSource) => new TokenRepository(ds), inject: [DataSource] },
  { provide: ClientAssertionJtiRepository, useFactory: (ds: DataSource) => new ClientAssertionJtiRepository(ds), inject: [DataSource] },
  {
    provide: ClientAssertionVerifier,
    useFactory: (jtis: ClientAssertionJtiRepository, c: HydrantConfig) =>
      new ClientAssertionVerifier(jtis, issuerBase(c), publicEndpoint(c, 'oauth2/token')),
    inject: [ClientAssertionJtiRepository, HydrantConfig],
  },
  {
    provide: ClientAuthenticator,
    useFactory: (repo: ClientRepository, service: ClientService, verifier: ClientAssertionVerifier) => new ClientAuthenticator(repo, service, verifier),
    inject: [ClientRepository, ClientService, ClientAssertionVerifier],
  },
  { provide: AccessTokenIssuer, useFactory: (codec: OpaqueTokenCodec) => new AccessTokenIssuer(codec), inject: [OpaqueTokenCodec] },
  {
    provide: TOKEN_ENDPOINT_HANDLERS,
    useFactory: (issuer: AccessTokenIssuer, tokens: TokenRepository, c: HydrantConfig): TokenEndpointHandler[] => [
      new ClientCredentialsGrant(issuer, tokens, c),
    ],
    inject: [AccessTokenIssuer, TokenRepository, HydrantConfig],
  },
  {
    provide: TokenEndpoint,
    useFactory: (handlers: TokenEndpointHandler[], auth: ClientAuthenticator, c: HydrantConfig) =>
      new TokenEndpoint(handlers, auth, publicEndpoint(c, 'oauth2/token')),
    inject: [TOKEN_ENDPOINT_HANDLERS, ClientAuthenticator, HydrantConfig],
  },
  {
    provide: IntrospectionService,
    useFactory: (codec: OpaqueTokenCodec, tokens: TokenRepository, c: HydrantConfig) => new IntrospectionService(codec, tokens, c),
    inject: [OpaqueTokenCodec, TokenRepository, HydrantConfig],
  },
  {
    provide: RevocationService,
    useFactory: (codec: OpaqueTokenCodec, tokens: TokenRepository, tx: TransactionRunner, auth: ClientAuthenticator, c: HydrantConfig) =>
      new RevocationService(codec, tokens, tx, auth, publicEndpoint(c, 'oauth2/revoke')),
    inject: [OpaqueTokenCodec, TokenRepository, TransactionRunner, ClientAuthenticator, HydrantConfig],
  },
  {
    provide: TokenFlusher,
    useFactory: (tokens: TokenRepository, jtis: ClientAssertionJtiRepository) => new TokenFlusher(tokens, jtis),
    inject: [TokenRepository, ClientAssertionJtiRepository],
  },
];

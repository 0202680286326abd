import { FactoryProvider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ClientAssertionJtiRepository } from '../clients/authentication/client-assertion-jti.repository';
import { ClientAssertionVerifier } from '../clients/authentication/client-assertion.verifier';
import { ClientAuthenticator } from '../clients/authentication/client.authenticator';
import { ClientSecretHasher } from '../clients/client-secret.hasher';
import { ClientRepository } from '../clients/client.repository';
import { HydrantConfig } from '../config/hydrant.config';
import { issuerBase, publicEndpoint } from '../config/urls';
import { RemoteKeySetCache } from '../http/outbound/remote-key-set.cache';
import { JwkRepository } from '../keys/jwk.repository';
import { KeyEncryption } from '../keys/key-encryption';
import { KeySetService } from '../keys/key-set.service';
import { KeySetAdminService } from '../keys/key-set-admin.service';
import { TransactionRunner } from '../persistence/transaction.runner';
import { ClientAuthenticationLimiter } from '../rate-limit/client-authentication.limiter';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';
import { JwtAccessTokenCodec } from '../tokens/jwt-access-token';
import { OpaqueTokenCodec } from '../tokens/opaque-token.codec';
import { Janitor } from '../janitor/janitor';
import { TokenRepository } from '../tokens/token.repository';
import { TokenResolver } from '../tokens/token.resolver';
import { PersonalAccessTokenRepository } from '../tokens/personal-access-token.repository';
import { PersonalAccessTokenService } from '../tokens/personal-access-token.service';
import { IntrospectionService } from './introspection/introspection.service';
import { RevocationService } from './revocation/revocation.service';
import { FlowRepository } from '../flows/flow.repository';
import { LoginSessionRepository } from '../flows/login-session.repository';
import { LogoutRequestRepository } from '../flows/logout-request.repository';
import { IdTokenCodec } from '../oidc/id-token.codec';
import { AuthorizationCodeRepository } from '../tokens/authorization-code.repository';
import { FlowTokenIssuer } from './token/flow-token.issuer';
import { AuthorizationCodeGrant } from './token/grants/authorization-code.grant';
import { ClientCredentialsGrant } from './token/grants/client-credentials.grant';
import { RefreshTokenGrant } from './token/grants/refresh-token.grant';
import { TOKEN_ENDPOINT_HANDLERS, TokenEndpointHandler } from './token/token-endpoint.handler';
import { TokenEndpoint } from './token/token.endpoint';

/** The token lifecycle's objects, assembled once per app from the framework-free classes of libs/core. */
export const OAUTH2_PROVIDERS: FactoryProvider[] = [
  { provide: OpaqueTokenCodec, useFactory: (c: HydrantConfig) => new OpaqueTokenCodec(c.secretsSystem), inject: [HydrantConfig] },
  { provide: TokenRepository, useFactory: (ds: DataSource) => new TokenRepository(ds), inject: [DataSource] },
  { provide: PersonalAccessTokenRepository, useFactory: (ds: DataSource) => new PersonalAccessTokenRepository(ds), inject: [DataSource] },
  {
    provide: PersonalAccessTokenService,
    useFactory: (pats: PersonalAccessTokenRepository, codec: OpaqueTokenCodec, c: HydrantConfig) => new PersonalAccessTokenService(pats, codec, c),
    inject: [PersonalAccessTokenRepository, OpaqueTokenCodec, HydrantConfig],
  },
  { provide: ClientAssertionJtiRepository, useFactory: (ds: DataSource) => new ClientAssertionJtiRepository(ds), inject: [DataSource] },
  {
    provide: ClientAssertionVerifier,
    useFactory: (jtis: ClientAssertionJtiRepository, keySets: RemoteKeySetCache, c: HydrantConfig) =>
      new ClientAssertionVerifier(jtis, keySets, issuerBase(c), publicEndpoint(c, 'oauth2/token')),
    inject: [ClientAssertionJtiRepository, RemoteKeySetCache, HydrantConfig],
  },
  {
    provide: ClientAuthenticator,
    useFactory: (repo: ClientRepository, hasher: ClientSecretHasher, verifier: ClientAssertionVerifier, limiter: RateLimiter, c: HydrantConfig) =>
      new ClientAuthenticator(repo, hasher, verifier,
        new ClientAuthenticationLimiter(limiter, c.oauth2ClientAuthenticationFailureLimit, c.oauth2ClientAuthenticationFailureWindow)),
    inject: [ClientRepository, ClientSecretHasher, ClientAssertionVerifier, RateLimiter, HydrantConfig],
  },
  { provide: KeyEncryption, useFactory: (c: HydrantConfig) => new KeyEncryption(c.secretsSystem), inject: [HydrantConfig] },
  { provide: JwkRepository, useFactory: (ds: DataSource) => new JwkRepository(ds), inject: [DataSource] },
  {
    provide: KeySetAdminService,
    useFactory: (keySets: KeySetService, repo: JwkRepository, enc: KeyEncryption, tx: TransactionRunner) => new KeySetAdminService(keySets, repo, enc, tx),
    inject: [KeySetService, JwkRepository, KeyEncryption, TransactionRunner],
  },
  { provide: JwtAccessTokenCodec, useFactory: (keys: KeySetService, c: HydrantConfig) => new JwtAccessTokenCodec(keys, c.urlsSelfIssuer), inject: [KeySetService, HydrantConfig] },
  {
    provide: TokenResolver,
    useFactory: (codec: OpaqueTokenCodec, jwts: JwtAccessTokenCodec, tokens: TokenRepository, pats: PersonalAccessTokenRepository) =>
      new TokenResolver(codec, jwts, tokens, pats),
    inject: [OpaqueTokenCodec, JwtAccessTokenCodec, TokenRepository, PersonalAccessTokenRepository],
  },
  {
    provide: AccessTokenIssuer,
    useFactory: (codec: OpaqueTokenCodec, jwt: JwtAccessTokenCodec, c: HydrantConfig) => new AccessTokenIssuer(codec, jwt, c),
    inject: [OpaqueTokenCodec, JwtAccessTokenCodec, HydrantConfig],
  },
  { provide: IdTokenCodec, useFactory: (keys: KeySetService, c: HydrantConfig) => new IdTokenCodec(keys, c.urlsSelfIssuer), inject: [KeySetService, HydrantConfig] },
  { provide: AuthorizationCodeRepository, useFactory: (ds: DataSource) => new AuthorizationCodeRepository(ds), inject: [DataSource] },
  {
    provide: FlowTokenIssuer,
    useFactory: (access: AccessTokenIssuer, codec: OpaqueTokenCodec, ids: IdTokenCodec, c: HydrantConfig) => new FlowTokenIssuer(access, codec, ids, c),
    inject: [AccessTokenIssuer, OpaqueTokenCodec, IdTokenCodec, HydrantConfig],
  },
  {
    provide: TOKEN_ENDPOINT_HANDLERS,
    useFactory: (
      issuer: AccessTokenIssuer,
      tokens: TokenRepository,
      codec: OpaqueTokenCodec,
      codes: AuthorizationCodeRepository,
      flows: FlowRepository,
      flowTokens: FlowTokenIssuer,
      tx: TransactionRunner,
      c: HydrantConfig,
    ): TokenEndpointHandler[] => [
      new ClientCredentialsGrant(issuer, tokens, c),
      new AuthorizationCodeGrant(codec, codes, flows, tokens, flowTokens, tx),
      new RefreshTokenGrant(codec, tokens, flows, flowTokens, tx, c),
    ],
    inject: [AccessTokenIssuer, TokenRepository, OpaqueTokenCodec, AuthorizationCodeRepository, FlowRepository, FlowTokenIssuer, TransactionRunner, HydrantConfig],
  },
  {
    provide: TokenEndpoint,
    useFactory: (handlers: TokenEndpointHandler[], auth: ClientAuthenticator, c: HydrantConfig) =>
      new TokenEndpoint(handlers, auth, publicEndpoint(c, 'oauth2/token')),
    inject: [TOKEN_ENDPOINT_HANDLERS, ClientAuthenticator, HydrantConfig],
  },
  {
    provide: IntrospectionService,
    useFactory: (resolver: TokenResolver, auth: ClientAuthenticator, c: HydrantConfig) =>
      new IntrospectionService(resolver, auth, c, publicEndpoint(c, 'oauth2/introspect')),
    inject: [TokenResolver, ClientAuthenticator, HydrantConfig],
  },
  {
    provide: RevocationService,
    useFactory: (resolver: TokenResolver, tokens: TokenRepository, auth: ClientAuthenticator, c: HydrantConfig) =>
      new RevocationService(resolver, tokens, auth, publicEndpoint(c, 'oauth2/revoke')),
    inject: [TokenResolver, TokenRepository, ClientAuthenticator, HydrantConfig],
  },
  {
    provide: Janitor,
    useFactory: (tokens: TokenRepository, codes: AuthorizationCodeRepository, flows: FlowRepository, sessions: LoginSessionRepository,
      logouts: LogoutRequestRepository, jtis: ClientAssertionJtiRepository, pats: PersonalAccessTokenRepository, limiter: RateLimiter) =>
      new Janitor(tokens, codes, flows, sessions, logouts, jtis, pats, limiter),
    inject: [TokenRepository, AuthorizationCodeRepository, FlowRepository, LoginSessionRepository, LogoutRequestRepository, ClientAssertionJtiRepository,
      PersonalAccessTokenRepository, RateLimiter],
  },
];

import { ClientAuthenticator } from '../clients/authentication/client.authenticator';
import { publicEndpoint } from '../config/urls';
import { IdTokenCodec } from '../oidc/id-token.codec';
import { LogoutNotifier } from '../oidc/logout-notifier';
import { DeviceChallenges } from '../device/device-challenge';
import { UserCodes } from '../device/user-code';
import { RateLimiter } from '../rate-limit/rate-limiter';
import type { Stores } from '../stores';
import type { HydrantRuntime } from '../runtime';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';
import { OpaqueTokenCodec } from '../tokens/opaque-token.codec';
import { TokenResolver } from '../tokens/token.resolver';
import { JwtBearerAssertionVerifier } from '../trust/jwt-bearer-assertion.verifier';
import { AuthorizeEndpoint } from './authorize/authorize.endpoint';
import { FirstPartyConsent } from './authorize/first-party-consent';
import { FlowReturn } from './authorize/flow-return';
import { DeviceAuthorizationEndpoint } from './device/device-authorization.endpoint';
import { DeviceUserCodeService } from './device/device-user-code.service';
import { DeviceVerificationEndpoint } from './device/device-verification.endpoint';
import { IntrospectionService } from './introspection/introspection.service';
import { LogoutEndpoint } from './logout/logout.endpoint';
import { RevocationService } from './revocation/revocation.service';
import { FlowTokenIssuer } from './token/flow-token.issuer';
import { AuthorizationCodeGrant } from './token/grants/authorization-code.grant';
import { ClientCredentialsGrant } from './token/grants/client-credentials.grant';
import { DeviceCodeGrant } from './token/grants/device-code.grant';
import { JwtBearerGrant } from './token/grants/jwt-bearer.grant';
import { RefreshTokenGrant } from './token/grants/refresh-token.grant';
import { TokenEndpoint } from './token/token.endpoint';
import { TokenHook } from './token/token-hook';

interface OAuth2Dependencies {
  clients: { clientAuthenticator: ClientAuthenticator };
  tokens: { opaqueCodec: OpaqueTokenCodec; accessTokenIssuer: AccessTokenIssuer; tokenResolver: TokenResolver };
  oidc: { idTokenCodec: IdTokenCodec; logoutNotifier: LogoutNotifier };
  trust: { jwtBearerAssertions: JwtBearerAssertionVerifier };
}

/**
 * The OAuth 2.0 endpoints: authorize and its flow return, device authorization and verification (RFC 8628),
 * token (one handler per grant), introspection, revocation, logout.
 */
export function wireOAuth2(runtime: HydrantRuntime, stores: Stores, { clients, tokens, oidc, trust }: OAuth2Dependencies) {
  const { config, transactions } = runtime;
  const authenticator = clients.clientAuthenticator;
  const tokenHook = new TokenHook(config, runtime.tokenHookClient);
  const flowTokens = new FlowTokenIssuer(tokens.accessTokenIssuer, tokens.opaqueCodec, oidc.idTokenCodec, tokenHook, config);
  const grants = [
    new ClientCredentialsGrant(tokens.accessTokenIssuer, stores.tokens, tokenHook, config),
    new AuthorizationCodeGrant(tokens.opaqueCodec, stores.codes, stores.flows, stores.tokens, flowTokens, transactions),
    new RefreshTokenGrant(tokens.opaqueCodec, stores.tokens, stores.flows, flowTokens, transactions, config),
    new JwtBearerGrant(trust.jwtBearerAssertions, tokens.accessTokenIssuer, stores.tokens, tokenHook, config),
    new DeviceCodeGrant(tokens.opaqueCodec, stores.deviceRequests, stores.flows, stores.tokens, flowTokens, transactions),
  ];
  const flowReturn = new FlowReturn(stores.flows, stores.loginSessions, stores.codes, stores.deviceRequests, tokens.opaqueCodec, transactions, config);
  const authorize = new AuthorizeEndpoint(stores.clients, stores.flows, stores.loginSessions, oidc.idTokenCodec, flowReturn, config);
  const userCodes = new UserCodes(config);
  const deviceChallenges = new DeviceChallenges(config.secretsSystem, config.ttlDeviceUserCode);
  return {
    tokenHook,
    flowReturn,
    authorize,
    deviceAuthorization: new DeviceAuthorizationEndpoint(stores.deviceRequests, authenticator, tokens.opaqueCodec, userCodes, config),
    deviceVerification: new DeviceVerificationEndpoint(stores.deviceRequests, stores.clients, deviceChallenges, authorize, flowReturn, config),
    deviceUserCodes: new DeviceUserCodeService(stores.deviceRequests, deviceChallenges, userCodes, new RateLimiter(stores.rateLimits), config),
    firstPartyConsent: new FirstPartyConsent(stores.clients, stores.flows, stores.codes, tokens.opaqueCodec, transactions, config),
    token: new TokenEndpoint(grants, authenticator, publicEndpoint(config, 'oauth2/token')),
    introspection: new IntrospectionService(tokens.tokenResolver, authenticator, stores.clients, stores.flows, config, publicEndpoint(config, 'oauth2/introspect')),
    revocation: new RevocationService(tokens.tokenResolver, stores.tokens, authenticator, publicEndpoint(config, 'oauth2/revoke')),
    logout: new LogoutEndpoint(stores.logoutRequests, stores.loginSessions, stores.clients, oidc.idTokenCodec, oidc.logoutNotifier, config),
  };
}

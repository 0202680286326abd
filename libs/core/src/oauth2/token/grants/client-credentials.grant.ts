import { parseDuration } from '../../../config/duration';
import { HydrantConfig } from '../../../config/hydrant.config';
import { Errors } from '../../../errors';
import { audienceAllowed, parseScope, scopeAllowed } from '../../../scopes/scope.strategy';
import { AccessTokenIssuer } from '../../../tokens/access-token.issuer';
import { TokenStore } from '../../../tokens/token.store';
import { TokenEndpointHandler, TokenRequest, TokenResponse } from '../token-endpoint.handler';
import { TokenHook } from '../token-hook';

/**
 * The client credentials grant (RFC 6749 §4.4): a confidential client asks for a token for itself. The
 * subject is the client; scope and audience are limited to what the client registered; no refresh token
 * (§4.4.3).
 */
export class ClientCredentialsGrant implements TokenEndpointHandler {
  constructor(
    private readonly issuer: AccessTokenIssuer,
    private readonly tokens: TokenStore,
    private readonly hook: TokenHook,
    private readonly config: HydrantConfig,
  ) {}

  canHandle(grantType: string): boolean {
    return grantType === 'client_credentials';
  }

  /** RFC 6749 §4.4.2 and §4.4.3 */
  async handle({ client, params }: TokenRequest): Promise<TokenResponse> {
    if (client.metadata.token_endpoint_auth_method === 'none') {
      throw Errors.unauthorizedClient().withHint('Public clients cannot use the client credentials grant.');
    }
    const allowedScopes = client.metadata.scope.split(' ');
    const scopes = parseScope(params.scope);
    const refused = scopes.find((s) => !scopeAllowed(allowedScopes, s, this.config.strategiesScope));
    if (refused !== undefined) throw Errors.invalidScope().withHint(`The client is not allowed to request scope "${refused}".`);
    const audience = parseScope(params.audience);
    const foreign = audience.find((a) => !audienceAllowed(client.metadata.audience, a));
    if (foreign !== undefined) throw Errors.invalidRequest().withHint(`The client is not allowed to request audience "${foreign}".`);

    const lifespan = client.metadata.client_credentials_grant_access_token_lifespan;
    const lifespanMs = lifespan ? parseDuration(lifespan) : this.config.ttlAccessToken;
    const { accessTokenClaims: ext } = await this.hook.claimsFor({
      grantType: 'client_credentials', clientId: client.id, subject: client.id, requestedScopes: scopes, grantedScopes: scopes,
      requestedAudience: audience, grantedAudience: audience, params, accessTokenClaims: {},
    });
    const { token, record } = await this.issuer.issue({ client, subject: client.id, scopes, audience, lifespanMs, ext });
    await this.tokens.insert([record]);
    return { access_token: token, token_type: 'bearer', expires_in: Math.round(lifespanMs / 1000), scope: scopes.join(' ') };
  }
}

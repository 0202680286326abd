import { parseDuration } from '../../../config/duration';
import { HydrantConfig } from '../../../config/hydrant.config';
import { Errors } from '../../../errors';
import { audienceAllowed, parseScope, scopeAllowed } from '../../../scopes/scope.strategy';
import { AccessTokenIssuer } from '../../../tokens/access-token.issuer';
import { TokenStore } from '../../../tokens/token.store';
import { JwtBearerAssertionVerifier } from '../../../trust/jwt-bearer-assertion.verifier';
import { TokenEndpointHandler, TokenRequest, TokenResponse } from '../token-endpoint.handler';
import { TokenHook } from '../token-hook';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * The JWT bearer grant (RFC 7523 §2.1, Hydra's): an authenticated client presents a JWT that a trusted
 * issuer signed about a subject, and gets an access token for that subject (no refresh token, no ID
 * token). Every scope asked for must be the client's and the trust's to give.
 */
export class JwtBearerGrant implements TokenEndpointHandler {
  constructor(
    private readonly assertions: JwtBearerAssertionVerifier,
    private readonly issuer: AccessTokenIssuer,
    private readonly tokens: TokenStore,
    private readonly hook: TokenHook,
    private readonly config: HydrantConfig,
  ) {}

  canHandle(grantType: string): boolean {
    return grantType === JWT_BEARER_GRANT;
  }

  /** RFC 7523 §2.1 and §3.1 */
  async handle({ client, params }: TokenRequest): Promise<TokenResponse> {
    if (!params.assertion) throw Errors.invalidRequest().withHint('The "assertion" parameter is missing.');
    const scopes = parseScope(params.scope);
    const clientScopes = client.metadata.scope.split(' ');
    const refused = scopes.find((s) => !scopeAllowed(clientScopes, s, this.config.strategiesScope));
    if (refused !== undefined) throw Errors.invalidScope().withHint(`The client is not allowed to request scope "${refused}".`);
    const audience = parseScope(params.audience);
    const foreign = audience.find((a) => !audienceAllowed(client.metadata.audience, a));
    if (foreign !== undefined) throw Errors.invalidRequest().withHint(`The client is not allowed to request audience "${foreign}".`);

    const { subject } = await this.assertions.verify(params.assertion, scopes);

    const lifespan = client.metadata.jwt_bearer_grant_access_token_lifespan;
    const lifespanMs = lifespan ? parseDuration(lifespan) : this.config.ttlAccessToken;
    const { accessTokenClaims: ext } = await this.hook.claimsFor({
      grantType: JWT_BEARER_GRANT, clientId: client.id, subject, requestedScopes: scopes, grantedScopes: scopes,
      requestedAudience: audience, grantedAudience: audience, params, accessTokenClaims: {},
    });
    const { token, record } = await this.issuer.issue({ client, subject, scopes, audience, lifespanMs, ext });
    await this.tokens.insert([record]);
    return { access_token: token, token_type: 'bearer', expires_in: Math.round(lifespanMs / 1000), scope: scopes.join(' ') };
  }
}

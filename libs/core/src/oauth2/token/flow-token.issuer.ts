import { Client } from '../../clients/client.model';
import { LifespanField } from '../../clients/client.metadata';
import { parseDuration } from '../../config/duration';
import { HydrantConfig } from '../../config/hydrant.config';
import { DEVICE_CODE_GRANT } from '../../device/device-request.model';
import { Flow } from '../../flows/flow.model';
import { IdTokenCodec } from '../../oidc/id-token.codec';
import { subjectForClient } from '../../oidc/subject-identifier';
import { AccessTokenIssuer } from '../../tokens/access-token.issuer';
import { OpaqueTokenCodec } from '../../tokens/opaque-token.codec';
import { TokenRecord } from '../../tokens/token.model';
import { TokenResponse } from './token-endpoint.handler';
import { TokenHook } from './token-hook';

/** Scopes that ask for a refresh token (Hydra accepts both names). */
const OFFLINE_SCOPES = ['offline_access', 'offline'];

export interface FlowTokenRequest {
  flow: Flow;
  client: Client;
  /** Names the client's lifespan fields (`<grant>_grant_access_token_lifespan`). */
  grant: 'authorization_code' | 'refresh_token' | 'device_authorization';
  /** The scopes of this access token: the granted ones, or fewer on refresh (RFC 6749 §6). */
  scopes: string[];
  /** The token request's form, for the token hook. */
  params: Readonly<Record<string, string>>;
  /** The access token's extra claims so far: the presented refresh token's on refresh, else the consent's. */
  accessTokenClaims?: Record<string, unknown>;
  now: Date;
}

/** What a grant hands out and what it stores, in its own unit of work. */
export interface MintedFlowTokens {
  response: TokenResponse;
  records: TokenRecord[];
}

/**
 * Mints what a consent session yields at the token endpoint: an access token, a refresh token when an
 * offline scope was granted (and the client may refresh), and an ID token when `openid` was. Every token
 * carries the flow's id as its request id, which is what lets a code replay, a refresh token reuse or a
 * revoked consent revoke them all at once. Lifespans: the client's per-grant fields, else configuration.
 * The token hook sees what is about to be issued first and may change its claims; what it answers is stored
 * with the tokens, so a refresh starts from it. Minting (the hook and signing included) touches no
 * database: a grant mints first, then stores the records in a short unit of work that holds the write lock
 * only for its writes.
 */
export class FlowTokenIssuer {
  constructor(
    private readonly accessTokens: AccessTokenIssuer,
    private readonly codec: OpaqueTokenCodec,
    private readonly idTokens: IdTokenCodec,
    private readonly hook: TokenHook,
    private readonly config: HydrantConfig,
  ) {}

  async mint({ flow, client, grant, scopes, params, accessTokenClaims, now }: FlowTokenRequest): Promise<MintedFlowTokens> {
    const consent = flow.consent!;
    const login = flow.login!;
    const subject = flow.subject!;
    const granted = consent.grantScope;
    const claims = await this.hook.claimsFor({
      grantType: grant === 'device_authorization' ? DEVICE_CODE_GRANT : grant,
      clientId: client.id,
      subject,
      requestedScopes: flow.request.scopes,
      grantedScopes: scopes,
      requestedAudience: flow.request.audience,
      grantedAudience: consent.grantAudience,
      params,
      accessTokenClaims: accessTokenClaims ?? consent.accessTokenClaims,
      idTokenClaims: granted.includes('openid') ? consent.idTokenClaims : undefined,
      consentChallenge: flow.consentChallenge ?? undefined,
    });
    const accessLifespan = this.lifespan(client, `${grant}_grant_access_token_lifespan`, this.config.ttlAccessToken);
    const access = await this.accessTokens.issue(
      { client, subject, scopes, audience: consent.grantAudience, requestId: flow.id, lifespanMs: accessLifespan, ext: claims.accessTokenClaims },
      now,
    );
    const records: TokenRecord[] = [access.record];
    const response: TokenResponse = { access_token: access.token, token_type: 'bearer', expires_in: Math.round(accessLifespan / 1000), scope: scopes.join(' ') };

    if (granted.some((s) => OFFLINE_SCOPES.includes(s)) && client.metadata.grant_types.includes('refresh_token')) {
      const refresh = this.codec.mint('refresh_token');
      const lifespan = this.lifespan(client, `${grant}_grant_refresh_token_lifespan`, this.config.ttlRefreshToken);
      records.push({ ...access.record, signature: refresh.signature, kind: 'refresh_token', scopes: granted, expiresAt: new Date(now.getTime() + lifespan) });
      response.refresh_token = refresh.token;
    }
    if (granted.includes('openid')) {
      const lifespan = this.lifespan(client, `${grant}_grant_id_token_lifespan`, this.config.ttlIdToken);
      response.id_token = await this.idTokens.sign({
        subject: subjectForClient(client, subject, this.config.oidcSubjectIdentifiersPairwiseSalt, login.forceSubjectIdentifier),
        clientId: client.id,
        issuedAt: now,
        expiresAt: new Date(now.getTime() + lifespan),
        authTime: login.authTime,
        // OIDC Core §12.2: a refreshed ID token does not repeat the nonce of the authentication request.
        nonce: grant === 'authorization_code' ? flow.request.nonce : undefined,
        acr: login.acr,
        amr: login.amr,
        sid: flow.loginSessionId ?? undefined,
        accessToken: access.token,
        extra: claims.idTokenClaims ?? {},
      });
    }
    return { response, records };
  }

  private lifespan(client: Client, field: string, fallback: number): number {
    const value = client.metadata[field as LifespanField];
    return value ? parseDuration(value) : fallback;
  }
}

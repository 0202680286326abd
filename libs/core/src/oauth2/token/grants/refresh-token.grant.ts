import { Client } from '../../../clients/client.model';
import { HydrantConfig } from '../../../config/hydrant.config';
import { Errors } from '../../../errors';
import { FlowStore } from '../../../flows/flow.store';
import { TransactionRunner } from '../../../persistence/transaction.runner';
import { isTransientConflict, retryOnConflict } from '../../../persistence/transient-conflict';
import { audienceAllowed, parseScope, scopeAllowed } from '../../../scopes/scope.strategy';
import { OpaqueTokenCodec } from '../../../tokens/opaque-token.codec';
import { TokenRecord } from '../../../tokens/token.model';
import { TokenStore } from '../../../tokens/token.store';
import { FlowTokenIssuer } from '../flow-token.issuer';
import { TokenEndpointHandler, TokenRequest, TokenResponse } from '../token-endpoint.handler';

/**
 * The refresh token grant (RFC 6749 §6) with rotation (RFC 9700 §4.14.2), as Hydra rotates: every use
 * retires the tokens the grant issued so far (the presented refresh token, and the access tokens and
 * refresh tokens before it) and issues a new pair. Within OAUTH2_REFRESH_TOKEN_ROTATION_GRACE_PERIOD of a
 * use, the retired tokens live on until the period ends, and the presented refresh token may be used again
 * (a client retrying after a lost response). A retired token presented again outside it means it was
 * copied: the whole chain is revoked. Of requests that present one token at the same moment exactly one
 * is answered, and the others count as reuse: which of them came "after" is a matter of microseconds, so
 * every one of them revokes the chain, whatever the order.
 */
export class RefreshTokenGrant implements TokenEndpointHandler {
  constructor(
    private readonly codec: OpaqueTokenCodec,
    private readonly tokens: TokenStore,
    private readonly flows: FlowStore,
    private readonly issuer: FlowTokenIssuer,
    private readonly transactions: TransactionRunner,
    private readonly config: HydrantConfig,
  ) {}

  canHandle(grantType: string): boolean {
    return grantType === 'refresh_token';
  }

  /** RFC 6749 §6 */
  async handle({ client, params }: TokenRequest): Promise<TokenResponse> {
    if (!params.refresh_token) throw Errors.invalidRequest().withHint('The "refresh_token" parameter is missing.');
    const signature = this.codec.verify(params.refresh_token, 'refresh_token');
    const token = signature === null ? null : await this.tokens.findBySignature(signature, 'refresh_token');
    if (!token) throw Errors.invalidGrant().withHint('The refresh token is unknown or malformed.');
    if (token.clientId !== client.id) throw Errors.invalidGrant().withHint('The refresh token was issued to another client.');
    // Reuse first: a spent token's lifetime ends with its grace period, and a replay after it is still theft.
    if (!token.active && !this.withinGracePeriod(token)) return this.reused(token);
    if (token.expiresAt.getTime() < Date.now()) throw Errors.invalidGrant().withHint('The refresh token has expired.');

    const requested = params.scope === undefined ? token.scopes : parseScope(params.scope);
    const widened = requested.find((s) => !token.scopes.includes(s));
    if (widened !== undefined) throw Errors.invalidScope().withHint(`The scope "${widened}" was not granted to this refresh token.`);
    this.checkStillAllowed(token, client);
    const flow = await this.flows.findById(token.requestId);
    if (!flow || !flow.consent || !flow.subject) throw Errors.invalidGrant().withHint('The consent behind this refresh token was revoked.');

    const now = new Date();
    const minted = await this.issuer.mint({ flow, client, grant: 'refresh_token', scopes: requested, params, accessTokenClaims: token.ext, now });
    // A unit of work that lost a race to a deadlock or a serialization failure landed nothing: run it again.
    const grace = this.config.oauth2RefreshTokenRotationGracePeriod;
    const outcome = await retryOnConflict(() =>
      this.transactions.run(async () => {
        const rotated = await this.tokens.rotate(token.signature, now);
        if (!rotated && !this.withinGracePeriod((await this.tokens.findBySignature(token.signature, 'refresh_token')) ?? token)) return null;
        await this.tokens.retireRequest(token.requestId, grace > 0 ? new Date(now.getTime() + grace) : null);
        await this.tokens.insert(minted.records);
        return minted.response;
      }),
    );
    return outcome ?? this.reused(token);
  }

  /**
   * What was granted must still be the client's to have, as fosite checks on refresh: an operator who took
   * a scope or an audience away from a client takes it from the tokens its refresh tokens would mint.
   */
  private checkStillAllowed(token: TokenRecord, client: Client): void {
    const allowed = client.metadata.scope.split(' ');
    const withdrawn = token.scopes.find((s) => !scopeAllowed(allowed, s, this.config.strategiesScope));
    if (withdrawn !== undefined) throw Errors.invalidScope().withHint(`The client is no longer allowed scope "${withdrawn}".`);
    const foreign = token.audience.find((a) => !audienceAllowed(client.metadata.audience, a));
    if (foreign !== undefined) throw Errors.invalidRequest().withHint(`The client is no longer allowed audience "${foreign}".`);
  }

  private withinGracePeriod(token: TokenRecord): boolean {
    const grace = this.config.oauth2RefreshTokenRotationGracePeriod;
    return grace > 0 && token.usedAt !== null && token.usedAt !== undefined && Date.now() - token.usedAt.getTime() <= grace;
  }

  /**
   * RFC 9700 §4.14.2: the chain is revoked. Every loser of a race on one token gets here at once; the
   * revocation locks in a fixed order and is retried on a conflict, and the caller is told invalid_grant
   * whatever becomes of it: the token it presented is spent either way, and a conflict only means that
   * another transaction held the same rows (in such a race, another loser revoking the same chain).
   */
  private async reused(token: TokenRecord): Promise<never> {
    try {
      await retryOnConflict(() => this.tokens.deactivateRequest(token.requestId), 5);
    } catch (e) {
      if (!isTransientConflict(e)) throw e;
    }
    throw Errors.invalidGrant().withHint('The refresh token has already been used or was revoked; its whole chain is revoked.');
  }
}

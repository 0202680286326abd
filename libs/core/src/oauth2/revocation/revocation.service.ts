import { ClientAuthenticator, readClientCredentials } from '../../clients/authentication/client.authenticator';
import { Client } from '../../clients/client.model';
import { Errors } from '../../errors';
import { singleValued } from '../params/form-params';
import { TokenStore } from '../../tokens/token.store';
import { TokenResolver } from '../../tokens/token.resolver';

/**
 * Token revocation (RFC 7009). The token's own prefix says what it is, so `token_type_hint` is accepted but
 * never trusted (§2.1). Unknown or invalid tokens answer success (§2.2); a token of another client is
 * refused. Revoking a refresh token revokes every token of its chain.
 */
export class RevocationService {
  constructor(
    private readonly resolver: TokenResolver,
    private readonly tokens: TokenStore,
    private readonly authenticator: ClientAuthenticator,
    private readonly revocationEndpointUrl: string,
  ) {}

  /**
   * RFC 7009 §2.1: authenticates the client, then revokes the token if it is the client's. `source`: the
   * address the request came from, for the limit on failed client authentications.
   */
  async revoke(form: unknown, authorization: string | undefined, source?: string): Promise<void> {
    const params = singleValued(form);
    const client = await this.authenticator.authenticate(readClientCredentials(params, authorization, source), this.revocationEndpointUrl);
    await this.revokeFor(client, params.token);
  }

  async revokeFor(client: Client, token: string | undefined): Promise<void> {
    if (!token) throw Errors.invalidRequest().withHint('The "token" parameter is missing.');
    const record = await this.resolver.resolve(token);
    if (!record) return;
    if (record.clientId !== client.id) throw Errors.unauthorizedClient().withHint('The token was not issued to this client.');
    // One statement either way, so atomic without a transaction.
    if (record.kind === 'refresh_token') await this.tokens.deactivateRequest(record.requestId);
    else await this.tokens.deactivate(record.signature);
  }

  /** Deletes every token of a client (admin `DELETE /admin/oauth2/tokens?client_id=`); unknown clients have none. */
  async deleteClientTokens(clientId: string): Promise<number> {
    return this.tokens.deleteByClient(clientId);
  }
}

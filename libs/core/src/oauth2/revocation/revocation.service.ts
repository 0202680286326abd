import { ClientAuthenticator, readClientCredentials } from '../../clients/authentication/client.authenticator';
import { Client } from '../../clients/client.model';
import { Errors } from '../../errors';
import { singleValued } from '../params/form-params';
import { OpaqueTokenCodec } from '../../tokens/opaque-token.codec';
import { TokenRepository } from '../../tokens/token.repository';
import { TransactionRunner } from '../../persistence/transaction.runner';

/**
 * Token revocation (RFC 7009). The token's own prefix says what it is, so `token_type_hint` is accepted but
 * never trusted (§2.1). Unknown or invalid tokens answer success (§2.2); a token of another client is
 * refused. Revoking a refresh token revokes every token of its chain.
 */
export class RevocationService {
  constructor(
    private readonly codec: OpaqueTokenCodec,
    private readonly tokens: TokenRepository,
    private readonly transactions: TransactionRunner,
    private readonly authenticator: ClientAuthenticator,
    private readonly revocationEndpointUrl: string,
  ) {}

  /** RFC 7009 §2.1: authenticates the client, then revokes the token if it is the client's. */
  async revoke(form: unknown, authorization: string | undefined): Promise<void> {
    const params = singleValued(form);
    const client = await this.authenticator.authenticate(readClientCredentials(params, authorization), this.revocationEndpointUrl);
    await this.revokeFor(client, params.token);
  }

  async revokeFor(client: Client, token: string | undefined): Promise<void> {
    if (!token) throw Errors.invalidRequest().withHint('The "token" parameter is missing.');
    const kind = this.codec.kindOf(token);
    if (kind !== 'access_token' && kind !== 'refresh_token') return;
    const signature = this.codec.verify(token, kind);
    if (signature === null) return;
    await this.transactions.run(async (manager) => {
      const record = await this.tokens.findBySignature(signature, kind, manager);
      if (!record) return;
      if (record.clientId !== client.id) {
        throw Errors.unauthorizedClient().withHint('The token was not issued to this client.');
      }
      if (kind === 'refresh_token') await this.tokens.deactivateRequest(record.requestId, manager);
      else await this.tokens.deactivate(signature, manager);
    });
  }

  /** Deletes every token of a client (admin `DELETE /admin/oauth2/tokens?client_id=`); unknown clients have none. */
  async deleteClientTokens(clientId: string): Promise<number> {
    return this.tokens.deleteByClient(clientId);
  }
}

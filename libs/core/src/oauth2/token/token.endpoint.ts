import { CLIENT_AUTH_PARAMS, ClientAuthenticator, readClientCredentials } from '../../clients/authentication/client.authenticator';
import { Errors } from '../../errors';
import { countTokensIssued } from '../../metrics/metrics';
import { singleValued } from '../params/form-params';
import { TokenEndpointHandler, TokenResponse } from './token-endpoint.handler';

/**
 * The token endpoint (RFC 6749 §3.2): reads the form, finds the handler of the grant type, authenticates
 * the client, checks that the client may use the grant, and lets the handler answer.
 */
export class TokenEndpoint {
  constructor(
    private readonly handlers: readonly TokenEndpointHandler[],
    private readonly authenticator: ClientAuthenticator,
    private readonly tokenEndpointUrl: string,
  ) {}

  /** `source`: the address the request came from, for the limit on failed client authentications. */
  async exchange(form: unknown, authorization: string | undefined, source?: string): Promise<TokenResponse> {
    const params = singleValued(form);
    const grantType = params.grant_type;
    if (!grantType) throw Errors.invalidRequest().withHint('The "grant_type" parameter is missing.');
    const handler = this.handlers.find((h) => h.canHandle(grantType));
    if (!handler) throw Errors.unsupportedGrantType().withHint(`The grant type "${grantType}" is not supported.`);

    const client = await this.authenticator.authenticate(readClientCredentials(params, authorization, source), this.tokenEndpointUrl);
    if (!client.metadata.grant_types.includes(grantType)) {
      throw Errors.unauthorizedClient().withHint(`The client is not allowed to use the grant type "${grantType}".`);
    }
    // The grant never sees the client's credentials; client_id stays, which the token hook's payload may carry.
    const grantParams = Object.fromEntries(Object.entries(params).filter(([k]) => k === 'client_id' || !(CLIENT_AUTH_PARAMS as readonly string[]).includes(k)));
    const answer = await handler.handle({ grantType, params: grantParams, client });
    countTokensIssued(grantType);
    return answer;
  }
}

import { CLIENT_AUTHENTICATION_FAILED_HINT, ClientAuthenticator, readClientCredentials } from '../../clients/authentication/client.authenticator';
import { Client, isPublicClient } from '../../clients/client.model';
import { ClientStore } from '../../clients/client.store';
import { FlowStore } from '../../flows/flow.store';
import { HydrantConfig } from '../../config/hydrant.config';
import { Errors } from '../../errors';
import { singleValued } from '../params/form-params';
import { parseScope, scopeAllowed } from '../../scopes/scope.strategy';
import { subjectForClient } from '../../oidc/subject-identifier';
import { isTokenUsable, TokenRecord } from '../../tokens/token.model';
import { TokenResolver } from '../../tokens/token.resolver';

/** RFC 7662 §2.2 response, with Hydra's IntrospectedOAuth2Token fields. */
export interface IntrospectedToken {
  active: boolean;
  scope?: string;
  client_id?: string;
  sub?: string;
  exp?: number;
  iat?: number;
  nbf?: number;
  aud?: string[];
  iss?: string;
  token_type?: string;
  token_use?: string;
  ext?: Record<string, unknown>;
  /** The subject as a pairwise client knows it. */
  obfuscated_subject?: string;
}

const INACTIVE: IntrospectedToken = { active: false };

/** No token Hydrant issues comes near this; a longer value is a malformed request rather than a token. */
const MAX_TOKEN_LENGTH = 8192;

/**
 * Token introspection (RFC 7662). Anything that is not a live token of ours, whatever the reason
 * (expired, revoked, unknown, malformed, forged), is `{active: false}` and never an error (§2.2). The
 * admin port answers every caller that holds its API key (Hydra's); the public port answers clients that
 * authenticate (§2.1), and shows a refresh token only to the client it was issued to.
 */
export class IntrospectionService {
  private readonly pairwise: boolean;

  constructor(
    private readonly resolver: TokenResolver,
    private readonly authenticator: ClientAuthenticator,
    private readonly clients: ClientStore,
    private readonly flows: FlowStore,
    private readonly config: HydrantConfig,
    private readonly introspectionEndpointUrl: string,
  ) {
    this.pairwise = config.oidcSubjectIdentifiersSupportedTypes.includes('pairwise');
  }

  /** RFC 7662 §2.1 on the admin port: the request's form, `token` and optionally `scope`, each at most once. */
  async introspectRequest(form: unknown): Promise<IntrospectedToken> {
    const { token, scope } = tokenParams(singleValued(form));
    return this.introspect(token, scope);
  }

  /**
   * RFC 7662 §2.1 on the public port: the caller authenticates as a client with its registered method; a
   * public client has no credentials to show and is refused like a wrong secret (401 `invalid_client`, with
   * the same hint). `source`: the address the request came from, for the limit on failed authentications.
   */
  async introspectForClient(form: unknown, authorization: string | undefined, source?: string): Promise<IntrospectedToken> {
    const params = singleValued(form);
    const client = await this.authenticator.authenticate(readClientCredentials(params, authorization, source), this.introspectionEndpointUrl);
    if (isPublicClient(client)) {
      throw Errors.invalidClient().withHint(CLIENT_AUTHENTICATION_FAILED_HINT).withDebug('A public client cannot introspect tokens; authenticate as a confidential client.');
    }
    const { token, scope } = tokenParams(params);
    return this.introspect(token, scope, client);
  }

  /** `caller`: the authenticated client asking on the public port, which sees only its own refresh tokens. */
  async introspect(token: string, requiredScope?: string, caller?: Client): Promise<IntrospectedToken> {
    const record = await this.resolver.resolve(token);
    if (!record || !isTokenUsable(record)) return INACTIVE;
    if (caller && record.kind === 'refresh_token' && record.clientId !== caller.id) return INACTIVE;
    const required = parseScope(requiredScope);
    if (!required.every((s) => scopeAllowed(record.scopes, s, this.config.strategiesScope))) return INACTIVE;

    const iat = Math.floor(record.issuedAt.getTime() / 1000);
    return {
      active: true,
      scope: record.scopes.join(' '),
      // A personal access token belongs to its subject, not to a client.
      ...(record.clientId ? { client_id: record.clientId } : {}),
      sub: record.subject,
      exp: Math.floor(record.expiresAt.getTime() / 1000),
      iat,
      nbf: iat,
      aud: record.audience,
      iss: this.config.urlsSelfIssuer,
      token_type: 'Bearer',
      token_use: record.kind,
      ...(Object.keys(record.ext).length > 0 ? { ext: record.ext } : {}),
      ...(await this.obfuscatedSubject(record)),
    };
  }

  /**
   * Hydra's `obfuscated_subject`: the subject as a pairwise client knows it (its ID tokens' `sub`), beside
   * the real one. The client is read only when pairwise subjects are enabled at all.
   */
  private async obfuscatedSubject(record: TokenRecord): Promise<{ obfuscated_subject?: string }> {
    if (!this.pairwise || !record.clientId) return {};
    const client = await this.clients.findForAuthentication(record.clientId);
    if (client?.metadata.subject_type !== 'pairwise') return {};
    // The login may have forced the identifier (force_subject_identifier): the grant's flow says.
    const forced = (await this.flows.findById(record.requestId))?.login?.forceSubjectIdentifier;
    return { obfuscated_subject: subjectForClient(client, record.subject, this.config.oidcSubjectIdentifiersPairwiseSalt, forced) };
  }
}

function tokenParams(params: Record<string, string>): { token: string; scope?: string } {
  const { token, scope } = params;
  if (!token) throw Errors.invalidRequest().withHint('The "token" parameter is missing.');
  if (token.length > MAX_TOKEN_LENGTH) throw Errors.invalidRequest().withHint(`The "token" parameter is longer than ${MAX_TOKEN_LENGTH} characters.`);
  return { token, scope };
}

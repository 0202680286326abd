import { HydrantConfig } from '../../config/hydrant.config';
import { Errors } from '../../errors';
import { singleValued } from '../params/form-params';
import { parseScope, scopeAllowed } from '../../scopes/scope.strategy';
import { isTokenUsable } from '../../tokens/token.model';
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
}

const INACTIVE: IntrospectedToken = { active: false };

/** No token Hydrant issues comes near this; a longer value is a malformed request rather than a token. */
const MAX_TOKEN_LENGTH = 8192;

/**
 * Token introspection (RFC 7662). Anything that is not a live token of ours, whatever the reason
 * (expired, revoked, unknown, malformed, forged), is `{active: false}` and never an error (§2.2).
 */
export class IntrospectionService {
  constructor(
    private readonly resolver: TokenResolver,
    private readonly config: HydrantConfig,
  ) {}

  /** RFC 7662 §2.1: the request's form, `token` and optionally `scope`, each at most once. */
  async introspectRequest(form: unknown): Promise<IntrospectedToken> {
    const { token, scope } = singleValued(form);
    if (!token) throw Errors.invalidRequest().withHint('The "token" parameter is missing.');
    if (token.length > MAX_TOKEN_LENGTH) throw Errors.invalidRequest().withHint(`The "token" parameter is longer than ${MAX_TOKEN_LENGTH} characters.`);
    return this.introspect(token, scope);
  }

  async introspect(token: string, requiredScope?: string): Promise<IntrospectedToken> {
    const record = await this.resolver.resolve(token);
    if (!record || !isTokenUsable(record)) return INACTIVE;
    const required = parseScope(requiredScope);
    if (!required.every((s) => scopeAllowed(record.scopes, s, this.config.strategiesScope))) return INACTIVE;

    const iat = Math.floor(record.issuedAt.getTime() / 1000);
    return {
      active: true,
      scope: record.scopes.join(' '),
      client_id: record.clientId,
      sub: record.subject,
      exp: Math.floor(record.expiresAt.getTime() / 1000),
      iat,
      nbf: iat,
      aud: record.audience,
      iss: this.config.urlsSelfIssuer,
      token_type: 'Bearer',
      token_use: record.kind,
      ...(Object.keys(record.ext).length > 0 ? { ext: record.ext } : {}),
    };
  }
}

import { HydrantConfig } from '../../config/hydrant.config';
import { parseScope, scopeAllowed } from '../../scopes/scope.strategy';
import { OpaqueTokenCodec } from '../../tokens/opaque-token.codec';
import { isTokenUsable } from '../../tokens/token.model';
import { TokenRepository } from '../../tokens/token.repository';

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

/**
 * Token introspection (RFC 7662). Anything that is not a live token of ours, whatever the reason
 * (expired, revoked, unknown, malformed, forged), is `{active: false}` and never an error (§2.2).
 */
export class IntrospectionService {
  constructor(
    private readonly codec: OpaqueTokenCodec,
    private readonly tokens: TokenRepository,
    private readonly config: HydrantConfig,
  ) {}

  async introspect(token: string, requiredScope?: string): Promise<IntrospectedToken> {
    const kind = this.codec.kindOf(token);
    if (kind !== 'access_token' && kind !== 'refresh_token') return INACTIVE;
    const signature = this.codec.verify(token, kind);
    if (signature === null) return INACTIVE;
    const record = await this.tokens.findBySignature(signature, kind);
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
      token_use: kind,
      ...(Object.keys(record.ext).length > 0 ? { ext: record.ext } : {}),
    };
  }
}

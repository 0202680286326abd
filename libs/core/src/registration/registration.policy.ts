import { ClientMetadata } from '../clients/client.metadata';
import { HydrantConfig } from '../config/hydrant.config';
import { Errors } from '../errors';

/** What the operator lets an anonymous caller register (OIDC_DYNAMIC_CLIENT_REGISTRATION_ALLOWED_*). */
export interface RegistrationAllowance {
  scope: readonly string[];
  grantTypes: readonly string[];
  audience: readonly string[];
}

/**
 * The operator's bounds on dynamic registration (RFC 7591 §2: "the authorization server MAY reject or
 * replace any of the client's requested metadata values"). Registration is open to anyone, so without
 * bounds anyone could give themselves `client_credentials`, any scope and any audience, and obtain tokens
 * that an API behind Hydrant takes for the operator's own grants. Each requested value must be listed
 * exactly; there is no wildcard, and scopes do not match by prefix.
 *
 * An update (RFC 7592 §2.2) may also keep what the client holds already: an operator may have granted a
 * registered client more through the admin API, and the client sends back what it read. It cannot add
 * anything beyond the bounds.
 */
export class RegistrationPolicy {
  constructor(private readonly allowed: RegistrationAllowance) {}

  static fromConfig(config: HydrantConfig): RegistrationPolicy {
    return new RegistrationPolicy({
      scope: config.oidcDynamicClientRegistrationAllowedScope,
      grantTypes: config.oidcDynamicClientRegistrationAllowedGrantTypes,
      audience: config.oidcDynamicClientRegistrationAllowedAudience,
    });
  }

  /** Throws `invalid_client_metadata` naming the field and the first value outside the bounds. */
  readonly admit = (metadata: ClientMetadata, held?: ClientMetadata): void => {
    const heldScope = held ? held.scope.split(' ').filter(Boolean) : [];
    check('grant_types', metadata.grant_types, this.allowed.grantTypes, held?.grant_types ?? []);
    check('scope', metadata.scope.split(' ').filter(Boolean), this.allowed.scope, heldScope);
    check('audience', metadata.audience, this.allowed.audience, held?.audience ?? []);
  };
}

function check(field: string, requested: readonly string[], allowed: readonly string[], held: readonly string[]): void {
  const refused = requested.find((value) => !allowed.includes(value) && !held.includes(value));
  if (refused === undefined) return;
  const bounds = allowed.length > 0 ? `it allows ${allowed.map((v) => `"${v}"`).join(', ')}` : 'it allows none';
  throw Errors.invalidClientMetadata().withHint(
    `Field "${field}" holds "${refused}", which this server does not allow through dynamic client registration; ${bounds}.`,
  );
}

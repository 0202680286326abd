/**
 * The registered metadata of an OAuth 2.0 client, named as on the wire: RFC 7591 §2, OpenID Connect
 * Dynamic Client Registration §2, and Ory Hydra's additions (audience, skip_consent, lifespans, ...).
 */
export const LIFESPAN_FIELDS = [
  'authorization_code_grant_access_token_lifespan',
  'authorization_code_grant_id_token_lifespan',
  'authorization_code_grant_refresh_token_lifespan',
  'client_credentials_grant_access_token_lifespan',
  'device_authorization_grant_access_token_lifespan',
  'device_authorization_grant_id_token_lifespan',
  'device_authorization_grant_refresh_token_lifespan',
  'implicit_grant_access_token_lifespan',
  'implicit_grant_id_token_lifespan',
  'jwt_bearer_grant_access_token_lifespan',
  'refresh_token_grant_access_token_lifespan',
  'refresh_token_grant_id_token_lifespan',
  'refresh_token_grant_refresh_token_lifespan',
] as const;

export type LifespanField = (typeof LIFESPAN_FIELDS)[number];
/** Go-style duration strings ("1h0m0s"), or null when the configured default applies. */
export type ClientLifespans = Record<LifespanField, string | null>;

export interface JsonWebKeySet {
  keys: Array<Record<string, unknown>>;
}

export interface ClientMetadata extends ClientLifespans {
  client_name: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  scope: string;
  audience: string[];
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  token_endpoint_auth_signing_alg: string;
  jwks: JsonWebKeySet | null;
  jwks_uri: string;
  subject_type: string;
  sector_identifier_uri: string;
  skip_consent: boolean;
  skip_logout_consent: boolean;
  frontchannel_logout_uri: string;
  frontchannel_logout_session_required: boolean;
  backchannel_logout_uri: string;
  backchannel_logout_session_required: boolean;
  allowed_cors_origins: string[];
  access_token_strategy: string;
  owner: string;
  contacts: string[];
  client_uri: string;
  logo_uri: string;
  policy_uri: string;
  tos_uri: string;
  metadata: Record<string, unknown>;
  userinfo_signed_response_alg: string;
  request_object_signing_alg: string;
  request_uris: string[];
}

export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];

export const GRANT_TYPES = [
  'authorization_code',
  'implicit',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'urn:ietf:params:oauth:grant-type:device_code',
] as const;

/** OIDC Registration §2: each response type and the grant types it needs. */
export const RESPONSE_TYPE_GRANTS: Record<string, string[]> = {
  code: ['authorization_code'],
  token: ['implicit'],
  id_token: ['implicit'],
  'id_token token': ['implicit'],
  'code id_token': ['authorization_code', 'implicit'],
  'code token': ['authorization_code', 'implicit'],
  'code id_token token': ['authorization_code', 'implicit'],
};

/** Algorithms a client may sign its JWTs with (private_key_jwt, request objects); RFC 7518 asymmetric ones. */
export const ASYMMETRIC_SIGNING_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** The default of every field, applied when a field is absent or null (Hydra's defaults). */
export function defaultMetadata(): ClientMetadata {
  const lifespans = Object.fromEntries(LIFESPAN_FIELDS.map((f) => [f, null])) as ClientLifespans;
  return {
    client_name: '',
    redirect_uris: [],
    post_logout_redirect_uris: [],
    grant_types: ['authorization_code'],
    response_types: [],
    scope: 'offline_access offline openid',
    audience: [],
    token_endpoint_auth_method: 'client_secret_basic',
    token_endpoint_auth_signing_alg: '',
    jwks: null,
    jwks_uri: '',
    subject_type: 'public',
    sector_identifier_uri: '',
    skip_consent: false,
    skip_logout_consent: false,
    frontchannel_logout_uri: '',
    frontchannel_logout_session_required: false,
    backchannel_logout_uri: '',
    backchannel_logout_session_required: false,
    allowed_cors_origins: [],
    access_token_strategy: '',
    owner: '',
    contacts: [],
    client_uri: '',
    logo_uri: '',
    policy_uri: '',
    tos_uri: '',
    metadata: {},
    userinfo_signed_response_alg: 'none',
    request_object_signing_alg: '',
    request_uris: [],
    ...lifespans,
  };
}

/** The metadata fields, in the order the wire shape lists them. */
export const METADATA_FIELDS = Object.keys(defaultMetadata()) as Array<keyof ClientMetadata>;

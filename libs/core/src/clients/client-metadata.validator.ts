import { formatDuration, parseDuration } from '../config/duration';
import { isScopeToken } from '../scopes/scope.strategy';
import { Errors } from '../errors';
import {
  ASYMMETRIC_SIGNING_ALGS,
  ClientMetadata,
  defaultMetadata,
  GRANT_TYPES,
  LIFESPAN_FIELDS,
  METADATA_FIELDS,
  RESPONSE_TYPE_GRANTS,
  TOKEN_ENDPOINT_AUTH_METHODS,
} from './client.metadata';
import { checkHttpsUrl, checkOrigin, checkRedirectUri, checkWebUrl, metadataError } from './client-uri.rules';

export interface MetadataRules {
  /** Subject types the server offers (OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES). */
  subjectTypes: readonly string[];
  /** `--dev`: redirect URIs may use plain http to any host, not only to a loopback one. */
  dev: boolean;
}

/** Private JWK members (RFC 7518 §6): a client registers public keys only. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const SIGNING_ALGS_OR_NONE = ['none', ...ASYMMETRIC_SIGNING_ALGS];

function checkJwks(jwks: unknown): void {
  const keys = (jwks as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) throw metadataError('Field "jwks" must be a JSON Web Key Set: an object with a "keys" array.');
  for (const key of keys) {
    if (key === null || typeof key !== 'object' || typeof (key as { kty?: unknown }).kty !== 'string') {
      throw metadataError('Field "jwks" must hold JSON Web Keys, each with a "kty".');
    }
    if (PRIVATE_JWK_MEMBERS.some((m) => m in (key as object))) {
      throw metadataError('Field "jwks" must hold public keys only; a key has private or symmetric key material.');
    }
  }
}

/** The longest duration Go's time.Duration holds (Hydra parses lifespans into one). */
const MAX_LIFESPAN_MS = 2_562_047 * 3_600_000;

/**
 * A lifespan as Hydra answers it, in Go's own format ("90m" becomes "1h30m0s"); longer than Go can hold
 * is refused, naming the field.
 */
export function normalizeLifespan(value: string, field: string): string {
  const ms = parseDuration(value);
  if (ms > MAX_LIFESPAN_MS) throw metadataError(`Field "${field}" must be at most 2562047h.`);
  return formatDuration(ms);
}

/** Applies the defaults to what the caller sent: absent and null fields take Hydra's default values. */
export function withDefaults(input: Partial<Record<keyof ClientMetadata, unknown>>): ClientMetadata {
  const metadata = defaultMetadata() as unknown as Record<string, unknown>;
  for (const field of METADATA_FIELDS) {
    const value = input[field];
    if (value !== undefined && value !== null) metadata[field] = value;
  }
  const result = metadata as unknown as ClientMetadata;
  for (const field of LIFESPAN_FIELDS) {
    const lifespan = result[field];
    if (lifespan !== null) result[field] = normalizeLifespan(lifespan, field);
  }
  // `{}` is how some tools write "no key set"; it is not a JWKS with keys.
  if (result.jwks !== null && Object.keys(result.jwks).length === 0) result.jwks = null;
  if (input.response_types === undefined || input.response_types === null) {
    result.response_types = result.grant_types.includes('authorization_code') ? ['code'] : [];
  }
  if (result.token_endpoint_auth_method === 'private_key_jwt' && result.token_endpoint_auth_signing_alg === '') {
    result.token_endpoint_auth_signing_alg = 'RS256';
  }
  result.scope = result.scope.trim().split(/\s+/).filter(Boolean).join(' ');
  return result;
}

/**
 * The rules between client metadata fields (RFC 7591 §2, OIDC Registration §2). Throws
 * `invalid_redirect_uri` or `invalid_client_metadata` with a hint that names the field.
 */
export function validateClientMetadata(m: ClientMetadata, rules: MetadataRules): void {
  if (!(TOKEN_ENDPOINT_AUTH_METHODS as readonly string[]).includes(m.token_endpoint_auth_method)) {
    throw metadataError(`Field "token_endpoint_auth_method" must be one of ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}.`);
  }
  for (const grant of m.grant_types) {
    if (!(GRANT_TYPES as readonly string[]).includes(grant)) {
      throw metadataError(`Field "grant_types" holds "${grant}", which Hydrant does not support.`);
    }
  }
  for (const responseType of m.response_types) {
    const normalised = responseType.split(' ').sort().join(' ');
    const key = Object.keys(RESPONSE_TYPE_GRANTS).find((k) => k.split(' ').sort().join(' ') === normalised);
    if (!key) throw metadataError(`Field "response_types" holds "${responseType}", which is not a known response type.`);
    const missing = RESPONSE_TYPE_GRANTS[key].filter((g) => !m.grant_types.includes(g));
    if (missing.length > 0) {
      throw metadataError(`Field "response_types" holds "${responseType}", which needs grant type "${missing[0]}" in "grant_types".`);
    }
  }
  const invalidRedirect = (hint: string) => Errors.invalidRedirectUri().withHint(hint);
  m.redirect_uris.forEach((uri) => checkRedirectUri(uri, 'redirect_uris', invalidRedirect, rules.dev));
  m.post_logout_redirect_uris.forEach((uri) => checkRedirectUri(uri, 'post_logout_redirect_uris', metadataError, rules.dev));
  for (const scope of m.scope.split(' ').filter(Boolean)) {
    if (!isScopeToken(scope)) throw metadataError(`Field "scope" holds "${scope}", which is not a valid scope token.`);
  }
  for (const field of ['client_uri', 'logo_uri', 'policy_uri', 'tos_uri'] as const) checkWebUrl(m[field], field, { fragment: true });
  // OIDC Front-Channel Logout §2 and Back-Channel Logout §2.2: these must not include a fragment.
  for (const field of ['frontchannel_logout_uri', 'backchannel_logout_uri'] as const) checkWebUrl(m[field], field, { fragment: false });
  checkHttpsUrl(m.jwks_uri, 'jwks_uri', { fragment: false });
  checkHttpsUrl(m.sector_identifier_uri, 'sector_identifier_uri', { fragment: false });
  // OIDC Core §6.2: a request_uri may carry a fragment naming a hash of its content.
  m.request_uris.forEach((uri) => checkHttpsUrl(uri, 'request_uris', { fragment: true }));
  m.allowed_cors_origins.forEach(checkOrigin);

  if (m.jwks !== null && m.jwks_uri !== '') {
    throw metadataError('Fields "jwks" and "jwks_uri" must not both be set (RFC 7591 §2).');
  }
  if (m.jwks !== null) checkJwks(m.jwks);
  if (m.token_endpoint_auth_method === 'private_key_jwt') {
    if (m.jwks === null && m.jwks_uri === '') {
      throw metadataError('Field "token_endpoint_auth_method" is "private_key_jwt", so "jwks" or "jwks_uri" must be set.');
    }
    if (!ASYMMETRIC_SIGNING_ALGS.includes(m.token_endpoint_auth_signing_alg)) {
      throw metadataError(`Field "token_endpoint_auth_signing_alg" must be one of ${ASYMMETRIC_SIGNING_ALGS.join(', ')}.`);
    }
  } else if (m.token_endpoint_auth_signing_alg !== '' && !ASYMMETRIC_SIGNING_ALGS.includes(m.token_endpoint_auth_signing_alg)) {
    throw metadataError(`Field "token_endpoint_auth_signing_alg" must be one of ${ASYMMETRIC_SIGNING_ALGS.join(', ')}.`);
  }
  if (!rules.subjectTypes.includes(m.subject_type)) {
    throw metadataError(`Field "subject_type" must be one of ${rules.subjectTypes.join(', ')}.`);
  }
  if (!SIGNING_ALGS_OR_NONE.includes(m.userinfo_signed_response_alg)) {
    throw metadataError(`Field "userinfo_signed_response_alg" must be one of ${SIGNING_ALGS_OR_NONE.join(', ')}.`);
  }
  if (m.request_object_signing_alg !== '' && !SIGNING_ALGS_OR_NONE.includes(m.request_object_signing_alg)) {
    throw metadataError(`Field "request_object_signing_alg" must be one of ${SIGNING_ALGS_OR_NONE.join(', ')}.`);
  }
  if (!['', 'opaque', 'jwt'].includes(m.access_token_strategy)) {
    throw metadataError('Field "access_token_strategy" must be "opaque" or "jwt".');
  }
  if (m.audience.some((a) => a.trim() === '')) throw metadataError('Field "audience" must not hold empty values.');
  // Stored in columns of their own, and PostgreSQL text cannot hold NUL (the insert failed with a 500).
  for (const field of ['client_name', 'owner'] as const) {
    if (m[field].includes('\u0000')) throw metadataError(`Field "${field}" must not contain NUL characters.`);
  }
  if (m.grant_types.includes('client_credentials') && m.token_endpoint_auth_method === 'none') {
    throw metadataError('Grant type "client_credentials" needs an authenticated client; "token_endpoint_auth_method" is "none".');
  }
  const metadataSize = JSON.stringify(m.metadata).length;
  if (metadataSize > 65_536) throw metadataError('Field "metadata" must be at most 64 KiB of JSON.');
}

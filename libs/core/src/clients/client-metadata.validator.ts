import { formatDuration, parseDuration } from '../config/duration';
import { isScopeToken } from '../scopes/scope.strategy';
import { Errors, OAuth2Error } from '../errors';
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

export interface MetadataRules {
  /** Subject types the server offers (OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES). */
  subjectTypes: readonly string[];
}

/** Private JWK members (RFC 7518 §6): a client registers public keys only. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const SIGNING_ALGS_OR_NONE = ['none', ...ASYMMETRIC_SIGNING_ALGS];

const metadataError = (hint: string): OAuth2Error => Errors.invalidClientMetadata().withHint(hint);

function parseAbsoluteUrl(value: string, field: string, make = metadataError): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw make(`Field "${field}" must hold absolute URIs; "${value}" is not one.`);
  }
  return url;
}

function checkWebUrl(value: string, field: string): void {
  if (value === '') return;
  const url = parseAbsoluteUrl(value, field);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw metadataError(`Field "${field}" must be an http or https URL; "${value}" is not.`);
  }
}

function checkHttpsUrl(value: string, field: string): void {
  if (value === '') return;
  const url = parseAbsoluteUrl(value, field);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw metadataError(`Field "${field}" must be an https URL; "${value}" is not.`);
  }
}

/** RFC 6749 §3.1.2: absolute, no fragment. Custom schemes stay allowed for native apps (RFC 8252 §7.1). */
function checkRedirectUris(uris: string[], field: string): void {
  const invalid = field === 'redirect_uris' ? (h: string) => Errors.invalidRedirectUri().withHint(h) : metadataError;
  for (const uri of uris) {
    // A URI has no whitespace or control characters (RFC 3986 §2); WHATWG parsing would drop some silently.
    if (/[\u0000-\u0020\u007f]/.test(uri)) throw invalid(`Field "${field}" must not hold URIs with whitespace or control characters.`);
    const url = parseAbsoluteUrl(uri, field, invalid);
    if (uri.includes('#')) throw invalid(`Field "${field}" must not hold URIs with a fragment; "${uri}" has one.`);
    if (url.protocol === 'javascript:' || url.protocol === 'data:' || url.protocol === 'vbscript:') {
      throw invalid(`Field "${field}" must not use the "${url.protocol}" scheme.`);
    }
  }
}

function checkOrigins(origins: string[]): void {
  for (const origin of origins) {
    const url = parseAbsoluteUrl(origin, 'allowed_cors_origins');
    if (url.origin === 'null' || url.origin !== origin.replace(/\/$/, '')) {
      throw metadataError(`Field "allowed_cors_origins" must hold origins (scheme://host[:port]); "${origin}" is not one.`);
    }
  }
}

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
  checkRedirectUris(m.redirect_uris, 'redirect_uris');
  checkRedirectUris(m.post_logout_redirect_uris, 'post_logout_redirect_uris');
  for (const scope of m.scope.split(' ').filter(Boolean)) {
    if (!isScopeToken(scope)) throw metadataError(`Field "scope" holds "${scope}", which is not a valid scope token.`);
  }
  for (const field of ['client_uri', 'logo_uri', 'policy_uri', 'tos_uri', 'frontchannel_logout_uri', 'backchannel_logout_uri'] as const) {
    checkWebUrl(m[field], field);
  }
  checkHttpsUrl(m.jwks_uri, 'jwks_uri');
  checkHttpsUrl(m.sector_identifier_uri, 'sector_identifier_uri');
  m.request_uris.forEach((uri) => checkHttpsUrl(uri, 'request_uris'));
  checkOrigins(m.allowed_cors_origins);

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

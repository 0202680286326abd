import { ClientMetadata, LIFESPAN_FIELDS, TOKEN_ENDPOINT_AUTH_METHODS } from './client.metadata';
import type { ApiPropertyOptions } from '@nestjs/swagger';
import { ApiProperty } from '../openapi/swagger-decorators';

const STRINGS: ApiPropertyOptions = { type: [String] };
const OBJECT: ApiPropertyOptions = { type: 'object', additionalProperties: true };
const LIFESPAN: ApiPropertyOptions = { type: String, nullable: true, example: '1h0m0s', description: 'Go-style duration; null: the configured default.' };

/**
 * How each OAuth2Client metadata field is described in the OpenAPI documents. A Record over the metadata's
 * keys, so that a field added to ClientMetadata does not compile until it is described here.
 */
export const CLIENT_METADATA_DOCS: Record<keyof ClientMetadata, ApiPropertyOptions> = {
  client_name: { type: String },
  redirect_uris: STRINGS,
  post_logout_redirect_uris: STRINGS,
  grant_types: { ...STRINGS, example: ['authorization_code', 'refresh_token'] },
  response_types: { ...STRINGS, example: ['code'] },
  scope: { type: String, description: 'Space separated.', example: 'openid offline_access' },
  audience: STRINGS,
  token_endpoint_auth_method: { type: String, enum: [...TOKEN_ENDPOINT_AUTH_METHODS] },
  token_endpoint_auth_signing_alg: { type: String },
  jwks: { type: 'object', additionalProperties: true, description: 'A JSON Web Key Set ({"keys": [...]}).' },
  jwks_uri: { type: String },
  subject_type: { type: String, example: 'public' },
  sector_identifier_uri: { type: String },
  skip_consent: { type: Boolean },
  skip_logout_consent: { type: Boolean },
  frontchannel_logout_uri: { type: String },
  frontchannel_logout_session_required: { type: Boolean },
  backchannel_logout_uri: { type: String },
  backchannel_logout_session_required: { type: Boolean },
  allowed_cors_origins: STRINGS,
  access_token_strategy: { type: String, description: '`opaque` or `jwt`; absent: STRATEGIES_ACCESS_TOKEN.' },
  owner: { type: String },
  contacts: STRINGS,
  client_uri: { type: String },
  logo_uri: { type: String },
  policy_uri: { type: String },
  tos_uri: { type: String },
  metadata: OBJECT,
  userinfo_signed_response_alg: { type: String },
  request_object_signing_alg: { type: String },
  request_uris: STRINGS,
  ...(Object.fromEntries(LIFESPAN_FIELDS.map((field) => [field, LIFESPAN])) as Record<(typeof LIFESPAN_FIELDS)[number], ApiPropertyOptions>),
};

/** Fields a response omits when empty (the presenter leaves them out rather than answering null or ""). */
const OMITTED_WHEN_EMPTY: ReadonlySet<keyof ClientMetadata> = new Set(['jwks', 'access_token_strategy']);

/** Every metadata field but the thirteen lifespans. */
export const NON_LIFESPAN_FIELDS = (Object.keys(CLIENT_METADATA_DOCS) as Array<keyof ClientMetadata>).filter((f) => !(LIFESPAN_FIELDS as readonly string[]).includes(f));

/**
 * Declares metadata fields on a DTO class for the OpenAPI documents: as a request takes them (each
 * optional, null for "the default") or as a response carries them (present unless omitted when empty;
 * only lifespans null).
 */
export function ApiClientMetadata(as: 'request' | 'response', fields: ReadonlyArray<keyof ClientMetadata>): ClassDecorator {
  return (target) => {
    for (const field of fields) {
      const docs = CLIENT_METADATA_DOCS[field];
      const options = as === 'request' ? { ...docs, required: false, nullable: true } : { ...docs, required: !OMITTED_WHEN_EMPTY.has(field) };
      ApiProperty(options as ApiPropertyOptions)(target.prototype as object, field);
    }
  };
}

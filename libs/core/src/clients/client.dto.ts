import { IsArray, IsBoolean, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { GO_DURATION_PATTERN } from '../config/duration';
import { ApiClientMetadata, NON_LIFESPAN_FIELDS } from './client-fields.openapi';
import { LIFESPAN_FIELDS } from './client.metadata';
import { ApiPropertyOptional } from '../openapi/swagger-decorators';

const DURATION = { message: '$property must be a duration such as "1h0m0s"' };

/** PUT /admin/clients/{id}/lifespans: only the thirteen lifespan fields. */
@ApiClientMetadata('request', LIFESPAN_FIELDS)
export class ClientLifespansDto {
  /** Validation failures of client shapes are RFC 7591 §3.2.2 `invalid_client_metadata`. */
  static readonly validationErrorCode = 'invalid_client_metadata';

  @IsOptional() @Matches(GO_DURATION_PATTERN, DURATION) authorization_code_grant_access_token_lifespan?: string | null;
  @IsOptional() @Matches(GO_DURATION_PATTERN, DURATION) authorization_code_grant_id_token_lifespan?: string | null;
  @IsOptional() @Matches(GO_DURATION_PATTERN, DURATION) authorization_code_grant_refresh_token_lifespan?: string | null;
  @IsOptional() @Matches(GO_DURATION_PATTERN, DURATION) client_credentials_grant_access_token_lifespan?: string | null;
  @IsOptional() @Matches(GO_DURATION_PATTERN, DURATION) device_authorization_grant_access_token_lifespan?: string | null;
  @IsOptional() @Matches(GO_DURATION_PATTERN, DURATION) device_authorization_grant_id_token_lifespan?: string | null;
  @IsOptional() @Matches(GO_DURATION_PATTERN, DURATION) device_authorization_grant_refresh_token_lifespan?: string | null;
  @IsOptional() @Matches(GO_DURATION_PATTERN, DURATION) implicit_grant_access_token_lifespan?: string | null;
  @IsOptional() @Matches(GO_DURATION_PATTERN, DURATION) implicit_grant_id_token_lifespan?: string | null;
  @IsOptional() @Matches(GO_DURATION_PATTERN, DURATION) jwt_bearer_grant_access_token_lifespan?: string | null;
  @IsOptional() @Matches(GO_DURATION_PATTERN, DURATION) refresh_token_grant_access_token_lifespan?: string | null;
  @IsOptional() @Matches(GO_DURATION_PATTERN, DURATION) refresh_token_grant_id_token_lifespan?: string | null;
  @IsOptional() @Matches(GO_DURATION_PATTERN, DURATION) refresh_token_grant_refresh_token_lifespan?: string | null;
}

/**
 * The wire shape of an OAuth2Client as a caller sends it (admin create/replace, registration). Checks
 * only types here; the rules between fields live in client-metadata.validator.ts. Every field is optional
 * and null means "the default". Unknown fields are dropped by the global ValidationPipe, as RFC 7591 §2 asks.
 */
@ApiClientMetadata('request', NON_LIFESPAN_FIELDS)
export class ClientDto extends ClientLifespansDto {
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Generated when absent.' })
  @IsOptional() @IsString() @MaxLength(255) client_id?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Generated when absent and the client authenticates with a secret; returned once.' })
  @IsOptional() @IsString() @MaxLength(512) client_secret?: string | null;
  @IsOptional() @IsString() @MaxLength(255) client_name?: string | null;
  @IsOptional() @IsArray() @IsString({ each: true }) redirect_uris?: string[] | null;
  @IsOptional() @IsArray() @IsString({ each: true }) post_logout_redirect_uris?: string[] | null;
  @IsOptional() @IsArray() @IsString({ each: true }) grant_types?: string[] | null;
  @IsOptional() @IsArray() @IsString({ each: true }) response_types?: string[] | null;
  @IsOptional() @IsString() scope?: string | null;
  @IsOptional() @IsArray() @IsString({ each: true }) audience?: string[] | null;
  @IsOptional() @IsString() token_endpoint_auth_method?: string | null;
  @IsOptional() @IsString() token_endpoint_auth_signing_alg?: string | null;
  @IsOptional() @IsObject() jwks?: Record<string, unknown> | null;
  @IsOptional() @IsString() jwks_uri?: string | null;
  @IsOptional() @IsString() subject_type?: string | null;
  @IsOptional() @IsString() sector_identifier_uri?: string | null;
  @IsOptional() @IsBoolean() skip_consent?: boolean | null;
  @IsOptional() @IsBoolean() skip_logout_consent?: boolean | null;
  @IsOptional() @IsString() frontchannel_logout_uri?: string | null;
  @IsOptional() @IsBoolean() frontchannel_logout_session_required?: boolean | null;
  @IsOptional() @IsString() backchannel_logout_uri?: string | null;
  @IsOptional() @IsBoolean() backchannel_logout_session_required?: boolean | null;
  @IsOptional() @IsArray() @IsString({ each: true }) allowed_cors_origins?: string[] | null;
  @IsOptional() @IsString() access_token_strategy?: string | null;
  @IsOptional() @IsString() @MaxLength(255) owner?: string | null;
  @IsOptional() @IsArray() @IsString({ each: true }) contacts?: string[] | null;
  @IsOptional() @IsString() client_uri?: string | null;
  @IsOptional() @IsString() logo_uri?: string | null;
  @IsOptional() @IsString() policy_uri?: string | null;
  @IsOptional() @IsString() tos_uri?: string | null;
  @IsOptional() @IsObject() metadata?: Record<string, unknown> | null;
  @IsOptional() @IsString() userinfo_signed_response_alg?: string | null;
  @IsOptional() @IsString() request_object_signing_alg?: string | null;
  @IsOptional() @IsArray() @IsString({ each: true }) request_uris?: string[] | null;
}

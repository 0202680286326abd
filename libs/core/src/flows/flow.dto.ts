import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '../openapi/swagger-decorators';

/** What the subject and session columns hold. */
const MAX_ID = 255;

/** AcceptOAuth2LoginRequest (Hydra v2). */
export class AcceptLoginDto {
  @ApiProperty({ description: 'The authenticated subject.' })
  @IsString() @MinLength(1) @MaxLength(MAX_ID) subject: string;
  @ApiPropertyOptional()
  @IsOptional() @IsBoolean() remember?: boolean;
  /** Seconds; 0 = for as long as the browser session lasts. */
  @ApiPropertyOptional({ type: 'integer', description: 'Seconds; 0: as long as the browser session.' })
  @IsOptional() @IsInt() @Min(0) @Max(2_147_483_647) remember_for?: number;
  @ApiPropertyOptional()
  @IsOptional() @IsString() acr?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @IsString({ each: true }) amr?: string[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional() @IsObject() context?: Record<string, unknown>;
  @ApiPropertyOptional()
  @IsOptional() @IsBoolean() extend_session_lifespan?: boolean;
  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(MAX_ID) force_subject_identifier?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(MAX_ID) identity_provider_session_id?: string;
}

/** RejectOAuth2Request (Hydra v2): what the client will be told. */
export class RejectFlowDto {
  @ApiPropertyOptional({ example: 'access_denied' })
  @IsOptional() @IsString() error?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() error_description?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() error_hint?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() error_debug?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 400, maximum: 599 })
  @IsOptional() @IsInt() @Min(400) @Max(599) status_code?: number;
}

/** AcceptOAuth2ConsentRequestSession: extra claims for the access token (`ext`) and the ID token. */
export class ConsentSessionClaimsDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Extra claims of the access token (`ext`).' })
  @IsOptional() @IsObject() access_token?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Extra claims of the ID token.' })
  @IsOptional() @IsObject() id_token?: Record<string, unknown>;
}

/** AcceptOAuth2ConsentRequest (Hydra v2). */
export class AcceptConsentDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @IsString({ each: true }) grant_scope?: string[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @IsString({ each: true }) grant_access_token_audience?: string[];
  @ApiPropertyOptional()
  @IsOptional() @IsBoolean() remember?: boolean;
  /** Seconds; 0 = until revoked. */
  @ApiPropertyOptional({ type: 'integer', description: 'Seconds; 0: until revoked.' })
  @IsOptional() @IsInt() @Min(0) @Max(2_147_483_647) remember_for?: number;
  @ApiPropertyOptional({ type: () => ConsentSessionClaimsDto })
  @IsOptional() @ValidateNested() @Type(() => ConsentSessionClaimsDto) session?: ConsentSessionClaimsDto;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional() @IsObject() context?: Record<string, unknown>;
}

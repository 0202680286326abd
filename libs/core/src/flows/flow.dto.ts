import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

/** What the subject and session columns hold. */
const MAX_ID = 255;

/** AcceptOAuth2LoginRequest (Hydra v2). */
export class AcceptLoginDto {
  @IsString() @MinLength(1) @MaxLength(MAX_ID) subject: string;
  @IsOptional() @IsBoolean() remember?: boolean;
  /** Seconds; 0 = for as long as the browser session lasts. */
  @IsOptional() @IsInt() @Min(0) @Max(2_147_483_647) remember_for?: number;
  @IsOptional() @IsString() acr?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) amr?: string[];
  @IsOptional() @IsObject() context?: Record<string, unknown>;
  @IsOptional() @IsBoolean() extend_session_lifespan?: boolean;
  @IsOptional() @IsString() @MaxLength(MAX_ID) force_subject_identifier?: string;
  @IsOptional() @IsString() @MaxLength(MAX_ID) identity_provider_session_id?: string;
}

/** RejectOAuth2Request (Hydra v2): what the client will be told. */
export class RejectFlowDto {
  @IsOptional() @IsString() error?: string;
  @IsOptional() @IsString() error_description?: string;
  @IsOptional() @IsString() error_hint?: string;
  @IsOptional() @IsString() error_debug?: string;
  @IsOptional() @IsInt() @Min(400) @Max(599) status_code?: number;
}

/** AcceptOAuth2ConsentRequestSession: extra claims for the access token (`ext`) and the ID token. */
export class ConsentSessionClaimsDto {
  @IsOptional() @IsObject() access_token?: Record<string, unknown>;
  @IsOptional() @IsObject() id_token?: Record<string, unknown>;
}

/** AcceptOAuth2ConsentRequest (Hydra v2). */
export class AcceptConsentDto {
  @IsOptional() @IsArray() @IsString({ each: true }) grant_scope?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) grant_access_token_audience?: string[];
  @IsOptional() @IsBoolean() remember?: boolean;
  /** Seconds; 0 = until revoked. */
  @IsOptional() @IsInt() @Min(0) @Max(2_147_483_647) remember_for?: number;
  @IsOptional() @ValidateNested() @Type(() => ConsentSessionClaimsDto) session?: ConsentSessionClaimsDto;
  @IsOptional() @IsObject() context?: Record<string, unknown>;
}

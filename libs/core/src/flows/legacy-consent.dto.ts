import { IsArray, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/** Hydra v0's ConsentRequestAcceptance (camelCase, as v0 named it). */
export class LegacyConsentAcceptanceDto {
  @IsOptional() @IsString() @MaxLength(255) subject?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) grantScopes?: string[];
  @IsOptional() @IsObject() accessTokenExtra?: Record<string, unknown>;
  @IsOptional() @IsObject() idTokenExtra?: Record<string, unknown>;
}

/** Hydra v0's ConsentRequestRejection. */
export class LegacyConsentRejectionDto {
  @IsOptional() @IsString() @MaxLength(1024) reason?: string;
}

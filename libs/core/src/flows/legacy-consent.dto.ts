import { IsArray, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiPropertyOptional } from '../openapi/swagger-decorators';

/** Hydra v0's ConsentRequestAcceptance (camelCase, as v0 named it). */
export class LegacyConsentAcceptanceDto {
  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(255) subject?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @IsString({ each: true }) grantScopes?: string[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional() @IsObject() accessTokenExtra?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional() @IsObject() idTokenExtra?: Record<string, unknown>;
}

/** Hydra v0's ConsentRequestRejection. */
export class LegacyConsentRejectionDto {
  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(1024) reason?: string;
}

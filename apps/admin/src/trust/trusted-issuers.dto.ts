import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ApiPropertyOptional, NoNul } from '@hydrant/core';
import { MAX_PAGE_SIZE } from '../clients/list-clients.query';
import { JsonWebKeyDto } from '../keys/keys.dto';

/**
 * POST /admin/trust/grants/jwt-bearer/issuers (Hydra's TrustOAuth2JwtGrantIssuer). Members are optional
 * here so that a missing one is Hydra's missing_required_parameter (libs/core), not a validation error;
 * names are bounded by their columns and hold no NUL (PostgreSQL text cannot).
 */
export class TrustJwtGrantIssuerDto {
  @ApiPropertyOptional({ description: 'Required.' })
  @IsOptional() @IsString() @MaxLength(255) @NoNul() issuer?: string;
  @ApiPropertyOptional({ description: 'Required unless allow_any_subject.' })
  @IsOptional() @IsString() @MaxLength(255) @NoNul() subject?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsBoolean() allow_any_subject?: boolean;
  @ApiPropertyOptional({ type: [String], description: 'Required.' })
  @IsOptional() @IsArray() @IsString({ each: true }) scope?: string[];
  @ApiPropertyOptional({ type: () => JsonWebKeyDto, description: 'Required: the public key.' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => JsonWebKeyDto) jwk?: JsonWebKeyDto;
  @ApiPropertyOptional({ format: 'date-time', description: 'Required.' })
  @IsOptional() @IsString() expires_at?: string;
}

/** GET /admin/trust/grants/jwt-bearer/issuers: Hydra's keyset paging and its issuer filter. */
export class ListTrustedIssuersQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) page_size?: number;
  @ApiPropertyOptional()
  @IsOptional() @IsString() page_token?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() issuer?: string;
}

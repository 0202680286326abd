import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { NoNul } from '@hydrant/core';
import { MAX_PAGE_SIZE } from '../clients/list-clients.query';
import { JsonWebKeyDto } from '../keys/keys.dto';

/**
 * POST /admin/trust/grants/jwt-bearer/issuers (Hydra's TrustOAuth2JwtGrantIssuer). Members are optional
 * here so that a missing one is Hydra's missing_required_parameter (libs/core), not a validation error;
 * names are bounded by their columns and hold no NUL (PostgreSQL text cannot).
 */
export class TrustJwtGrantIssuerDto {
  @IsOptional() @IsString() @MaxLength(255) @NoNul() issuer?: string;
  @IsOptional() @IsString() @MaxLength(255) @NoNul() subject?: string;
  @IsOptional() @IsBoolean() allow_any_subject?: boolean;
  @IsOptional() @IsArray() @IsString({ each: true }) scope?: string[];
  @IsOptional() @IsObject() @ValidateNested() @Type(() => JsonWebKeyDto) jwk?: JsonWebKeyDto;
  @IsOptional() @IsString() expires_at?: string;
}

/** GET /admin/trust/grants/jwt-bearer/issuers: Hydra's keyset paging and its issuer filter. */
export class ListTrustedIssuersQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) page_size?: number;
  @IsOptional() @IsString() page_token?: string;
  @IsOptional() @IsString() issuer?: string;
}

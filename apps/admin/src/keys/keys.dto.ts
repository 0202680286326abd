import { Type } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { NoNul } from '@hydrant/core';

/** POST /admin/keys/{set} (Hydra's CreateJsonWebKeySet). An empty `kid` or `use` means "choose for me". */
export class CreateJsonWebKeySetDto {
  @IsString() @MaxLength(16) alg: string;
  @IsOptional() @IsString() @MaxLength(255) kid?: string;
  @IsOptional() @IsIn(['sig', 'enc', '']) use?: string;
}

/**
 * One JSON Web Key of a PUT body. Declares every member Hydrant keeps, so that the global pipe's
 * whitelist drops the rest; whether the members form a usable key is checked with jose in libs/core.
 */
export class JsonWebKeyDto {
  @IsOptional() @IsString() kty?: string;
  @IsOptional() @IsString() @MaxLength(255) @NoNul() kid?: string;
  @IsOptional() @IsString() alg?: string;
  @IsOptional() @IsString() use?: string;
  @IsOptional() @IsString() crv?: string;
  @IsOptional() @IsString() x?: string;
  @IsOptional() @IsString() y?: string;
  @IsOptional() @IsString() n?: string;
  @IsOptional() @IsString() e?: string;
  @IsOptional() @IsString() d?: string;
  @IsOptional() @IsString() p?: string;
  @IsOptional() @IsString() q?: string;
  @IsOptional() @IsString() dp?: string;
  @IsOptional() @IsString() dq?: string;
  @IsOptional() @IsString() qi?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) x5c?: string[];
  @IsOptional() @IsString() x5t?: string;
  @IsOptional() @IsString() 'x5t#S256'?: string;
  @IsOptional() @IsString() x5u?: string;
}

/** PUT /admin/keys/{set} (Hydra's JsonWebKeySet). */
export class JsonWebKeySetDto {
  @IsArray() @ValidateNested({ each: true }) @Type(() => JsonWebKeyDto) keys: JsonWebKeyDto[];
}

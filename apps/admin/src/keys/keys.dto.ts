import { Type } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { ApiProperty, ApiPropertyOptional, NoNul } from '@hydrant/core';

/** POST /admin/keys/{set} (Hydra's CreateJsonWebKeySet). An empty `kid` or `use` means "choose for me". */
export class CreateJsonWebKeySetDto {
  @ApiProperty({ example: 'RS256' })
  @IsString() @MaxLength(16) alg: string;
  @ApiPropertyOptional({ description: 'Empty: one is generated.' })
  @IsOptional() @IsString() @MaxLength(255) kid?: string;
  @ApiPropertyOptional({ enum: ['sig', 'enc', ''] })
  @IsOptional() @IsIn(['sig', 'enc', '']) use?: string;
}

/**
 * One JSON Web Key of a PUT body. Declares every member Hydrant keeps, so that the global pipe's
 * whitelist drops the rest; whether the members form a usable key is checked with jose in libs/core.
 */
export class JsonWebKeyDto {
  @ApiPropertyOptional()
  @IsOptional() @IsString() kty?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(255) @NoNul() kid?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() alg?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() use?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() crv?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() x?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() y?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() n?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() e?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() d?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() p?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() q?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() dp?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() dq?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() qi?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @IsString({ each: true }) x5c?: string[];
  @ApiPropertyOptional()
  @IsOptional() @IsString() x5t?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() 'x5t#S256'?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() x5u?: string;
}

/** PUT /admin/keys/{set} (Hydra's JsonWebKeySet). */
export class JsonWebKeySetDto {
  @ApiProperty({ type: () => [JsonWebKeyDto] })
  @IsArray() @ValidateNested({ each: true }) @Type(() => JsonWebKeyDto) keys: JsonWebKeyDto[];
}

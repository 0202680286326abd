import { IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { NoNul } from '../validation/no-nul.decorator';
import { ApiProperty, ApiPropertyOptional } from '../openapi/swagger-decorators';

const NULLABLE_STRING = { type: String, nullable: true } as const;

/** Fluxer's ApplicationCreateRequest, plus the owner when it is not given as `?owner=`. */
export class CreateApplicationDto {
  @ApiProperty({ maxLength: 100 })
  @IsString() @MinLength(1) @MaxLength(100) @NoNul() name: string;
  @ApiPropertyOptional({ type: [String], nullable: true })
  @IsOptional() @IsArray() @IsString({ each: true }) redirect_uris?: string[] | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() bot_public?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() bot_require_code_grant?: boolean;
  @ApiPropertyOptional({ ...NULLABLE_STRING, maxLength: 400 })
  @IsOptional() @IsString() @MaxLength(400) @NoNul() description?: string | null;
  @ApiPropertyOptional({ ...NULLABLE_STRING, maxLength: 2048 })
  @IsOptional() @IsString() @MaxLength(2048) @NoNul() icon?: string | null;
  @ApiPropertyOptional({ description: 'The owning user, when not given as `?owner=`.' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(255) @NoNul() owner?: string;
}

/** Fluxer's ApplicationUpdateRequest: a partial object; absent fields stay as they are. */
export class UpdateApplicationDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) @NoNul() name?: string;
  @ApiPropertyOptional({ type: [String], nullable: true })
  @IsOptional() @IsArray() @IsString({ each: true }) redirect_uris?: string[] | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() bot_public?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() bot_require_code_grant?: boolean;
  @ApiPropertyOptional({ ...NULLABLE_STRING, maxLength: 400 })
  @IsOptional() @IsString() @MaxLength(400) @NoNul() description?: string | null;
  @ApiPropertyOptional({ ...NULLABLE_STRING, maxLength: 2048 })
  @IsOptional() @IsString() @MaxLength(2048) @NoNul() icon?: string | null;
}

/** Fluxer's BotProfileUpdateRequest; images arrive as data (base64) and only their hash is kept. */
export class UpdateBotProfileDto {
  @ApiPropertyOptional({ maxLength: 32 })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(32) @NoNul() username?: string;
  @ApiPropertyOptional({ pattern: '^\\d{1,4}$' })
  @IsOptional() @IsString() @Matches(/^\d{1,4}$/, { message: '$property must be up to four digits' }) discriminator?: string;
  @ApiPropertyOptional({ ...NULLABLE_STRING, description: 'Image data (base64); only its hash is kept.' })
  @IsOptional() @IsString() @MaxLength(400_000) avatar?: string | null;
  @ApiPropertyOptional({ ...NULLABLE_STRING, description: 'Image data (base64); only its hash is kept.' })
  @IsOptional() @IsString() @MaxLength(400_000) banner?: string | null;
  @ApiPropertyOptional({ ...NULLABLE_STRING, maxLength: 1024 })
  @IsOptional() @IsString() @MaxLength(1024) @NoNul() bio?: string | null;
  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  @IsOptional() @IsInt() @Min(0) @Max(2_147_483_647) bot_flags?: number;
}

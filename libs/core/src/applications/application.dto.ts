import { IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { NoNul } from '../validation/no-nul.decorator';

/** Fluxer's ApplicationCreateRequest, plus the owner when it is not given as `?owner=`. */
export class CreateApplicationDto {
  @IsString() @MinLength(1) @MaxLength(100) @NoNul() name: string;
  @IsOptional() @IsArray() @IsString({ each: true }) redirect_uris?: string[] | null;
  @IsOptional() @IsBoolean() bot_public?: boolean;
  @IsOptional() @IsBoolean() bot_require_code_grant?: boolean;
  @IsOptional() @IsString() @MaxLength(400) @NoNul() description?: string | null;
  @IsOptional() @IsString() @MaxLength(2048) @NoNul() icon?: string | null;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(255) @NoNul() owner?: string;
}

/** Fluxer's ApplicationUpdateRequest: a partial object; absent fields stay as they are. */
export class UpdateApplicationDto {
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) @NoNul() name?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) redirect_uris?: string[] | null;
  @IsOptional() @IsBoolean() bot_public?: boolean;
  @IsOptional() @IsBoolean() bot_require_code_grant?: boolean;
  @IsOptional() @IsString() @MaxLength(400) @NoNul() description?: string | null;
  @IsOptional() @IsString() @MaxLength(2048) @NoNul() icon?: string | null;
}

/** Fluxer's BotProfileUpdateRequest; images arrive as data (base64) and only their hash is kept. */
export class UpdateBotProfileDto {
  @IsOptional() @IsString() @MinLength(1) @MaxLength(32) @NoNul() username?: string;
  @IsOptional() @IsString() @Matches(/^\d{1,4}$/, { message: '$property must be up to four digits' }) discriminator?: string;
  @IsOptional() @IsString() @MaxLength(400_000) avatar?: string | null;
  @IsOptional() @IsString() @MaxLength(400_000) banner?: string | null;
  @IsOptional() @IsString() @MaxLength(1024) @NoNul() bio?: string | null;
  @IsOptional() @IsInt() @Min(0) @Max(2_147_483_647) bot_flags?: number;
}

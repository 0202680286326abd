import { Allow, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { NoNul } from '../validation/no-nul.decorator';
import { ApiProperty, ApiPropertyOptional } from '../openapi/swagger-decorators';

/** `POST /admin/personal-access-tokens`: for whom, what for, and until when. */
export class CreatePersonalAccessTokenDto {
  @ApiProperty({ maxLength: 255 })
  @IsString() @MinLength(1) @MaxLength(255) @NoNul() subject: string;
  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional() @IsString() @MaxLength(255) @NoNul() name?: string;
  /** A space-separated string or an array of scope tokens; read by the service. */
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'Space separated, or an array of scope tokens.' })
  @Allow() scope?: unknown;
  /** RFC 3339 time or seconds since the epoch; read by the service. Absent: TTL_PERSONAL_ACCESS_TOKEN from now. */
  @ApiPropertyOptional({ oneOf: [{ type: 'string', format: 'date-time' }, { type: 'integer' }], description: 'RFC 3339 time or seconds since the epoch; absent: TTL_PERSONAL_ACCESS_TOKEN from now.' })
  @Allow() expires_at?: unknown;
}

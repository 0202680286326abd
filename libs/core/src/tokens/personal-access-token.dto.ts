import { Allow, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { NoNul } from '../validation/no-nul.decorator';

/** `POST /admin/personal-access-tokens`: for whom, what for, and until when. */
export class CreatePersonalAccessTokenDto {
  @IsString() @MinLength(1) @MaxLength(255) @NoNul() subject: string;
  @IsOptional() @IsString() @MaxLength(255) @NoNul() name?: string;
  /** A space-separated string or an array of scope tokens; read by the service. */
  @Allow() scope?: unknown;
  /** RFC 3339 time or seconds since the epoch; read by the service. Absent: TTL_PERSONAL_ACCESS_TOKEN from now. */
  @Allow() expires_at?: unknown;
}

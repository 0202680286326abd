import { ApiProperty, ApiPropertyOptional } from '@hydrant/core';

/**
 * OIDC Core §5.3.2: `sub` and the standard claims the granted scopes allow (§5.4). Claims the consent app
 * added that are not standard pass as given, so the object is open.
 */
export class UserinfoResponse {
  @ApiProperty() sub: string;
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() family_name?: string;
  @ApiPropertyOptional() given_name?: string;
  @ApiPropertyOptional() middle_name?: string;
  @ApiPropertyOptional() nickname?: string;
  @ApiPropertyOptional() preferred_username?: string;
  @ApiPropertyOptional() profile?: string;
  @ApiPropertyOptional() picture?: string;
  @ApiPropertyOptional() website?: string;
  @ApiPropertyOptional() gender?: string;
  @ApiPropertyOptional() birthdate?: string;
  @ApiPropertyOptional() zoneinfo?: string;
  @ApiPropertyOptional() locale?: string;
  @ApiPropertyOptional({ type: 'integer' }) updated_at?: number;
  @ApiPropertyOptional() email?: string;
  @ApiPropertyOptional() email_verified?: boolean;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) address?: Record<string, unknown>;
  @ApiPropertyOptional() phone_number?: string;
  @ApiPropertyOptional() phone_number_verified?: boolean;
}

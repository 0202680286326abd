import { ApiProperty, ApiPropertyOptional } from '@hydrant/core';

/** A personal access token as the admin API shows it (presentPersonalAccessToken). */
export class PersonalAccessTokenResponse {
  @ApiProperty() id: string;
  @ApiPropertyOptional({ description: 'Only in the answer that issues it.', example: 'hy_pat_…' }) token?: string;
  @ApiProperty() subject: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Space separated.' }) scope: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

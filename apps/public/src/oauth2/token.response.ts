import { ApiProperty, ApiPropertyOptional } from '@hydrant/core';

/** RFC 6749 §5.1: the token endpoint's answer (libs/core's TokenResponse). */
export class TokenResponse {
  @ApiProperty() access_token: string;
  @ApiProperty({ example: 'bearer' }) token_type: string;
  @ApiProperty({ type: 'integer', description: 'Seconds.' }) expires_in: number;
  @ApiProperty({ description: 'Space separated; the scope granted.' }) scope: string;
  @ApiPropertyOptional({ description: 'With `offline_access` (or `offline`) granted.' }) refresh_token?: string;
  @ApiPropertyOptional({ description: 'With `openid` granted.' }) id_token?: string;
}

/** RFC 8628 §3.2: the device authorization endpoint's answer. */
export class DeviceAuthorizationResponse {
  @ApiProperty() device_code: string;
  @ApiProperty() user_code: string;
  @ApiProperty() verification_uri: string;
  @ApiProperty() verification_uri_complete: string;
  @ApiProperty({ type: 'integer', description: 'Seconds.' }) expires_in: number;
  @ApiProperty({ type: 'integer', description: 'Seconds between polls of the token endpoint.' }) interval: number;
}

import { ApiProperty, ApiPropertyOptional } from '@hydrant/core';

/** The public port's error body (RFC 6749 §5.2), as oauth2ErrorAnswer renders it. */
export class OAuth2ErrorResponse {
  @ApiProperty({ example: 'invalid_request' }) error: string;
  @ApiProperty() error_description: string;
  @ApiPropertyOptional() error_hint?: string;
  @ApiPropertyOptional({ description: 'Only with LOG_LEAK_SENSITIVE_VALUES.' }) error_debug?: string;
}

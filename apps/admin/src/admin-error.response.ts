import { ApiProperty, ApiPropertyOptional } from '@hydrant/core';

/** The admin port's error body (Hydra's genericError), as adminErrorAnswer renders it. */
export class AdminErrorResponse {
  @ApiProperty({ example: 'not_found' }) error: string;
  @ApiProperty() error_description: string;
  @ApiProperty({ type: 'integer', example: 404 }) status_code: number;
  @ApiPropertyOptional({ description: 'Only with LOG_LEAK_SENSITIVE_VALUES.' }) error_debug?: string;
}

import { ApiProperty } from '../openapi/swagger-decorators';

/** `GET /health/alive` (Hydra's healthStatus). */
export class HealthStatusResponse {
  @ApiProperty({ example: 'ok' }) status: string;
}

/** `GET /health/ready`: the status and what each check found. */
export class ReadinessResponse {
  @ApiProperty({ example: 'ok' }) status: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "Each check's result, by name (terminus' details)." }) details: Record<string, unknown>;
}

/** `GET /version`. */
export class VersionResponse {
  @ApiProperty({ example: 'v0.1.0' }) version: string;
}

import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService } from '@nestjs/terminus';
import { Errors } from '../errors';
import { HYDRANT_VERSION } from '../version';
import { DatabaseHealthIndicator } from './database.health';
import { HealthStatusResponse, ReadinessResponse, VersionResponse } from './health.response';
import { ApiOkResponse, ApiTags } from '../openapi/swagger-decorators';

/** Liveness, readiness and version, on both ports, in the shapes of Hydra's MetadataApi. */
@ApiTags('metadata')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
  ) {}

  /** The process serves HTTP; says nothing about its dependencies. */
  @Get('health/alive')
  @ApiOkResponse({ type: HealthStatusResponse })
  alive() {
    return { status: 'ok' };
  }

  /** The process can serve requests: a write to its database can succeed. 503 otherwise. */
  @Get('health/ready')
  @ApiOkResponse({ type: ReadinessResponse })
  async ready() {
    try {
      const result = await this.health.check([() => this.database.check()]);
      return { status: 'ok', details: result.details };
    } catch (e) {
      if (e instanceof ServiceUnavailableException) {
        throw Errors.temporarilyUnavailable().withHint('The database is unreachable or refuses writes.');
      }
      throw e;
    }
  }

  @Get('version')
  @ApiOkResponse({ type: VersionResponse })
  version() {
    return { version: HYDRANT_VERSION };
  }
}

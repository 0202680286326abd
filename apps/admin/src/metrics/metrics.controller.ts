import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiProduces, ApiTags, LOGGER, Logger, serverMetrics } from '@hydrant/core';

/** Prometheus exposition of the whole server, on the admin port only (as Hydra's `/metrics/prometheus`). */
@ApiTags('metadata')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  /** Written with `res.end`: Express's `send` would reorder the content type's parameters. */
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string' }, description: 'Prometheus text exposition.' })
  @Get('prometheus')
  async prometheus(@Res() res: Response): Promise<void> {
    const { contentType, body } = await serverMetrics(this.logger);
    res.status(200).setHeader('Content-Type', contentType);
    res.end(body);
  }
}

import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { Response } from 'express';
import { HydrantConfig, Logger, toOAuth2Error } from '@hydrant/core';

/**
 * The admin port's one exception filter: every failure answers `{error, error_description, status_code}`
 * (Hydra's genericError shape); 5xx never carries internals, which go to the log instead.
 */
@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly config: HydrantConfig,
    private readonly logger: Logger,
  ) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const error = toOAuth2Error(thrown);
    if (error.statusCode >= 500 && error.error === 'server_error') {
      this.logger.error({ err: thrown }, 'admin request failed');
    }
    if (res.headersSent) return;
    res.status(error.statusCode).setHeader('Cache-Control', 'no-store');
    res.json({
      error: error.error,
      error_description: error.fullDescription,
      status_code: error.statusCode,
      ...(this.config.logLeakSensitiveValues && error.debug ? { error_debug: error.debug } : {}),
    });
  }
}

import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { Response } from 'express';
import { HydrantConfig, JsonAnswer, Logger, requestLogger, toOAuth2Error } from '@hydrant/core';

/**
 * The admin port's error answer: `{error, error_description, status_code}` (Hydra's genericError shape);
 * 5xx never carries internals, which go to the log instead. A missing or wrong API key (401) carries the
 * Bearer challenge RFC 7235 §3.1 asks for.
 */
export function adminErrorAnswer(thrown: unknown, config: HydrantConfig, logger: Logger, req?: unknown): JsonAnswer {
  const error = toOAuth2Error(thrown);
  if (error.statusCode >= 500 && error.error === 'server_error') {
    requestLogger(req, logger).error({ err: thrown }, 'admin request failed');
  }
  return {
    status: error.statusCode,
    headers: error.statusCode === 401 ? { 'Cache-Control': 'no-store', 'WWW-Authenticate': 'Bearer realm="hydrant-admin"' } : { 'Cache-Control': 'no-store' },
    body: {
      error: error.error,
      error_description: error.fullDescription,
      status_code: error.statusCode,
      ...(config.logLeakSensitiveValues && error.debug ? { error_debug: error.debug } : {}),
    },
  };
}

/** The admin port's one exception filter: renders adminErrorAnswer. */
@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly config: HydrantConfig,
    private readonly logger: Logger,
  ) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const answer = adminErrorAnswer(thrown, this.config, this.logger, host.switchToHttp().getRequest());
    if (res.headersSent) return;
    res.status(answer.status).set(answer.headers).json(answer.body);
  }
}

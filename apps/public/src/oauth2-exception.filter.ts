import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { Response } from 'express';
import { HydrantConfig, Logger, toOAuth2Error } from '@hydrant/core';

/**
 * The public port's one exception filter: RFC 6749 §5.2 error JSON, with `WWW-Authenticate` where
 * RFC 6749 §5.2 (invalid_client) and RFC 6750 §3 (invalid_token) ask for it. 5xx never carries internals.
 */
@Catch()
export class OAuth2ExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly config: HydrantConfig,
    private readonly logger: Logger,
  ) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const error = toOAuth2Error(thrown);
    if (error.statusCode >= 500 && error.error === 'server_error') {
      this.logger.error({ err: thrown }, 'public request failed');
    }
    if (res.headersSent) return;
    if (error.error === 'invalid_token') {
      res.setHeader('WWW-Authenticate', `Bearer error="invalid_token", error_description="${error.description.replace(/"/g, "'")}"`);
    } else if (error.error === 'invalid_client' && error.statusCode === 401) {
      res.setHeader('WWW-Authenticate', 'Basic realm="hydrant"');
    }
    res.status(error.statusCode).setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    res.json({
      error: error.error,
      error_description: error.fullDescription,
      ...(error.hint ? { error_hint: error.hint } : {}),
      ...(this.config.logLeakSensitiveValues && error.debug ? { error_debug: error.debug } : {}),
    });
  }
}

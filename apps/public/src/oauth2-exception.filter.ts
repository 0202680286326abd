import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { Request, Response } from 'express';
import { HydrantConfig, Logger, toOAuth2Error } from '@hydrant/core';

/**
 * The public port's one exception filter: RFC 6749 §5.2 error JSON, with `WWW-Authenticate` where
 * RFC 6749 §5.2 and RFC 6750 §3 ask for it. A failed client authentication carries the Basic challenge
 * only when the client used the Authorization header (§5.2's MUST); a client that authenticated in the
 * body (post, private_key_jwt) gets the error body alone, as from Hydra. 5xx never carries internals.
 */
@Catch()
export class OAuth2ExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly config: HydrantConfig,
    private readonly logger: Logger,
  ) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    const error = toOAuth2Error(thrown);
    if (error.statusCode >= 500 && error.error === 'server_error') {
      this.logger.error({ err: thrown }, 'public request failed');
    }
    if (res.headersSent) return;
    if (error.error === 'invalid_token') {
      // RFC 6750 §3.1: a request that carried no token gets the challenge without an error code.
      const carriedToken = /^Bearer\s+\S/i.test(req.headers.authorization ?? '');
      res.setHeader(
        'WWW-Authenticate',
        carriedToken ? `Bearer realm="hydrant", error="invalid_token", error_description="${error.description.replace(/"/g, "'")}"` : 'Bearer realm="hydrant"',
      );
    } else if (error.error === 'invalid_client' && error.statusCode === 401 && /^Basic\s/i.test(req.headers.authorization ?? '')) {
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

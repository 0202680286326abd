import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { Request, Response } from 'express';
import { HydrantConfig, JsonAnswer, Logger, RateLimitedError, requestLogger, toOAuth2Error } from '@hydrant/core';

/**
 * The public port's error answer: RFC 6749 §5.2 error JSON, with `WWW-Authenticate` where RFC 6749 §5.2
 * and RFC 6750 §3 ask for it. A failed client authentication carries the Basic challenge only when the
 * client used the Authorization header (§5.2's MUST); a client that authenticated in the body (post,
 * private_key_jwt) gets the error body alone, as from Hydra. A 429 from a limit carries `Retry-After`. 5xx
 * never carries internals; they are logged.
 */
export function oauth2ErrorAnswer(thrown: unknown, req: Request, config: HydrantConfig, logger: Logger): JsonAnswer {
  const error = toOAuth2Error(thrown);
  if (error.statusCode >= 500 && error.error === 'server_error') {
    requestLogger(req, logger).error({ err: thrown }, 'public request failed');
  }
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
  if (error.error === 'invalid_token') {
    // RFC 6750 §3.1: a request that carried no token gets the challenge without an error code.
    const carriedToken = /^Bearer\s+\S/i.test(req.headers.authorization ?? '');
    headers['WWW-Authenticate'] = carriedToken
      ? `Bearer realm="hydrant", error="invalid_token", error_description="${error.description.replace(/"/g, "'")}"`
      : 'Bearer realm="hydrant"';
  } else if (error.error === 'invalid_client' && error.statusCode === 401 && /^Basic\s/i.test(req.headers.authorization ?? '')) {
    headers['WWW-Authenticate'] = 'Basic realm="hydrant"';
  }
  // RFC 6585 §4: when to try again, where the refusing limit knows it.
  if (error instanceof RateLimitedError) headers['Retry-After'] = String(error.retryAfterSeconds);
  return {
    status: error.statusCode,
    headers,
    body: {
      error: error.error,
      error_description: error.fullDescription,
      ...(error.hint ? { error_hint: error.hint } : {}),
      ...(config.logLeakSensitiveValues && error.debug ? { error_debug: error.debug } : {}),
    },
  };
}

/** The public port's one exception filter: renders oauth2ErrorAnswer. */
@Catch()
export class OAuth2ExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly config: HydrantConfig,
    private readonly logger: Logger,
  ) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const answer = oauth2ErrorAnswer(thrown, host.switchToHttp().getRequest<Request>(), this.config, this.logger);
    if (res.headersSent) return;
    res.status(answer.status).set(answer.headers).json(answer.body);
  }
}

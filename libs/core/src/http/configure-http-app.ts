import { ExceptionFilter, INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { Errors } from '../errors';
import { HydrantRuntime } from '../runtime';
import { HydrantValidationPipe } from '../validation/validation.pipe';
import { formBodyParser } from './form-body';

/**
 * The deepest nesting a JSON body may have. Far more than any client document needs (Hydra's free-form
 * `metadata` included), yet far below the depth at which the recursive code downstream (class-transformer,
 * JSON Patch) exhausts the stack: a body nested thousands of levels deep within the size limit was a 500.
 */
const MAX_BODY_DEPTH = 256;

/** Whether a parsed body nests deeper than `max`; iterative, so that the check itself cannot overflow. */
function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

function refuseDeepBodies(req: Request, _res: Response, next: NextFunction): void {
  if (!nestsDeeperThan(req.body, MAX_BODY_DEPTH)) return next();
  next(Errors.invalidRequest().withHint(`The request body nests deeper than ${MAX_BODY_DEPTH} levels.`));
}

/**
 * A path or query that decodes to NUL (`%00`) is refused here, once for every route: PostgreSQL text cannot
 * hold NUL, so such a value used as an id or a filter was a 500 on that dialect, and no id, name or key
 * Hydrant stores has one.
 */
function refuseNulInUrl(req: Request, _res: Response, next: NextFunction): void {
  if (!/%00/i.test(req.url)) return next();
  next(Errors.invalidRequest().withHint('The request path or query holds a NUL character.'));
}

/**
 * What both listeners share: URLs without NUL, bounded JSON and form bodies (413 beyond SERVE_REQUEST_BODY_LIMIT, 400
 * beyond MAX_BODY_DEPTH levels of nesting), the global validation pipe, the app's one exception filter
 * (which also sees body-parser failures), and Express settings.
 */
export function configureHttpApp(app: NestExpressApplication, runtime: HydrantRuntime, filter: ExceptionFilter): INestApplication {
  const limit = runtime.config.serveRequestBodyLimit;
  app.disable('x-powered-by');
  app.set('trust proxy', runtime.config.serveTrustProxy);
  app.set('etag', false);
  app.use(refuseNulInUrl);
  app.useBodyParser('json', { limit, type: ['application/json', 'application/*+json'] });
  app.use(formBodyParser(limit));
  app.use(refuseDeepBodies);
  app.useGlobalPipes(new HydrantValidationPipe());
  app.useGlobalFilters(filter);
  return app;
}

import { ExceptionFilter, INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { HydrantRuntime } from '../runtime';
import { HydrantValidationPipe } from '../validation/validation.pipe';

/**
 * What both listeners share: bounded JSON and form bodies (413 beyond SERVE_REQUEST_BODY_LIMIT), the
 * global validation pipe, the app's one exception filter (which also sees body-parser failures), and
 * Express settings.
 */
export function configureHttpApp(app: NestExpressApplication, runtime: HydrantRuntime, filter: ExceptionFilter): INestApplication {
  const limit = runtime.config.serveRequestBodyLimit;
  app.disable('x-powered-by');
  app.set('trust proxy', runtime.config.serveTrustProxy);
  app.set('etag', false);
  app.useBodyParser('json', { limit, type: ['application/json', 'application/*+json'] });
  app.useBodyParser('urlencoded', { limit, extended: false });
  app.useGlobalPipes(new HydrantValidationPipe());
  app.useGlobalFilters(filter);
  return app;
}

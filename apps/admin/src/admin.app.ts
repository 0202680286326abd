import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import {
  configureHttpApp,
  createLogger,
  fastRoutes,
  HydrantExpressAdapter,
  httpMetrics,
  HydrantRuntime,
  IntrospectionService,
  NestPinoLogger,
  requestLog,
  serveOpenApiDocument,
  serveSwaggerUi,
} from '@hydrant/core';
import { AdminExceptionFilter, adminErrorAnswer } from './admin-exception.filter';
import { adminApiKeyCheck, adminApiKeys, adminPrefix, noStore } from './admin-request.middleware';
import { AdminModule } from './admin.module';
import { introspectionRoute } from './oauth2/introspection.route';
import { ADMIN_DOCS_PATH, ADMIN_OPENAPI_PATH, buildAdminOpenApiDocument } from './openapi/admin-openapi';

/** Builds the admin app (not yet listening). */
export async function createAdminApp(runtime: HydrantRuntime): Promise<NestExpressApplication> {
  const { config, logger } = runtime;
  const app = await NestFactory.create<NestExpressApplication>(AdminModule.forRuntime(runtime), new HydrantExpressAdapter(), {
    bodyParser: false,
    logger: new NestPinoLogger(logger.child({ app: 'admin' })),
  });
  const apiKeyCheck = adminApiKeyCheck(config.serveAdminApiKeys);
  // First: every request is logged, refused ones too.
  app.use(requestLog(createLogger({ level: config.logLevel, format: config.logFormat, redact: false }).child({ app: 'admin' })));
  app.use(adminPrefix); // first: the fast routes see legacy paths in their `/admin` form too
  app.use(
    fastRoutes([introspectionRoute(app.get(IntrospectionService), apiKeyCheck)], {
      app: 'admin',
      bodyLimit: config.serveRequestBodyLimit,
      renderError: (thrown, req) => adminErrorAnswer(thrown, config, logger, req),
    }),
  );
  app.use(httpMetrics('admin'));
  app.use(noStore);
  // Before the API-key check: the description of the API is no secret (the repository holds it), and a browser opening the UI sends no key.
  serveOpenApiDocument(app, ADMIN_OPENAPI_PATH, buildAdminOpenApiDocument);
  if (config.serveAdminDocsEnabled) serveSwaggerUi(app, ADMIN_DOCS_PATH, 'Hydrant admin API');
  app.use(adminApiKeys(apiKeyCheck));
  configureHttpApp(app, runtime, new AdminExceptionFilter(config, logger));
  return app;
}

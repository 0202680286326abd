import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import {
  configureHttpApp,
  createLogger,
  CorsPolicy,
  DeviceAuthorizationEndpoint,
  fastRoutes,
  HydrantExpressAdapter,
  httpMetrics,
  HydrantRuntime,
  IntrospectionService,
  NestPinoLogger,
  requestLog,
  RevocationService,
  serveOpenApiDocument,
  TokenEndpoint,
} from '@hydrant/core';
import { publicCors } from './cors.middleware';
import { oauth2ErrorAnswer, OAuth2ExceptionFilter } from './oauth2-exception.filter';
import { deviceAuthorizationRoute } from './oauth2/device-authorization.route';
import { introspectionRoute } from './oauth2/introspection.route';
import { revocationRoutes } from './oauth2/revocation.route';
import { tokenRoute } from './oauth2/token.route';
import { buildPublicOpenApiDocument, PUBLIC_OPENAPI_PATH } from './openapi/public-openapi';
import { PublicModule } from './public.module';

/** Builds the public app (not yet listening). */
export async function createPublicApp(runtime: HydrantRuntime): Promise<NestExpressApplication> {
  const { config, logger } = runtime;
  const app = await NestFactory.create<NestExpressApplication>(PublicModule.forRuntime(runtime), new HydrantExpressAdapter(), {
    bodyParser: false,
    logger: new NestPinoLogger(logger.child({ app: 'public' })),
  });
  const cors = app.get(CorsPolicy);
  // First: every request is logged, refused ones too.
  app.use(requestLog(createLogger({ level: config.logLevel, format: config.logFormat, redact: false }).child({ app: 'public' })));
  app.use(
    fastRoutes([
      tokenRoute(app.get(TokenEndpoint), cors),
      introspectionRoute(app.get(IntrospectionService)),
      ...revocationRoutes(app.get(RevocationService), cors),
      deviceAuthorizationRoute(app.get(DeviceAuthorizationEndpoint)),
    ], {
      app: 'public',
      bodyLimit: config.serveRequestBodyLimit,
      renderError: (thrown, req) => oauth2ErrorAnswer(thrown, req, config, logger),
    }),
  );
  app.use(httpMetrics('public'));
  serveOpenApiDocument(app, PUBLIC_OPENAPI_PATH, buildPublicOpenApiDocument);
  // Signs the flow's CSRF cookies and the login session cookie; every secret of the list still verifies.
  app.use(cookieParser(config.secretsCookie.length > 0 ? config.secretsCookie : config.secretsSystem));
  configureHttpApp(app, runtime, new OAuth2ExceptionFilter(config, logger));
  app.use(publicCors(cors)); // after the body parsers: it reads the form's client_id
  return app;
}

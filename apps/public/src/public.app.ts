import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { configureHttpApp, CorsPolicy, httpMetrics, HydrantRuntime, NestPinoLogger } from '@hydrant/core';
import { publicCors } from './cors.middleware';
import { OAuth2ExceptionFilter } from './oauth2-exception.filter';
import { PublicModule } from './public.module';

/** Builds the public app (not yet listening). */
export async function createPublicApp(runtime: HydrantRuntime): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(PublicModule.forRuntime(runtime), {
    bodyParser: false,
    logger: new NestPinoLogger(runtime.logger.child({ app: 'public' })),
  });
  app.use(httpMetrics('public'));
  // Signs the flow's CSRF cookies and the login session cookie; every secret of the list still verifies.
  const { secretsCookie, secretsSystem } = runtime.config;
  app.use(cookieParser(secretsCookie.length > 0 ? secretsCookie : secretsSystem));
  configureHttpApp(app, runtime, new OAuth2ExceptionFilter(runtime.config, runtime.logger));
  app.use(publicCors(app.get(CorsPolicy))); // after the body parsers: it reads the form's client_id
  return app;
}

import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { configureHttpApp, httpMetrics, HydrantRuntime, NestPinoLogger } from '@hydrant/core';
import { AdminExceptionFilter } from './admin-exception.filter';
import { adminApiKeys, adminPrefix, noStore } from './admin-request.middleware';
import { AdminModule } from './admin.module';

/** Builds the admin app (not yet listening). */
export async function createAdminApp(runtime: HydrantRuntime): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AdminModule.forRuntime(runtime), {
    bodyParser: false,
    logger: new NestPinoLogger(runtime.logger.child({ app: 'admin' })),
  });
  app.use(httpMetrics('admin'));
  app.use(adminPrefix);
  app.use(noStore);
  app.use(adminApiKeys(runtime.config.serveAdminApiKeys));
  configureHttpApp(app, runtime, new AdminExceptionFilter(runtime.config, runtime.logger));
  return app;
}

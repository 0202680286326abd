import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { closeRuntime, createLogger, HydrantRuntime, loadConfig, openRuntime } from '@hydrant/core';
import { createAdminApp } from '../../apps/admin/src/admin.app';
import { createPublicApp } from '../../apps/public/src/public.app';
import { freePort } from './built-cli';
import { LOOPBACK_TLS } from './loopback-server';
import { createPostgresDatabase } from './test-database';
import { assertLogsToTestFile, testLogLevel, withLogsToTestFile } from './test-log';

/** Which database the e2e suite runs on: `TEST_DSN=memory` (SQLite, the default) or `TEST_DSN=postgres`. */
export const TEST_DIALECT: 'sqlite' | 'postgres' = process.env.TEST_DSN === 'postgres' ? 'postgres' : 'sqlite';

export interface TestServer {
  runtime: HydrantRuntime;
  publicApp: NestExpressApplication;
  adminApp: NestExpressApplication;
  /** `supertest(server.public)` / `supertest(server.admin)` */
  public: ReturnType<NestExpressApplication['getHttpServer']>;
  admin: ReturnType<NestExpressApplication['getHttpServer']>;
  close: () => Promise<void>;
}

export interface TestServerOptions {
  listen?: boolean;
  issuerIsPublicUrl?: boolean;
  dev?: boolean;
}

/**
 * Starts both apps in this process on a fresh database of the suite's dialect (in-memory SQLite, or a
 * PostgreSQL database of its own that is dropped on close). `env` holds configuration keys to set.
 * With `listen: true` the apps listen on ephemeral loopback ports (for SDKs that need a URL); add
 * `issuerIsPublicUrl: true` to make the issuer that listening public URL, so that the URLs Hydrant hands
 * out (discovery, `redirect_to`, `iss`) are the ones a relying party or a browser can follow. `dev: true`
 * loads the configuration as `--dev` does (which only the command line sets otherwise).
 */
export async function startTestServer(env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  // The loggers of the runtime and of both apps are made inside: they log into the e2e run's log (test-log.ts).
  return withLogsToTestFile(() => startLoggingTestServer(env, options));
}

async function startLoggingTestServer(env: Record<string, string>, options: TestServerOptions): Promise<TestServer> {
  const pg = TEST_DIALECT === 'postgres' ? await createPostgresDatabase() : undefined;
  const publicPort = options.listen && options.issuerIsPublicUrl ? await freePort() : 0;
  const issuer = publicPort ? { URLS_SELF_ISSUER: `http://127.0.0.1:${publicPort}/` } : {};
  const config = loadConfig({
    env: { DSN: pg?.dsn ?? 'memory', SECRETS_SYSTEM: 'test-system-secret-0123456789', LOG_LEVEL: testLogLevel(), ...issuer, ...env },
    dev: options.dev,
  });
  const logger = createLogger({ level: config.logLevel, format: 'json' });
  assertLogsToTestFile(logger);
  // Outbound calls trust the loopback test certificate, so that tests can serve https documents (sector_identifier_uri).
  const runtime = await openRuntime(config, logger, { migrate: true, outboundCa: LOOPBACK_TLS.cert });
  const publicApp = await createPublicApp(runtime);
  const adminApp = await createAdminApp(runtime);
  if (options.listen) {
    await publicApp.listen(publicPort, '127.0.0.1');
    await adminApp.listen(0, '127.0.0.1');
  } else {
    await publicApp.init();
    await adminApp.init();
  }
  return {
    runtime,
    publicApp,
    adminApp,
    public: publicApp.getHttpServer(),
    admin: adminApp.getHttpServer(),
    close: async () => {
      await publicApp.close();
      await adminApp.close();
      await closeRuntime(runtime);
      await pg?.drop();
    },
  };
}

/** Two instances on one database, as behind a load balancer. */
export interface TwoInstances {
  /** The first instance, both apps. */
  server: TestServer;
  /** The second instance's public app (`supertest(second)`), with a runtime of its own. */
  second: TestServer['public'];
  close: () => Promise<void>;
}

/**
 * Starts a test server and a second public app with a runtime of its own on the same database, so that
 * whatever must hold across processes (a limit, a single use) can be tried from both. In-memory SQLite
 * cannot be shared, so on SQLite both open one file in a temporary directory.
 */
export async function startTwoInstances(env: Record<string, string>): Promise<TwoInstances> {
  const dir = TEST_DIALECT === 'sqlite' ? mkdtempSync(path.join(tmpdir(), 'hydrant-two-')) : undefined;
  const server = await startTestServer(dir ? { ...env, DSN: `sqlite://${path.join(dir, 'shared.sqlite')}` } : env);
  const config = loadConfig({ env: { DSN: server.runtime.config.dsn, SECRETS_SYSTEM: 'test-system-secret-0123456789', LOG_LEVEL: testLogLevel(), ...env } });
  const { runtime, app } = await withLogsToTestFile(async () => {
    const runtime = await openRuntime(config, createLogger({ level: config.logLevel, format: 'json' }), { migrate: false });
    const app = await createPublicApp(runtime);
    await app.init();
    return { runtime, app };
  });
  return {
    server,
    second: app.getHttpServer(),
    close: async () => {
      await app.close();
      await closeRuntime(runtime);
      await server.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The base URL of a listening app, e.g. `http://127.0.0.1:41234`. */
export async function baseUrl(app: NestExpressApplication): Promise<string> {
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

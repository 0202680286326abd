import cluster from 'node:cluster';
import { INestApplication } from '@nestjs/common';
import { createAdminApp } from '../../admin/src/admin.app';
import { createPublicApp } from '../../public/src/public.app';
import {
  availableCpus,
  closeRuntime,
  configWarnings,
  createLogger,
  HydrantConfig,
  HydrantExpressAdapter,
  HydrantRuntime,
  joinClusterMetrics,
  loadConfig,
  Logger,
  openJanitor,
  openRuntime,
  parseDsn,
  requireSystemSecrets,
  serveClusterMetrics,
  startTracing,
  TracingSettings,
  tracingSettings,
} from '@hydrant/core';
import { JanitorSchedule } from './janitor.schedule';

export type ServeTarget = 'all' | 'public' | 'admin';

/**
 * glibc's allocator settings for the workers, where the environment sets none. By default each thread
 * that allocates (sqlite3's thread pool, V8's helpers) gets an arena of its own, and freed memory is
 * handed back to the system only in large steps: under load a worker's RSS grew to about 205 MB. Two
 * arenas and a 64 KiB trim threshold kept it near 135 MB at the same CPU per request (`npm run bench`).
 */
const WORKER_MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '65536' };

/** What a worker tells the primary once all its listeners are up. */
const READY_MESSAGE = 'hydrant:ready';

/**
 * On shutdown, how long an idle kept-alive connection stays open for a request already on its way, which
 * is then answered (with `Connection: close`) instead of reset; long enough for a client in the middle of
 * a sequence of requests, short enough not to hold the shutdown.
 */
const IDLE_CONNECTION_LINGER_MS = 1000;

export interface ServeOptions {
  dev?: boolean;
  config?: string;
  workers?: number;
}

/**
 * How many processes serve: one per CPU this process may use (its affinity mask, capped by a cgroup v2 CPU
 * quota) unless told; always one for an in-memory database, which cannot be shared.
 */
export function workerCount(config: HydrantConfig, requested?: number): number {
  const dsn = parseDsn(config.dsn);
  if (dsn.dialect === 'sqlite' && dsn.inMemory) return 1;
  return requested ?? availableCpus();
}

/**
 * `hydrant serve all|public|admin`. With several workers the primary process applies migrations once,
 * then forks workers that share the listeners (node:cluster) and keep no state of their own that another
 * worker needs. The janitor (JANITOR_INTERVAL) runs in the primary, or in the only process: once per
 * instance. SIGTERM and SIGINT stop the listeners, finish the requests in flight without losing one on a
 * kept-alive connection, then close the database; the primary sends SIGTERM to each worker.
 */
export async function serveCommand(target: ServeTarget, options: ServeOptions): Promise<void> {
  const config = loadConfig({ file: options.config, dev: options.dev });
  requireSystemSecrets(config);
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const workers = workerCount(config, options.workers);
  // Read before any worker starts, so that a tracing setting Hydrant cannot honour stops the start once.
  const tracing = tracingSettings(config);
  // Once per instance: workers load the same configuration.
  if (cluster.isPrimary) {
    for (const warning of configWarnings({ file: options.config })) logger.warn(warning);
    if (tracing) logger.info({ exporters: tracing.exporters, protocol: tracing.protocol }, 'tracing is on');
  }

  if (workers > 1 && cluster.isPrimary) {
    await runPrimary(config, logger, workers);
    return;
  }
  await runServer(target, config, logger, { migrate: workers === 1 && config.dbMigrateOnStart, janitor: workers === 1, tracing });
}

/** The janitor of this instance on `runtime`'s database, or none when JANITOR_INTERVAL is 0. */
function startJanitor(config: HydrantConfig, runtime: HydrantRuntime, logger: Logger): JanitorSchedule | undefined {
  if (config.janitorInterval <= 0) return undefined;
  return new JanitorSchedule(openJanitor(runtime.stores, runtime.transactions), config.janitorInterval, logger).start();
}

async function runPrimary(config: HydrantConfig, logger: Logger, workers: number): Promise<void> {
  // Migrations and the generated system secret are settled once, before any worker starts; the connection
  // stays open for the janitor, if it runs.
  const runtime = await openRuntime(config, logger, { migrate: config.dbMigrateOnStart });
  const janitor = startJanitor(config, runtime, logger);
  if (!janitor) await closeRuntime(runtime);
  let stopping = false;
  const ready = new Set<number>();
  const workerEnv = Object.fromEntries(Object.entries(WORKER_MALLOC_ENV).filter(([key]) => process.env[key] === undefined));
  const fork = () => cluster.fork(workerEnv);
  serveClusterMetrics(logger);
  cluster.on('message', (worker, message) => {
    if (message === READY_MESSAGE) ready.add(worker.id);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!ready.has(worker.id)) {
      // It died before it could serve (a taken port, an unreachable database): restarting would loop forever.
      logger.fatal({ worker: worker.process.pid, code, signal }, 'a worker failed to start; stopping');
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exitCode = 1;
      void finish();
      return;
    }
    logger.error({ worker: worker.process.pid, code, signal }, 'worker exited; starting a new one');
    setTimeout(fork, 1000);
  });
  for (let i = 0; i < workers; i++) fork();
  logger.info({ workers }, 'started workers');

  /** Once every worker is gone and the janitor's run (if one is under way) has ended, exits. */
  async function finish(): Promise<void> {
    const janitorStopped = janitor?.stop();
    while (Object.keys(cluster.workers ?? {}).length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    if (janitor) {
      await janitorStopped;
      await closeRuntime(runtime);
    }
    process.exit(process.exitCode ?? 0);
  }

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping workers');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    void finish();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

interface ServerOptions {
  migrate: boolean;
  janitor: boolean;
  /** Each serving process starts its own SDK (the primary of a cluster serves nothing, and traces nothing). */
  tracing?: TracingSettings;
}

async function runServer(target: ServeTarget, config: HydrantConfig, logger: Logger, options: ServerOptions): Promise<void> {
  // Before the apps are built: their request middleware is wrapped in spans only if tracing is on by then.
  const tracing = options.tracing ? await startTracing(options.tracing, logger) : undefined;
  const runtime = await openRuntime(config, logger, { migrate: options.migrate });
  joinClusterMetrics();
  const apps: INestApplication[] = [];
  if (target === 'all' || target === 'public') {
    const app = await createPublicApp(runtime);
    await app.listen(config.servePublicPort, config.servePublicHost);
    logger.info({ url: await app.getUrl() }, 'public API listening');
    apps.push(app);
  }
  if (target === 'all' || target === 'admin') {
    const app = await createAdminApp(runtime);
    await app.listen(config.serveAdminPort, config.serveAdminHost);
    logger.info({ url: await app.getUrl() }, 'admin API listening');
    apps.push(app);
  }

  process.send?.(READY_MESSAGE);
  const janitor = options.janitor ? startJanitor(config, runtime, logger) : undefined;

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const janitorStopped = janitor?.stop();
    // Stops accepting at once; answers in flight say `Connection: close`, and idle kept-alive connections
    // are closed without resetting a request on its way (connection-drainer.ts).
    await Promise.all(apps.map((app) => drain(app)));
    await Promise.all(apps.map((app) => app.close()));
    await janitorStopped;
    await closeRuntime(runtime);
    await tracing?.shutdown(); // exports the spans of the last requests
    logger.info('stopped');
    logger.flush?.();
    process.exit(0);
  };
  process.on('SIGTERM', (s) => void stop(s));
  process.on('SIGINT', (s) => void stop(s));
}

/** Drains an app's connections; every app is built on HydrantExpressAdapter, and any other is only closed. */
function drain(app: INestApplication): Promise<void> {
  const adapter = app.getHttpAdapter();
  return adapter instanceof HydrantExpressAdapter ? adapter.drain(IDLE_CONNECTION_LINGER_MS) : Promise.resolve();
}

import { closeRuntime, createLogger, loadConfig, openRuntime, Janitor } from '@hydrant/core';

/** `hydrant janitor`: deletes expired and revoked tokens, codes, abandoned flows, ended sessions and expired assertion jtis, as POST /admin/oauth2/flush does. */
export async function janitorCommand(options: { config?: string; notAfter?: string }): Promise<void> {
  const notAfter = options.notAfter ? new Date(options.notAfter) : new Date();
  if (Number.isNaN(notAfter.getTime())) throw new Error(`--not-after: "${options.notAfter}" is not a date (use RFC 3339, e.g. 2026-01-31T00:00:00Z)`);
  const config = loadConfig({ file: options.config });
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const runtime = await openRuntime(config, logger, { migrate: false });
  try {
    const deleted = await new Janitor(runtime.stores).flush(notAfter);
    logger.info({ deleted, notAfter: notAfter.toISOString() }, 'flushed what can no longer be used');
  } finally {
    await closeRuntime(runtime);
  }
}

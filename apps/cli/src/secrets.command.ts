import { createDataSource, createLogger, loadConfig, migrateOffGeneratedSecret } from '@hydrant/core';

/**
 * `hydrant secrets migrate`: re-encrypts every private key under SECRETS_SYSTEM and deletes the system
 * secret Hydrant generated and stored when it ran without one (`--dev`).
 */
export async function secretsCommand(action: 'migrate', options: { config?: string }): Promise<void> {
  const config = loadConfig({ file: options.config });
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    const moved = await migrateOffGeneratedSecret(dataSource, config.secretsSystem);
    if (moved === null) logger.info('no generated system secret is stored: nothing to migrate');
    else logger.info({ keys: moved.keys }, 'keys re-encrypted under SECRETS_SYSTEM; the generated system secret is deleted');
  } finally {
    await dataSource.destroy();
  }
}

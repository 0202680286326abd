import { createDataSource, createLogger, loadConfig, migrateUp, migrationStatus } from '@hydrant/core';

export async function migrateCommand(action: 'up' | 'status', options: { config?: string }): Promise<void> {
  const config = loadConfig({ file: options.config });
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    if (action === 'up') {
      const applied = await migrateUp(dataSource);
      logger.info({ migrations: applied }, applied.length ? 'applied migrations' : 'the database is up to date');
    } else {
      for (const m of await migrationStatus(dataSource)) console.log(`${m.applied ? 'applied' : 'pending'}\t${m.name}`);
    }
  } finally {
    await dataSource.destroy();
  }
}

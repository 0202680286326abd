import { Command } from 'commander';
import { createDataSource, createLogger, loadConfig, migrateOffGeneratedSecret, rotateSystemSecret, UndecryptableKeyError } from '@hydrant/core';

export type SecretsAction = 'migrate' | 'rotate';

/**
 * `hydrant secrets migrate`: re-encrypts every private key under SECRETS_SYSTEM and deletes the system
 * secret Hydrant generated and stored when it ran without one (`--dev`).
 * `hydrant secrets rotate`: with SECRETS_SYSTEM=NEW,OLD, re-encrypts every private key under NEW, so that
 * OLD can leave the list later; all keys or none (system-secret-rotation.ts).
 */
export async function secretsCommand(action: SecretsAction, options: { config?: string }): Promise<void> {
  const config = loadConfig({ file: options.config });
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    if (action === 'rotate') {
      const rotated = await rotateSystemSecret(dataSource, config.secretsSystem);
      logger.info(rotated, 'keys re-encrypted under the first entry of SECRETS_SYSTEM');
      return;
    }
    const moved = await migrateOffGeneratedSecret(dataSource, config.secretsSystem);
    if (moved === null) logger.info('no generated system secret is stored: nothing to migrate');
    else logger.info({ keys: moved.keys }, 'keys re-encrypted under SECRETS_SYSTEM; the generated system secret is deleted');
  } catch (e) {
    if (!(e instanceof UndecryptableKeyError)) throw e;
    console.error(`hydrant secrets rotate: ${e.message}`);
    process.exitCode = 1;
  } finally {
    await dataSource.destroy();
  }
}

export function createSecretsCommand(): Command {
  return new Command('secrets')
    .description('migrate: move the keys off the generated system secret; rotate: re-encrypt the keys under the first entry of SECRETS_SYSTEM')
    .addArgument(new Command().createArgument('<action>', 'migrate or rotate').choices(['migrate', 'rotate']))
    .option('-c, --config <file>', 'YAML or JSON configuration file (the environment overrides it)')
    .action((action: SecretsAction, options: { config?: string }) => secretsCommand(action, options));
}

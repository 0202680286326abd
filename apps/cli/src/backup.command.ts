import { Command } from 'commander';
import { BackupRefusedError, backupSqlite, createLogger, loadConfig } from '@hydrant/core';

/**
 * `hydrant backup FILE`: a consistent copy of the SQLite database, safe while servers run (sqlite-backup.ts).
 * A refusal (PostgreSQL, FILE exists, no database) is one line on stderr and exit 1, without a stack.
 */
export async function backup(file: string, options: { config?: string }): Promise<void> {
  const config = loadConfig({ file: options.config });
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  try {
    logger.info(await backupSqlite(config.dsn, file, { busyTimeoutMs: config.dbBusyTimeout }), 'backed up the SQLite database');
  } catch (e) {
    if (!(e instanceof BackupRefusedError)) throw e;
    console.error(`hydrant backup: ${e.message}`);
    process.exitCode = 1;
  }
}

export function createBackupCommand(): Command {
  return new Command('backup')
    .description('copy the SQLite database to FILE while servers run, never overwriting FILE (PostgreSQL: use pg_dump)')
    .argument('<file>', 'where the copy goes; it must not exist')
    .option('-c, --config <file>', 'YAML or JSON configuration file (the environment overrides it)')
    .action((file: string, options: { config?: string }) => backup(file, options));
}

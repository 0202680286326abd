import { Command } from 'commander';
import { createDataSource, createLogger, loadConfig, migrateUp, migrationStatus } from '@hydrant/core';
import { CliError } from './remote/cli.error';

interface MigrateFlags {
  config?: string;
  readFromEnv?: boolean;
  yes?: boolean;
}

async function migrate(action: 'up' | 'status', dsn: string | undefined, flags: MigrateFlags): Promise<void> {
  const config = loadConfig({ file: flags.config, env: dsn === undefined ? process.env : { ...process.env, DSN: dsn } });
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

function withDatabaseFlags(command: Command): Command {
  return command
    .option('-c, --config <file>', 'YAML or JSON configuration file (the environment overrides it)')
    .option('-e, --read-from-env', 'read the database from the DSN environment variable (the default without a DSN argument)')
    .option('-y, --yes', 'do not ask before applying (Hydrant never asks)');
}

/** One action of `hydrant migrate sql`, which takes the database as Hydra does: an argument, -e or -c. */
function sqlAction(action: 'up' | 'status'): Command {
  return withDatabaseFlags(new Command(action))
    .description(action === 'up' ? 'apply pending migrations' : 'list applied and pending migrations')
    .argument('[dsn]', 'the database (DSN); default: the DSN environment variable')
    .action((dsn: string | undefined, flags: MigrateFlags) => {
      // As Hydra: the database is named, never found by default (a typo must not migrate ./data).
      if (dsn === undefined && !flags.readFromEnv && flags.config === undefined) throw new CliError(`migrate sql ${action}: give the DSN as an argument, or -e/--read-from-env, or -c/--config`);
      return migrate(action, dsn, flags);
    });
}

/**
 * `hydrant migrate up|status`, and Hydra's spelling `hydrant migrate sql [up|status] [DSN]` (`migrate sql
 * DSN` alone applies, as Hydra's did before it had subcommands).
 */
export function migrateCommand(): Command {
  const command = new Command('migrate').description('apply (up) or list (status) database migrations');
  for (const action of ['up', 'status'] as const) {
    command.addCommand(
      withDatabaseFlags(new Command(action))
        .description(action === 'up' ? 'apply pending migrations (under a PostgreSQL advisory lock)' : 'list applied and pending migrations')
        .action((flags: MigrateFlags) => migrate(action, undefined, flags)),
    );
  }
  // No flags of its own: commander would hand -c/-e to `sql` rather than to `sql up`/`sql status`.
  const sql = new Command('sql')
    .description("Hydra's spelling: migrate sql up|status [DSN]")
    .argument('[dsn]', 'the database (DSN): the same as `migrate sql up DSN`')
    .action((dsn: string | undefined) => {
      if (dsn === undefined) throw new CliError('migrate sql: give up or status, or a DSN to apply migrations to');
      return migrate('up', dsn, {});
    });
  sql.addCommand(sqlAction('up'));
  sql.addCommand(sqlAction('status'));
  return command.addCommand(sql);
}

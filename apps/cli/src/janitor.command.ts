import { Command, InvalidArgumentError } from 'commander';
import { createDataSource, JanitorKind, loadConfig, migrationStatus, openJanitor, openStores, parseDuration, TransactionRunner } from '@hydrant/core';
import { CliError } from './remote/cli.error';

interface JanitorFlags {
  readFromEnv?: boolean;
  config?: string;
  tokens?: boolean;
  requests?: boolean;
  grants?: boolean;
  keepIfYounger: number;
  batchSize: number;
  limit: number;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be a whole number');
  return n;
}

function duration(value: string): number {
  try {
    return parseDuration(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/**
 * `hydrant janitor [DSN]` with Hydra's flags: deletes what can no longer be used of the groups asked for
 * (--tokens: tokens, codes, assertion jtis, personal access tokens; --requests: login, consent, logout and
 * device requests, ended login sessions, rate-limit windows; --grants: expired JWT bearer trusts), keeping
 * what became unusable within --keep-if-younger. Prints one JSON line of counts.
 */
export function janitorCommand(): Command {
  return new Command('janitor')
    .description('delete expired and revoked tokens, abandoned requests and expired trust grants from the database')
    .argument('[dsn]', 'the database (DSN); or use -e or -c')
    .option('-e, --read-from-env', 'read the database and settings from the environment (DSN, …)')
    .option('-c, --config <file>', 'YAML or JSON configuration file (the environment overrides it)')
    .option('--tokens', 'delete inactive tokens, expired codes, assertion jtis and personal access tokens')
    .option('--requests', 'delete abandoned login, consent, logout and device requests, ended sessions and rate-limit windows')
    .option('--grants', 'delete expired trust relationships of the JWT bearer grant')
    .option('--keep-if-younger <duration>', 'keep what became unusable within this time, e.g. 24h', duration, 0)
    .option('--batch-size <n>', 'rows deleted per statement', count, 100)
    .option('--limit <n>', 'rows of each kind deleted at most', count, 10000)
    .action(async (dsn: string | undefined, flags: JanitorFlags) => {
      if (dsn === undefined && !flags.readFromEnv && flags.config === undefined) {
        throw new CliError('a DSN is required as an argument unless -e/--read-from-env or -c/--config is given');
      }
      const kinds = (['tokens', 'requests', 'grants'] as JanitorKind[]).filter((kind) => flags[kind]);
      if (kinds.length === 0) throw new CliError('janitor requires at least one of --tokens, --requests or --grants');
      if (flags.limit <= 0 || flags.batchSize <= 0) throw new CliError('values for --limit and --batch-size should both be greater than 0');
      if (flags.batchSize > flags.limit) throw new CliError('the value for --batch-size must not be greater than the value for --limit');

      const config = loadConfig({ file: flags.config, env: dsn === undefined ? process.env : { ...process.env, DSN: dsn } });
      const dataSource = createDataSource(config);
      await dataSource.initialize();
      try {
        // Deleting from a database without Hydrant's tables would fail on the first statement.
        const pending = (await migrationStatus(dataSource)).filter((m) => !m.applied);
        if (pending.length) throw new CliError(`the database has ${pending.length} pending migrations: run hydrant migrate up first`);
        const notAfter = new Date(Date.now() - flags.keepIfYounger);
        const deleted = await openJanitor(openStores(dataSource), new TransactionRunner(dataSource)).run({ notAfter, kinds, batchSize: flags.batchSize, limit: flags.limit });
        process.stdout.write(`${JSON.stringify({ deleted, not_after: notAfter.toISOString() })}\n`);
      } finally {
        await dataSource.destroy();
      }
    });
}

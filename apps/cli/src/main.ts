import 'reflect-metadata';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, HYDRANT_VERSION, renderConfigExample, renderConfigReference } from '@hydrant/core';
import { janitorCommand } from './janitor.command';
import { migrateCommand } from './migrate.command';
import { secretsCommand } from './secrets.command';
import { serveCommand, ServeTarget } from './serve.command';

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

/** `hydrant`: the one command line of Hydrant. */
export function buildProgram(): Command {
  const program = new Command('hydrant')
    .description('An OAuth 2.1 and OpenID Connect server compatible with Ory Hydra')
    .showHelpAfterError();

  program
    .command('serve')
    .description('serve the public API (4444), the admin API (4445), or both')
    .addArgument(new Command().createArgument('<target>', 'all, public or admin').choices(['all', 'public', 'admin']))
    .option('--dev', 'development mode: allows a plain-http issuer on any host', false)
    .option('-c, --config <file>', 'YAML or JSON configuration file (the environment overrides it)')
    .addOption(new Option('--workers <n>', 'worker processes sharing the listeners (default: CPUs; 1 with DSN=memory)').argParser(positiveInteger))
    .action((target: ServeTarget, options) => serveCommand(target, options));

  program
    .command('migrate')
    .description('apply (up) or list (status) database migrations')
    .addArgument(new Command().createArgument('<action>', 'up or status').choices(['up', 'status']))
    .option('-c, --config <file>', 'YAML or JSON configuration file (the environment overrides it)')
    .action((action: 'up' | 'status', options) => migrateCommand(action, options));

  program
    .command('janitor')
    .description('delete tokens that expired or were revoked, and expired client assertion jtis')
    .option('-c, --config <file>', 'YAML or JSON configuration file (the environment overrides it)')
    .option('--not-after <time>', 'keep what stopped being usable after this RFC 3339 time (default: now)')
    .action((options) => janitorCommand(options));

  program
    .command('secrets')
    .description('migrate: re-encrypt the keys under SECRETS_SYSTEM and delete the generated system secret')
    .addArgument(new Command().createArgument('<action>', 'migrate').choices(['migrate']))
    .option('-c, --config <file>', 'YAML or JSON configuration file (the environment overrides it)')
    .action((action: 'migrate', options) => secretsCommand(action, options));

  program
    .command('config')
    .description('print the configuration reference as Markdown (reference), or every key with its default as a YAML file (example)')
    .addArgument(new Command().createArgument('<what>', 'reference or example').choices(['reference', 'example']))
    .action((what: 'reference' | 'example') => {
      process.stdout.write(what === 'example' ? renderConfigExample() : `${renderConfigReference()}\n`);
    });

  program
    .command('version')
    .description('print the version')
    .action(() => console.log(HYDRANT_VERSION));

  return program;
}

if (require.main === module || process.env.HYDRANT_CLI === '1') {
  buildProgram()
    .parseAsync(process.argv)
    .catch((e: unknown) => {
      console.error(e instanceof ConfigError ? e.message : `hydrant: ${(e as Error).stack ?? e}`);
      process.exit(1);
    });
}

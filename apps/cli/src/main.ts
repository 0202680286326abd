import 'reflect-metadata';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, HYDRANT_VERSION, renderConfigExample, renderConfigReference } from '@hydrant/core';
import { normalizeBooleanFlags } from './commands/clients/client.flags';
import { createBackupCommand } from './backup.command';
import { janitorCommand } from './janitor.command';
import { migrateCommand } from './migrate.command';
import { CliError } from './remote/cli.error';
import { addRemoteCommands } from './remote-commands';
import { createSecretsCommand } from './secrets.command';
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

  program.addCommand(migrateCommand());
  program.addCommand(janitorCommand());

  program.addCommand(createSecretsCommand());
  program.addCommand(createBackupCommand());

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

  addRemoteCommands(program);
  return program;
}

/** One line for a failure: the reason, never a stack trace (HYDRANT_DEBUG=1 adds it for bug reports). */
function describeFailure(e: unknown): string {
  if (e instanceof ConfigError) return e.message;
  if (e instanceof CliError) return `hydrant: ${e.message}`;
  const error = e instanceof Error ? e : new Error(String(e));
  return `hydrant: ${error.message}${process.env.HYDRANT_DEBUG === '1' && error.stack ? `\n${error.stack}` : ''}`;
}

if (require.main === module || process.env.HYDRANT_CLI === '1') {
  buildProgram()
    .parseAsync(normalizeBooleanFlags(process.argv))
    .catch((e: unknown) => {
      process.stderr.write(`${describeFailure(e)}\n`);
      process.exit(e instanceof CliError ? e.exitCode : 1);
    });
}

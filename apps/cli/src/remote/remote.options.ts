import { Command, Option } from 'commander';
import { ApiClient } from './api.client';
import { CliError } from './cli.error';
import { Output, OutputFormat } from './output';

/** The flags every command that calls the API shares, as Hydra's CLI names them. */
export interface RemoteFlags {
  endpoint?: string;
  httpHeader?: string[];
  format: OutputFormat;
  skipTlsVerify?: boolean;
  quiet?: boolean;
}

/** Collects a repeatable flag. */
export function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Collects a repeatable flag whose values may also be comma separated (cobra's StringSlice). */
export function commaList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter((v) => v.length > 0)];
}

/** Adds -e/--endpoint, -H/--http-header, --format, --skip-tls-verify and -q to a command. */
export function withRemoteFlags(command: Command, api: 'admin' | 'public'): Command {
  return command
    .option('-e, --endpoint <url>', `the ${api} API's URL (default: the ORY_SDK_URL environment variable)`)
    .option('-H, --http-header <header>', "a header to send, as 'Name: value' (repeatable), e.g. -H 'Authorization: Bearer KEY'", repeatable)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'json-pretty']).default('table'))
    .option('--skip-tls-verify', 'do not verify the endpoint\'s TLS certificate (for development only)', false)
    .option('-q, --quiet', 'print only identifiers', false);
}

function parseHeaders(lines: string[] = []): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new CliError(`--http-header: "${line.split(':')[0]}" is not a header; use 'Name: value'`);
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** The API client and the output that a remote command's flags ask for. */
export function remote(flags: RemoteFlags): { api: ApiClient; output: Output } {
  const endpoint = flags.endpoint ?? process.env.ORY_SDK_URL;
  if (!endpoint) throw new CliError('no endpoint: pass --endpoint URL or set ORY_SDK_URL');
  const api = new ApiClient({ endpoint, headers: parseHeaders(flags.httpHeader), skipTlsVerify: flags.skipTlsVerify });
  return { api, output: new Output(flags.format, flags.quiet ?? false) };
}

import { Command } from 'commander';
import { CliError } from '../../remote/cli.error';

export interface ClientCredentialFlags {
  clientId?: string;
  clientSecret?: string;
}

/** --client-id and --client-secret, defaulting to OAUTH2_CLIENT_ID and OAUTH2_CLIENT_SECRET as in Hydra. */
export function withClientCredentialFlags(command: Command, secretRequired = true): Command {
  return command
    .option('--client-id <id>', 'the OAuth 2.0 client id (default: the OAUTH2_CLIENT_ID environment variable)')
    .option('--client-secret <secret>', `the client's secret (default: the OAUTH2_CLIENT_SECRET environment variable)${secretRequired ? '' : '; none for a public client'}`);
}

/** The client's id and secret from the flags or the environment. */
export function clientIdAndSecret(flags: ClientCredentialFlags, secretRequired = true): { id: string; secret?: string } {
  const id = flags.clientId ?? process.env.OAUTH2_CLIENT_ID;
  const secret = flags.clientSecret ?? process.env.OAUTH2_CLIENT_SECRET;
  if (!id || (secretRequired && !secret)) {
    throw new CliError(`give the client's ${secretRequired ? 'id and secret with --client-id and --client-secret' : 'id with --client-id'}, or the environment variables OAUTH2_CLIENT_ID${secretRequired ? ' and OAUTH2_CLIENT_SECRET' : ''}`);
  }
  return { id, secret: secret || undefined };
}

/** The client_secret_basic Authorization header (RFC 6749 section 2.3.1: both parts form-encoded). */
export function basicAuthorization(id: string, secret: string): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

/** The Authorization header of a confidential client. */
export function clientCredentials(flags: ClientCredentialFlags): string {
  const { id, secret } = clientIdAndSecret(flags);
  return basicAuthorization(id, secret!);
}

import { Command } from 'commander';
import { readJson } from '../../remote/read-input';
import { remote, RemoteFlags, withRemoteFlags } from '../../remote/remote.options';
import { CliError } from '../../remote/cli.error';
import { clientFieldsFromFlags, unusableResponseTypes, withClientFlags } from './client.flags';
import { ClientDocument, printClient } from './client.output';

/** `hydrant create oauth2-client`: POST /admin/clients; prints the client with its secret. */
export function createClientCommand(): Command {
  const command = new Command('oauth2-client')
    .alias('client')
    .description('create an OAuth 2.0 client (its secret is printed once)')
    .action(async (flags: RemoteFlags & { file?: string }, self: Command) => {
      const { api, output } = remote(flags);
      const fromFile = flags.file === undefined ? {} : readJson(flags.file);
      if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) throw new CliError(`--file: ${flags.file} must hold one JSON object`);
      const fields = clientFieldsFromFlags(self);
      const responseTypes = fields.response_types as string[] | undefined;
      const grantTypes = (fields.grant_types ?? (fromFile as { grant_types?: unknown }).grant_types ?? ['authorization_code']) as string[];
      const unusable = responseTypes && Array.isArray(grantTypes) ? unusableResponseTypes(responseTypes, grantTypes) : [];
      if (unusable.length) {
        fields.response_types = responseTypes!.filter((r) => !unusable.includes(r));
        process.stderr.write(`hydrant: left out response type ${unusable.map((r) => `"${r}"`).join(', ')}: the client's grant types cannot use it\n`);
      }
      const body = { ...fromFile, ...fields };
      const { body: client } = await api.request({ method: 'POST', path: '/admin/clients', json: body });
      printClient(output, client as ClientDocument);
    });
  return withRemoteFlags(withClientFlags(command), 'admin');
}

import { Command } from 'commander';
import { CliError } from '../../remote/cli.error';
import { readJson } from '../../remote/read-input';
import { remote, RemoteFlags, withRemoteFlags } from '../../remote/remote.options';
import { clientFieldsFromFlags, withClientFlags } from './client.flags';
import { ClientDocument, printClient } from './client.output';

/**
 * `hydrant update oauth2-client ID`: the flags given become a JSON Patch (RFC 6902) of only those fields;
 * `--file` replaces the whole client (PUT), with the flags given beside it overriding the file's fields.
 */
export function updateClientCommand(): Command {
  const command = new Command('oauth2-client')
    .alias('client')
    .description('change an OAuth 2.0 client: the fields given by flags, or the whole client from --file')
    .argument('<id>', 'the client id')
    .action(async (id: string, flags: RemoteFlags & { file?: string }, self: Command) => {
      const { api, output } = remote(flags);
      const fields = clientFieldsFromFlags(self);
      const path = `/admin/clients/${encodeURIComponent(id)}`;
      let client: unknown;
      if (flags.file !== undefined) {
        const fromFile = readJson(flags.file);
        if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) throw new CliError(`--file: ${flags.file} must hold one JSON object`);
        client = (await api.request({ method: 'PUT', path, json: { ...fromFile, ...fields, client_id: id } })).body;
      } else {
        if (Object.keys(fields).length === 0) throw new CliError('nothing to update: give the fields to change as flags, or the whole client with --file');
        const patch = Object.entries(fields).map(([field, value]) => ({ op: 'add', path: `/${field}`, value }));
        client = (await api.request({ method: 'PATCH', path, json: patch })).body;
      }
      printClient(output, client as ClientDocument);
    });
  return withRemoteFlags(withClientFlags(command), 'admin');
}

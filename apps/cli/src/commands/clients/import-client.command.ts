import { Command } from 'commander';
import { CliError } from '../../remote/cli.error';
import { readJson } from '../../remote/read-input';
import { remote, RemoteFlags, withRemoteFlags } from '../../remote/remote.options';
import { ClientDocument, printClients } from './client.output';

/** The clients in one input: a JSON array of clients (or one client object). */
function clientsIn(source: string): Record<string, unknown>[] {
  const document = readJson(source);
  const clients = Array.isArray(document) ? document : [document];
  for (const client of clients) {
    if (typeof client !== 'object' || client === null || Array.isArray(client)) throw new CliError(`${source === '-' ? 'stdin' : source}: expected a JSON array of client objects`);
  }
  return clients as Record<string, unknown>[];
}

/**
 * `hydrant import oauth2-client [FILE…]`: creates the clients of JSON arrays read from files, or from stdin
 * when no file is given. Every file is read and parsed before the first client is created.
 */
export function importClientCommand(): Command {
  const command = new Command('oauth2-client')
    .aliases(['client', 'clients', 'oauth2-clients'])
    .description('create the OAuth 2.0 clients of JSON files (arrays of clients), or of stdin')
    .argument('[file...]', 'JSON files; stdin when none is given')
    .action(async (files: string[], flags: RemoteFlags) => {
      const { api, output } = remote(flags);
      const inputs = (files.length ? files : ['-']).flatMap(clientsIn);
      const created: ClientDocument[] = [];
      const failures: string[] = [];
      for (const input of inputs) {
        try {
          created.push((await api.request({ method: 'POST', path: '/admin/clients', json: input })).body as ClientDocument);
        } catch (e) {
          if (!(e instanceof CliError)) throw e;
          failures.push(`${typeof input.client_id === 'string' ? input.client_id : `client ${created.length + failures.length + 1}`}: ${e.message}`);
        }
      }
      if (created.length) printClients(output, created);
      if (failures.length) throw new CliError(`could not import ${failures.length} of ${inputs.length} clients: ${failures.join('; ')}`);
    });
  return withRemoteFlags(command, 'admin');
}

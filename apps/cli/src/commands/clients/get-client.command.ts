import { Command } from 'commander';
import { remote, RemoteFlags, withRemoteFlags } from '../../remote/remote.options';
import { ClientDocument, printClient, printClients } from './client.output';

/** `hydrant get oauth2-client ID…`: one id prints an object, several an array. */
export function getClientCommand(): Command {
  const command = new Command('oauth2-client')
    .aliases(['client', 'clients', 'oauth2-clients'])
    .description('print one or more OAuth 2.0 clients (never their secrets)')
    .argument('<id...>', 'client ids')
    .action(async (ids: string[], flags: RemoteFlags) => {
      const { api, output } = remote(flags);
      const clients: ClientDocument[] = [];
      for (const id of ids) clients.push((await api.request({ path: `/admin/clients/${encodeURIComponent(id)}` })).body as ClientDocument);
      if (clients.length === 1) printClient(output, clients[0]);
      else printClients(output, clients);
    });
  return withRemoteFlags(command, 'admin');
}

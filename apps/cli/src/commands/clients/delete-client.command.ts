import { Command } from 'commander';
import { CliError } from '../../remote/cli.error';
import { remote, RemoteFlags, withRemoteFlags } from '../../remote/remote.options';

/** `hydrant delete oauth2-client ID…`: prints the ids deleted; any failure is reported and exits 1. */
export function deleteClientCommand(): Command {
  const command = new Command('oauth2-client')
    .aliases(['client', 'clients', 'oauth2-clients'])
    .description('delete OAuth 2.0 clients (and revoke their tokens and consents)')
    .argument('<id...>', 'client ids')
    .action(async (ids: string[], flags: RemoteFlags) => {
      const { api, output } = remote(flags);
      const deleted: string[] = [];
      const failures: string[] = [];
      for (const id of ids) {
        try {
          await api.request({ method: 'DELETE', path: `/admin/clients/${encodeURIComponent(id)}` });
          deleted.push(id);
        } catch (e) {
          if (!(e instanceof CliError)) throw e;
          failures.push(`${id}: ${e.message}`);
        }
      }
      if (deleted.length) output.table(['CLIENT ID'], deleted.map((id) => [id]), ids.length === 1 ? deleted[0] : deleted);
      if (failures.length) throw new CliError(`could not delete ${failures.length === 1 ? 'a client' : `${failures.length} clients`}: ${failures.join('; ')}`);
    });
  return withRemoteFlags(command, 'admin');
}

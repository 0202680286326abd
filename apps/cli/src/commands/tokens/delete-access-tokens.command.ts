import { Command } from 'commander';
import { remote, RemoteFlags, withRemoteFlags } from '../../remote/remote.options';

/** `hydrant delete access-tokens CLIENT_ID`: deletes every access and refresh token of a client. */
export function deleteAccessTokensCommand(): Command {
  const command = new Command('access-tokens')
    .description("delete every access and refresh token of a client")
    .argument('<client-id>', 'the client')
    .action(async (clientId: string, flags: RemoteFlags) => {
      const { api, output } = remote(flags);
      await api.request({ method: 'DELETE', path: '/admin/oauth2/tokens', query: { client_id: clientId } });
      output.row([['CLIENT ID', clientId]], clientId);
    });
  return withRemoteFlags(command, 'admin');
}

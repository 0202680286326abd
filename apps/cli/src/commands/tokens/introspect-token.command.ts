import { Command } from 'commander';
import { commaList, remote, RemoteFlags, withRemoteFlags } from '../../remote/remote.options';

interface Introspection {
  active: boolean;
  sub?: string;
  client_id?: string;
  scope?: string;
  exp?: number;
  token_use?: string;
}

/** `hydrant introspect token TOKEN [--scope a,b]`: RFC 7662 introspection on the admin API. */
export function introspectTokenCommand(): Command {
  const command = new Command('token')
    .description('introspect an access or refresh token (RFC 7662)')
    .argument('<token>', 'the token')
    .option('--scope <scope>', 'scopes the token must have (repeatable or comma separated)', commaList)
    .action(async (token: string, flags: RemoteFlags & { scope?: string[] }) => {
      const { api, output } = remote(flags);
      const form = { token, scope: flags.scope?.join(' ') };
      const result = (await api.request({ method: 'POST', path: '/admin/oauth2/introspect', form })).body as Introspection;
      const expiry = result.exp === undefined ? undefined : new Date(result.exp * 1000).toISOString();
      output.row(
        [
          ['ACTIVE', String(result.active)],
          ['SUBJECT', result.sub],
          ['CLIENT ID', result.client_id],
          ['SCOPE', result.scope],
          ['EXPIRY', expiry],
          ['TOKEN USE', result.token_use],
        ],
        result,
      );
    });
  return withRemoteFlags(command, 'admin');
}

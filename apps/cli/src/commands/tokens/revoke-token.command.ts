import { Command } from 'commander';
import { remote, RemoteFlags, withRemoteFlags } from '../../remote/remote.options';
import { clientCredentials, ClientCredentialFlags, withClientCredentialFlags } from '../perform/client-credential.flags';

/** `hydrant revoke token TOKEN --client-id --client-secret`: RFC 7009 revocation on the public API. */
export function revokeTokenCommand(): Command {
  const command = new Command('token')
    .description('revoke an access or refresh token (RFC 7009), as the client it was issued to')
    .argument('<token>', 'the token')
    .action(async (token: string, flags: RemoteFlags & ClientCredentialFlags) => {
      const authorization = clientCredentials(flags);
      const { api, output } = remote(flags);
      await api.request({ method: 'POST', path: '/oauth2/revoke', form: { token }, headers: { Authorization: authorization } });
      output.row([['REVOKED TOKEN', token]], { token });
    });
  return withRemoteFlags(withClientCredentialFlags(command), 'public');
}

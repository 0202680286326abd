import { Command } from 'commander';
import { commaList, remote, RemoteFlags, withRemoteFlags } from '../../remote/remote.options';
import { clientCredentials, ClientCredentialFlags, withClientCredentialFlags } from './client-credential.flags';
import { printTokens, TokenAnswer } from './token.output';

/** `hydrant perform client-credentials`: the client credentials grant (RFC 6749 section 4.4). */
export function performClientCredentialsCommand(): Command {
  const command = new Command('client-credentials')
    .description('ask the token endpoint for an access token with the client credentials grant')
    .option('--scope <scope>', 'scopes to request (repeatable or comma separated)', commaList)
    .option('--audience <audience>', 'audiences to request (repeatable or comma separated)', commaList)
    .action(async (flags: RemoteFlags & ClientCredentialFlags & { scope?: string[]; audience?: string[] }) => {
      const authorization = clientCredentials(flags);
      const { api, output } = remote(flags);
      const form = { grant_type: 'client_credentials', scope: flags.scope?.join(' '), audience: flags.audience?.join(' ') };
      const issuedAt = Date.now();
      const { body } = await api.request({ method: 'POST', path: '/oauth2/token', form, headers: { Authorization: authorization } });
      printTokens(output, body as TokenAnswer, issuedAt);
    });
  return withRemoteFlags(withClientCredentialFlags(command), 'public');
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import { CliError } from '../../remote/cli.error';
import { commaList, remote, RemoteFlags, withRemoteFlags } from '../../remote/remote.options';
import { basicAuthorization, clientIdAndSecret, ClientCredentialFlags, withClientCredentialFlags } from './client-credential.flags';
import { printTokens, TokenAnswer } from './token.output';

interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * `hydrant perform device-code`: the device authorization grant (RFC 8628). Prints where to sign in on
 * stderr, polls the token endpoint at the interval asked (slower on `slow_down`) and prints the tokens.
 */
export function performDeviceCodeCommand(): Command {
  const command = new Command('device-code')
    .description('sign in on another device with the device authorization grant (RFC 8628) and print the tokens')
    .option('--scope <scope>', 'scopes to request (repeatable or comma separated)', commaList)
    .option('--audience <audience>', 'audiences to request', commaList)
    .action(async (flags: RemoteFlags & ClientCredentialFlags & { scope?: string[]; audience?: string[] }) => {
      const client = clientIdAndSecret(flags, false);
      const { api, output } = remote(flags);
      const headers: Record<string, string> = client.secret ? { Authorization: basicAuthorization(client.id, client.secret) } : {};
      const clientId = client.secret ? undefined : client.id;
      const scope = (flags.scope ?? ['offline_access', 'openid']).join(' ');
      const authorization = (
        await api.request({ method: 'POST', path: '/oauth2/device/auth', form: { client_id: clientId, scope, audience: flags.audience?.join(' ') }, headers })
      ).body as DeviceAuthorization;
      process.stderr.write(`To sign in, open ${authorization.verification_uri_complete ?? authorization.verification_uri}\nand confirm the code ${authorization.user_code}\n`);

      let interval = (authorization.interval ?? 5) * 1000;
      const deadline = Date.now() + authorization.expires_in * 1000;
      while (Date.now() < deadline) {
        await sleep(interval);
        const issuedAt = Date.now();
        const form = { grant_type: DEVICE_GRANT, device_code: authorization.device_code, client_id: clientId };
        const answer = await api.request({ method: 'POST', path: '/oauth2/token', form, headers, accept: (s) => s === 200 || s === 400 });
        if (answer.status === 200) return printTokens(output, answer.body as TokenAnswer, issuedAt);
        const { error, error_description } = answer.body as { error?: string; error_description?: string };
        if (error === 'slow_down') interval += 5000;
        else if (error !== 'authorization_pending') throw new CliError(`the token endpoint answered ${error ?? 400}${error_description ? `: ${error_description}` : ''}`);
      }
      throw new CliError('the device code expired before the sign-in was confirmed');
    });
  return withRemoteFlags(withClientCredentialFlags(command, false), 'public');
}

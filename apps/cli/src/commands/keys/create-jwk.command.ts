import { Command } from 'commander';
import { remote, RemoteFlags, withRemoteFlags } from '../../remote/remote.options';
import { JwkDocument, printKeySets, publicPart } from './jwk.output';

/** `hydrant create jwk SET [KID] --alg --use`: generates a key and adds it to the set. */
export function createJwkCommand(): Command {
  const command = new Command('jwk')
    .alias('jwks')
    .description('generate a JSON Web Key and add it to a key set')
    .argument('<set>', 'the key set id')
    .argument('[kid]', 'the key id (default: generated)')
    .option('--alg <alg>', 'RS256, RS512, ES256, ES512, EdDSA, …', 'RS256')
    .option('--use <use>', 'sig or enc', 'sig')
    .option('--public', 'print only the public key', false)
    .action(async (set: string, kid: string | undefined, flags: RemoteFlags & { alg: string; use: string; public: boolean }) => {
      const { api, output } = remote(flags);
      const response = await api.request({ method: 'POST', path: `/admin/keys/${encodeURIComponent(set)}`, json: { alg: flags.alg, use: flags.use, kid } });
      const keys = (response.body as { keys: JwkDocument[] }).keys;
      printKeySets(output, [{ set, keys: flags.public ? keys.map(publicPart) : keys }]);
    });
  return withRemoteFlags(command, 'admin');
}

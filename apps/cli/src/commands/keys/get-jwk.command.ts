import { Command } from 'commander';
import { remote, RemoteFlags, withRemoteFlags } from '../../remote/remote.options';
import { JwkDocument, printKeySets, publicPart } from './jwk.output';

/** `hydrant get jwk SET… [--public]`: the keys of one or more sets, as one JSON Web Key Set. */
export function getJwkCommand(): Command {
  const command = new Command('jwk')
    .alias('jwks')
    .description('print the keys of one or more key sets')
    .argument('<set...>', 'key set ids')
    .option('--public', 'print only the public keys', false)
    .action(async (sets: string[], flags: RemoteFlags & { public: boolean }) => {
      const { api, output } = remote(flags);
      const found: Array<{ set: string; keys: JwkDocument[] }> = [];
      for (const set of sets) {
        const keys = ((await api.request({ path: `/admin/keys/${encodeURIComponent(set)}` })).body as { keys: JwkDocument[] }).keys;
        found.push({ set, keys: flags.public ? keys.map(publicPart) : keys });
      }
      printKeySets(output, found);
    });
  return withRemoteFlags(command, 'admin');
}

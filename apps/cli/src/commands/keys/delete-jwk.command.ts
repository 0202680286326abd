import { Command } from 'commander';
import { remote, RemoteFlags, withRemoteFlags } from '../../remote/remote.options';

/** `hydrant delete jwk SET…`: deletes whole key sets and prints their ids. */
export function deleteJwkCommand(): Command {
  const command = new Command('jwk')
    .alias('jwks')
    .description('delete key sets')
    .argument('<set...>', 'key set ids')
    .action(async (sets: string[], flags: RemoteFlags) => {
      const { api, output } = remote(flags);
      for (const set of sets) await api.request({ method: 'DELETE', path: `/admin/keys/${encodeURIComponent(set)}` });
      output.table(['SET ID'], sets.map((set) => [set]), sets.length === 1 ? sets[0] : sets);
    });
  return withRemoteFlags(command, 'admin');
}

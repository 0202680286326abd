import { Command } from 'commander';
import { remote, RemoteFlags, withRemoteFlags } from '../../remote/remote.options';
import { JwkDocument, printKeySets, publicPart } from './jwk.output';
import { readKeyFiles } from './key-file.reader';

/**
 * `hydrant import jwk SET FILE… [--alg --use]`: adds the keys of JWK, JWK Set, PEM or DER files to a set
 * (each PUT under its kid, so the set's other keys stay). Every file is read before the first key is sent.
 */
export function importJwkCommand(): Command {
  const command = new Command('jwk')
    .alias('jwks')
    .description('add the keys of JWK, JWK Set, PEM or DER files (or stdin: -) to a key set')
    .argument('<set>', 'the key set id')
    .argument('<file...>', 'key files')
    .option('--alg <alg>', "the algorithm of keys that name none (default: from the key's type)")
    .option('--use <use>', 'the use of keys that name none: sig or enc', 'sig')
    .option('--public', 'print only the public keys', false)
    .action(async (set: string, files: string[], flags: RemoteFlags & { alg?: string; use: string; public: boolean }) => {
      const keys = readKeyFiles(files, { alg: flags.alg, use: flags.use });
      const { api, output } = remote(flags);
      const stored: JwkDocument[] = [];
      for (const key of keys) {
        const path = `/admin/keys/${encodeURIComponent(set)}/${encodeURIComponent(String(key.kid))}`;
        stored.push((await api.request({ method: 'PUT', path, json: key })).body as JwkDocument);
      }
      printKeySets(output, [{ set, keys: flags.public ? stored.map(publicPart) : stored }]);
    });
  return withRemoteFlags(command, 'admin');
}

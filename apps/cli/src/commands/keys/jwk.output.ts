import { Output } from '../../remote/output';

export interface JwkDocument {
  kid?: string;
  alg?: string;
  use?: string;
  [member: string]: unknown;
}

/** Key sets, as Hydra's CLI prints them: a row per key, or one JSON Web Key Set of every key. */
export function printKeySets(output: Output, sets: Array<{ set: string; keys: JwkDocument[] }>): void {
  const rows = sets.flatMap(({ set, keys }) => keys.map((k) => [set, k.kid, k.alg, k.use]));
  output.table(['SET ID', 'KEY ID', 'ALGORITHM', 'USE'], rows, { keys: sets.flatMap(({ keys }) => keys) });
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** A key without its private members. */
export function publicPart(key: JwkDocument): JwkDocument {
  return Object.fromEntries(Object.entries(key).filter(([member]) => !PRIVATE_MEMBERS.includes(member)));
}

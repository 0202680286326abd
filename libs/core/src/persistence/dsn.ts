/** What a DSN names: an SQLite file, SQLite in memory, or a PostgreSQL database. */
export type ParsedDsn =
  | { dialect: 'sqlite'; path: string; inMemory: boolean }
  | { dialect: 'postgres'; url: string };

export function parseDsn(dsn: string): ParsedDsn {
  if (dsn === 'memory') return { dialect: 'sqlite', path: ':memory:', inMemory: true };
  if (dsn.startsWith('sqlite://')) {
    // sqlite://./data/x.sqlite (relative) and sqlite:///var/lib/x.sqlite (absolute); Hydra-style ?_fk=true is dropped.
    const path = dsn.slice('sqlite://'.length).split('?')[0];
    // SQLite takes an empty name for a temporary database that is gone on close: never what an operator meant.
    if (path === '') throw new Error('DSN "sqlite://" needs a file path, e.g. sqlite://./data/hydrant.sqlite');
    if (path === ':memory:') return { dialect: 'sqlite', path, inMemory: true };
    return { dialect: 'sqlite', path, inMemory: false };
  }
  if (/^postgres(ql)?:\/\//.test(dsn)) return { dialect: 'postgres', url: dsn };
  throw new Error(`unsupported DSN "${redactDsn(dsn)}"`);
}

/** The DSN with any password replaced, fit for a log line. */
export function redactDsn(dsn: string): string {
  // The user info ends at the last "@" before the host and its user name may be empty (as WHATWG URLs and
  // node-postgres read it); node-postgres also takes a password from the query.
  return dsn.replace(/(\/\/[^:/@]*:)[^/?#]*@/, '$1***@').replace(/([?&]password=)[^&#]*/gi, '$1***');
}

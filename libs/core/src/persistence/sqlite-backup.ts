import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, lstatSync, openSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseDsn } from './dsn';

/** A backup that was not attempted: the message says why and what to do instead. */
export class BackupRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefusedError';
  }
}

/**
 * `hydrant backup FILE`: a consistent copy of the SQLite database while servers keep writing to it.
 * `VACUUM INTO` reads one snapshot (WAL readers never wait for the writer, nor it for them) on a read-only
 * connection, so the backup cannot change the database. The copy is written to a hidden file beside FILE,
 * created empty with mode 0600 first (it holds encrypted keys and token signatures), synced, then linked to
 * FILE: a link fails if FILE exists, so a backup never overwrites one and FILE is either absent or complete.
 */
export async function backupSqlite(dsn: string, target: string, options: { busyTimeoutMs: number }): Promise<{ path: string; bytes: number }> {
  const source = sourceFile(dsn);
  const path = resolve(target);
  if (exists(path)) throw new BackupRefusedError(`${path} exists: hydrant backup never overwrites a file; name a new one`);
  if (!existsSync(dirname(path))) throw new BackupRefusedError(`${dirname(path)} does not exist: create the backup directory first`);
  const partial = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    closeSync(openSync(partial, 'wx', 0o600)); // VACUUM INTO writes into an empty file, keeping its mode
    await vacuumInto(source, partial, options.busyTimeoutMs);
    syncFile(partial);
    try {
      linkSync(partial, path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new BackupRefusedError(`${path} appeared while the backup ran: it was left as it is`);
      throw e;
    }
    syncFile(dirname(path));
  } finally {
    rmSync(partial, { force: true });
  }
  return { path, bytes: statSync(path).size };
}

/** The database file a DSN names, or a refusal that says how to back up anything else. */
function sourceFile(dsn: string): string {
  const parsed = parseDsn(dsn);
  if (parsed.dialect === 'postgres') {
    throw new BackupRefusedError(
      'DSN names a PostgreSQL database: hydrant backup copies SQLite files only. Back PostgreSQL up with pg_dump ' +
        '(pg_dump --format=custom --file=hydrant.dump "$DSN") and restore with pg_restore',
    );
  }
  if (parsed.inMemory) throw new BackupRefusedError('DSN is an in-memory database: there is no file to back up');
  const path = resolve(parsed.path);
  // Opening a missing file would create an empty database and back that up.
  if (!existsSync(path)) throw new BackupRefusedError(`there is no SQLite database at ${path} (DSN ${dsn})`);
  return path;
}

/** Whether anything, even a dangling symbolic link, has this name. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function vacuumInto(source: string, into: string, busyTimeoutMs: number): Promise<void> {
  // Loaded here, not with the module: a PostgreSQL installation never needs the native module.
  const { Database, OPEN_READONLY } = await import('sqlite3');
  return new Promise((resolvePromise, reject) => {
    const db = new Database(source, OPEN_READONLY, (opened) => {
      if (opened) return reject(opened);
      db.configure('busyTimeout', busyTimeoutMs);
      db.run('VACUUM INTO ?', [into], (failed) =>
        db.close((closed) => {
          const error = failed ?? closed;
          if (error) reject(error);
          else resolvePromise();
        }),
      );
    });
  });
}

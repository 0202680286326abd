import 'reflect-metadata';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { openStores } from '../stores';
import { createDataSource } from './data-source.factory';
import { migrateUp } from './migrator';
import { BackupRefusedError, backupSqlite } from './sqlite-backup';

const OPTIONS = { busyTimeoutMs: 5000 };

async function open(path: string): Promise<DataSource> {
  const dataSource = createDataSource({ dsn: `sqlite://${path}`, dbBusyTimeout: 5000, dbPoolSize: 2 });
  await dataSource.initialize();
  return dataSource;
}

describe('backing up the SQLite file', () => {
  let dir: string;
  let live: DataSource;
  const dsn = () => `sqlite://${join(dir, 'hydrant.sqlite')}`;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hydrant-backup-spec-'));
    live = await open(join(dir, 'hydrant.sqlite'));
    await migrateUp(live);
  });
  afterEach(async () => {
    await live.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies what was committed, still in the WAL, while the database is open and being written, into a 0600 file', async () => {
    await openStores(live).settings.getOrInsert('backup.spec', 'committed before the backup');
    let writing = true;
    const writes = (async () => {
      for (let i = 0; writing; i++) await openStores(live).settings.getOrInsert(`during.${i}`, 'x');
    })();
    const result = await backupSqlite(dsn(), join(dir, 'copy.sqlite'), OPTIONS).finally(() => (writing = false));
    await writes;

    expect(result).toEqual({ path: join(dir, 'copy.sqlite'), bytes: statSync(join(dir, 'copy.sqlite')).size });
    expect(statSync(result.path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
    const copy = await open(result.path);
    try {
      expect(await copy.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(await openStores(copy).settings.get('backup.spec')).toBe('committed before the backup');
      expect(await migrateUp(copy)).toEqual([]);
    } finally {
      await copy.destroy();
    }
  });

  it('never overwrites a file, nor what a dangling link points to', async () => {
    writeFileSync(join(dir, 'taken.sqlite'), 'yesterday');
    await expect(backupSqlite(dsn(), join(dir, 'taken.sqlite'), OPTIONS)).rejects.toThrow(/exists: hydrant backup never overwrites/);
    expect(readFileSync(join(dir, 'taken.sqlite'), 'utf8')).toBe('yesterday');
    symlinkSync(join(dir, 'nowhere.sqlite'), join(dir, 'link.sqlite'));
    await expect(backupSqlite(dsn(), join(dir, 'link.sqlite'), OPTIONS)).rejects.toBeInstanceOf(BackupRefusedError);
    expect(existsSync(join(dir, 'nowhere.sqlite'))).toBe(false);
    await expect(backupSqlite(dsn(), join(dir, 'hydrant.sqlite'), OPTIONS)).rejects.toBeInstanceOf(BackupRefusedError);
  });

  it('refuses a directory that does not exist, leaving nothing behind', async () => {
    await expect(backupSqlite(dsn(), join(dir, 'missing', 'copy.sqlite'), OPTIONS)).rejects.toThrow(/does not exist: create the backup directory/);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('refuses a database file that does not exist, instead of creating an empty one', async () => {
    await expect(backupSqlite(`sqlite://${join(dir, 'absent.sqlite')}`, join(dir, 'copy.sqlite'), OPTIONS)).rejects.toThrow(/no SQLite database at/);
    expect(existsSync(join(dir, 'absent.sqlite'))).toBe(false);
    expect(existsSync(join(dir, 'copy.sqlite'))).toBe(false);
  });

  it('refuses PostgreSQL, pointing to pg_dump, and an in-memory database', async () => {
    const postgres = backupSqlite('postgres://hydrant:secret@db:5432/hydrant', join(dir, 'copy.sqlite'), OPTIONS);
    await expect(postgres).rejects.toBeInstanceOf(BackupRefusedError);
    await expect(postgres).rejects.toThrow(/PostgreSQL.*pg_dump/);
    await expect(postgres).rejects.not.toThrow(/secret/);
    await expect(backupSqlite('memory', join(dir, 'copy.sqlite'), OPTIONS)).rejects.toThrow(/in-memory/);
  });
});

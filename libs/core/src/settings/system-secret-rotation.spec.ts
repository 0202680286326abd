import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { openMigratedDataSource } from '../../../../test/support/test-database';
import { ConfigError } from '../config/config.loader';
import { KeyEncryption } from '../keys/key-encryption';
import { openStores } from '../stores';
import { rotateSystemSecret, UndecryptableKeyError } from './system-secret-rotation';
import { GENERATED_SECRET_KEY } from './system-secrets';

const describePg = process.env.TEST_PG !== 'off' ? describe : describe.skip;
const OLD = 'old-system-secret-0123456789';
const NEW = 'new-system-secret-9876543210';
const UNKNOWN = 'nobody-knows-this-secret-000';

function rotating(dialect: 'sqlite' | 'postgres') {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    ({ dataSource, drop } = await openMigratedDataSource(dialect));
  });
  afterEach(async () => {
    await dataSource.destroy();
    await drop();
  });

  /** Stores a key of `set` whose private part is `private-KID`, encrypted under `secret` (or none). */
  async function storeKey(set: string, kid: string, secret: string | null): Promise<void> {
    const privateJwkJwe = secret === null ? null : await new KeyEncryption([secret]).encrypt(`private-${kid}`);
    await openStores(dataSource).jwks.insert({ setId: set, kid, alg: 'ES256', use: 'sig', publicJwk: { kid }, privateJwkJwe, createdAt: new Date() });
  }

  const privateParts = async () => Object.fromEntries((await openStores(dataSource).jwks.findAll()).map((k) => [k.kid, k.privateJwkJwe]));

  it('re-encrypts every private key under the first secret, so the older one can leave the list', async () => {
    await storeKey('hydra.openid.id-token', 'a', OLD);
    await storeKey('hydra.jwt.access-token', 'b', NEW);
    await storeKey('hydra.jwt.access-token', 'public-only', null);

    expect(await rotateSystemSecret(dataSource, [NEW, OLD])).toEqual({ keys: 2 });

    const newOnly = new KeyEncryption([NEW]);
    const stored = await privateParts();
    await expect(newOnly.decrypt(stored.a!)).resolves.toBe('private-a');
    await expect(newOnly.decrypt(stored.b!)).resolves.toBe('private-b');
    await expect(new KeyEncryption([OLD]).decrypt(stored.a!)).rejects.toThrow();
    expect(stored['public-only']).toBeNull();
    // Again, with the old secret gone: every key decrypts under the new one alone.
    expect(await rotateSystemSecret(dataSource, [NEW])).toEqual({ keys: 2 });
  });

  it('changes nothing when one key decrypts with no entry, naming it', async () => {
    await storeKey('a-set', 'first', OLD);
    await storeKey('z-set', 'lost', UNKNOWN);
    const before = await privateParts();

    const rotation = rotateSystemSecret(dataSource, [NEW, OLD]);
    await expect(rotation).rejects.toBeInstanceOf(UndecryptableKeyError);
    await expect(rotation).rejects.toThrow(/lost of the set z-set/);
    // The key before it in the loop was written in the transaction, and rolled back with it.
    expect(await privateParts()).toEqual(before);
  });

  it('refuses an installation still on the generated secret, pointing to `secrets migrate`', async () => {
    await openStores(dataSource).settings.getOrInsert(GENERATED_SECRET_KEY, 'generated-system-secret-0123456789');
    await expect(rotateSystemSecret(dataSource, [NEW])).rejects.toThrow(/secrets migrate/);
  });

  it('needs SECRETS_SYSTEM', async () => {
    await expect(rotateSystemSecret(dataSource, [])).rejects.toBeInstanceOf(ConfigError);
  });
}

describe('rotating the system secret on SQLite', () => {
  rotating('sqlite');
});

describePg('rotating the system secret on PostgreSQL', () => {
  rotating('postgres');
});

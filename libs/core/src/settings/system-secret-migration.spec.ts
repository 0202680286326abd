import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { openMigratedDataSource } from '../../../../test/support/test-database';
import { ConfigError } from '../config/config.loader';
import { KeyEncryption } from '../keys/key-encryption';
import { migrateOffGeneratedSecret } from './system-secret-migration';
import { GENERATED_SECRET_KEY } from './system-secrets';
import { openStores } from '../stores';

const describePg = process.env.TEST_PG !== 'off' ? describe : describe.skip;
const GENERATED = 'generated-system-secret-0123456789';
const CONFIGURED = 'configured-system-secret-9876543210';

function migrating(dialect: 'sqlite' | 'postgres') {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ dataSource, drop } = await openMigratedDataSource(dialect));
  });
  afterAll(async () => {
    await dataSource.destroy();
    await drop();
  });

  it('re-encrypts every private key under SECRETS_SYSTEM and deletes the generated secret, once', async () => {
    const settings = openStores(dataSource).settings;
    const jwks = openStores(dataSource).jwks;
    await settings.getOrInsert(GENERATED_SECRET_KEY, GENERATED);
    const underGenerated = new KeyEncryption([GENERATED]);
    for (const kid of ['a', 'b']) {
      await jwks.insert({ setId: 'set', kid, alg: 'ES256', use: 'sig', publicJwk: { kid }, privateJwkJwe: await underGenerated.encrypt(`private-${kid}`), createdAt: new Date() });
    }
    await jwks.insert({ setId: 'set', kid: 'public-only', alg: 'ES256', use: 'sig', publicJwk: {}, privateJwkJwe: null, createdAt: new Date() });

    expect(await migrateOffGeneratedSecret(dataSource, [CONFIGURED])).toEqual({ keys: 2 });

    expect(await settings.get(GENERATED_SECRET_KEY)).toBeNull();
    const configuredOnly = new KeyEncryption([CONFIGURED]);
    for (const key of await jwks.findSet('set')) {
      if (key.privateJwkJwe === null) continue;
      await expect(configuredOnly.decrypt(key.privateJwkJwe)).resolves.toBe(`private-${key.kid}`);
      // The database alone no longer decrypts anything: the generated secret is gone, and it does not work anyway.
      await expect(underGenerated.decrypt(key.privateJwkJwe)).rejects.toThrow();
    }
    expect(await migrateOffGeneratedSecret(dataSource, [CONFIGURED])).toBeNull();
  });

  it('needs SECRETS_SYSTEM to move the keys to', async () => {
    await expect(migrateOffGeneratedSecret(dataSource, [])).rejects.toBeInstanceOf(ConfigError);
  });
}

describe('moving off the generated system secret on SQLite', () => {
  migrating('sqlite');
});

describePg('moving off the generated system secret on PostgreSQL', () => {
  migrating('postgres');
});

import { DataSource } from 'typeorm';
import { ConfigError } from '../config/config.loader';
import { KeyEncryption } from '../keys/key-encryption';
import { TransactionRunner } from '../persistence/transaction.runner';
import { openStores } from '../stores';
import { GENERATED_SECRET_KEY } from './system-secrets';

/**
 * `hydrant secrets migrate`: moves an installation that ran on the system secret Hydrant generated and
 * stored (`--dev`) onto SECRETS_SYSTEM. In one transaction every private key is decrypted (with the stored
 * secret, or SECRETS_SYSTEM where a key is already under it) and encrypted under SECRETS_SYSTEM, and the
 * stored secret is deleted: a copy of the database taken afterwards holds no key it could decrypt. Opaque
 * tokens and cookies made under the generated secret stop verifying, so users sign in again once.
 * Answers how many keys were re-encrypted, or null when no generated secret was stored.
 */
export async function migrateOffGeneratedSecret(dataSource: DataSource, secretsSystem: readonly string[]): Promise<{ keys: number } | null> {
  if (secretsSystem.length === 0) throw new ConfigError(['SECRETS_SYSTEM: must be set: it is what the keys are moved to']);
  const { settings, jwks } = openStores(dataSource);
  return new TransactionRunner(dataSource).run(async () => {
    const generated = await settings.get(GENERATED_SECRET_KEY);
    if (generated === null) return null;
    const from = new KeyEncryption([...secretsSystem, generated]);
    const to = new KeyEncryption(secretsSystem);
    let keys = 0;
    for (const key of await jwks.findAll()) {
      if (key.privateJwkJwe === null) continue;
      await jwks.upsert({ ...key, privateJwkJwe: await to.encrypt(await from.decrypt(key.privateJwkJwe)) });
      keys++;
    }
    await settings.delete(GENERATED_SECRET_KEY);
    return { keys };
  });
}

import { DataSource } from 'typeorm';
import { ConfigError } from '../config/config.loader';
import { KeyEncryption } from '../keys/key-encryption';
import { TransactionRunner } from '../persistence/transaction.runner';
import { openStores } from '../stores';
import { GENERATED_SECRET_KEY } from './system-secrets';

/** A stored private key that no entry of SECRETS_SYSTEM decrypts: the rotation changed nothing. */
export class UndecryptableKeyError extends Error {
  constructor(readonly setId: string, readonly kid: string) {
    super(
      `the private key ${kid} of the set ${setId} decrypts with no entry of SECRETS_SYSTEM: list the secret it was stored under ` +
        'after the new one (SECRETS_SYSTEM=NEW,OLD); nothing was re-encrypted',
    );
    this.name = 'UndecryptableKeyError';
  }
}

/**
 * `hydrant secrets rotate`: with SECRETS_SYSTEM listing the new secret first and the older ones after it,
 * re-encrypts every stored private key under the first, in one transaction, so that the older entries
 * can later leave the list without locking out a key. Either every key is re-encrypted or, when one
 * decrypts with no entry, none is. An installation still on the generated secret is refused: `hydrant
 * secrets migrate` moves it (and re-encrypts under the first entry too). Opaque tokens and cookies are
 * not stored encrypted: they keep verifying for as long as their secret stays in the list.
 */
export async function rotateSystemSecret(dataSource: DataSource, secretsSystem: readonly string[]): Promise<{ keys: number }> {
  if (secretsSystem.length === 0) throw new ConfigError(['SECRETS_SYSTEM: must be set: its first entry is what the keys are encrypted under']);
  const { settings, jwks } = openStores(dataSource);
  const encryption = new KeyEncryption(secretsSystem);
  return new TransactionRunner(dataSource).run(async () => {
    if ((await settings.get(GENERATED_SECRET_KEY)) !== null) {
      throw new ConfigError(['SECRETS_SYSTEM: a generated system secret is still stored; run `hydrant secrets migrate` instead, which also re-encrypts under the first entry']);
    }
    let keys = 0;
    for (const key of await jwks.findAll()) {
      if (key.privateJwkJwe === null) continue;
      const plaintext = await encryption.decrypt(key.privateJwkJwe).catch(() => {
        throw new UndecryptableKeyError(key.setId, key.kid);
      });
      await jwks.upsert({ ...key, privateJwkJwe: await encryption.encrypt(plaintext) });
      keys++;
    }
    return { keys };
  });
}

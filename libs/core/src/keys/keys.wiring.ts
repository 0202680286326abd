import type { HydrantRuntime } from '../runtime';
import type { Stores } from '../stores';
import { KeyEncryption } from './key-encryption';
import { KeySetAdminService } from './key-set-admin.service';

/** The admin API's key operations (the runtime holds the KeySetService both apps share). */
export function wireKeys(runtime: HydrantRuntime, stores: Stores) {
  const keyEncryption = new KeyEncryption(runtime.config.secretsSystem);
  return { keyEncryption, keySetAdmin: new KeySetAdminService(runtime.keySets, stores.jwks, keyEncryption, runtime.transactions) };
}

import { randomBytes } from 'node:crypto';
import { HydrantConfig } from '../config/hydrant.config';
import { SettingRepository } from './setting.repository';

const GENERATED_SECRET_KEY = 'secrets.system.generated';

/**
 * Fills SECRETS_SYSTEM (and SECRETS_COOKIE) when the operator set none: a secret generated on the first
 * start and stored in the database, so that every worker and instance signs and verifies with the same one.
 * Returns true when it did so, for the caller to warn.
 */
export async function ensureSystemSecrets(config: HydrantConfig, settings: SettingRepository): Promise<boolean> {
  if (config.secretsSystem.length > 0) return false;
  const secret = await settings.getOrInsert(GENERATED_SECRET_KEY, randomBytes(32).toString('base64url'));
  config.secretsSystem = [secret];
  if (config.secretsCookie.length === 0) config.secretsCookie = [secret];
  return true;
}

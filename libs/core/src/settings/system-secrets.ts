import { randomBytes } from 'node:crypto';
import { ConfigError } from '../config/config.loader';
import { HydrantConfig } from '../config/hydrant.config';
import { SettingStore } from './setting.store';

export const GENERATED_SECRET_KEY = 'secrets.system.generated';

/**
 * Outside `--dev`, `serve` needs SECRETS_SYSTEM: a secret generated and stored in the database lives beside
 * the private keys it encrypts, so a copy of the database would hold both (issue 15, row 13).
 */
export function requireSystemSecrets(config: HydrantConfig): void {
  if (config.secretsSystem.length > 0 || config.dev) return;
  throw new ConfigError([
    'SECRETS_SYSTEM: must be set (a comma list, each at least 16 characters) unless --dev is given; an installation that ran on a ' +
      'generated secret moves off it with `hydrant secrets migrate`',
  ]);
}

/**
 * Fills SECRETS_SYSTEM (and SECRETS_COOKIE) when the operator set none (`--dev`): a secret generated on the
 * first start and stored in the database, so that every worker and instance signs and verifies with the same
 * one. Answers what the caller should warn about: `generated` when it did so, `stale` when SECRETS_SYSTEM is
 * set but a generated secret is still stored (its keys cannot be decrypted until `hydrant secrets migrate`).
 */
export async function ensureSystemSecrets(config: HydrantConfig, settings: SettingStore): Promise<'generated' | 'stale' | null> {
  if (config.secretsSystem.length > 0) return (await settings.get(GENERATED_SECRET_KEY)) === null ? null : 'stale';
  const secret = await settings.getOrInsert(GENERATED_SECRET_KEY, randomBytes(32).toString('base64url'));
  config.secretsSystem = [secret];
  if (config.secretsCookie.length === 0) config.secretsCookie = [secret];
  return 'generated';
}

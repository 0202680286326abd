import { DataSource } from 'typeorm';
import { HydrantConfig } from './config/hydrant.config';
import { OutboundHttpClient } from './http/outbound/outbound-http.client';
import { PrivateAddressRule } from './http/outbound/private-address.rule';
import { RemoteKeySetCache } from './http/outbound/remote-key-set.cache';
import { KeyEncryption } from './keys/key-encryption';
import { KeySetService } from './keys/key-set.service';
import { KEY_SETS } from './keys/key-sets';
import { Logger } from './logging/logger';
import { createDataSource } from './persistence/data-source.factory';
import { redactDsn } from './persistence/dsn';
import { migrateUp } from './persistence/migrator';
import { TransactionRunner } from './persistence/transaction.runner';
import { ensureSystemSecrets } from './settings/system-secrets';
import { openStores, Stores } from './stores';

/**
 * What one process shares between its public and admin apps: the configuration, one database connection
 * (pool), the transaction queue that belongs to it and the stores on it. Everything else is per app and stateless.
 */
export interface HydrantRuntime {
  config: HydrantConfig;
  dataSource: DataSource;
  transactions: TransactionRunner;
  /** Every store on `dataSource` (stores.ts). */
  stores: Stores;
  /** Key sets, shared by both apps; every use reads the set's current keys (KeySetService). */
  keySets: KeySetService;
  logger: Logger;
  /** The one client for calls to URLs that clients registered; one socket pool per process. */
  outbound: OutboundHttpClient;
  /** Key sets of clients' jwks_uris, bounded per process whichever app verifies an assertion. */
  remoteKeySets: RemoteKeySetCache;
  /** The client for the operator's own token hook: private addresses allowed, OAUTH2_TOKEN_HOOK_TIMEOUT. */
  tokenHookClient: OutboundHttpClient;
}

/**
 * Connects to the database, applies migrations when asked, and settles the system secret. `outboundCa`
 * adds certificates the outbound client trusts besides Node's bundled ones (tests' loopback https servers).
 */
export async function openRuntime(config: HydrantConfig, logger: Logger, options: { migrate: boolean; outboundCa?: string }): Promise<HydrantRuntime> {
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  if (dataSource.options.type === 'sqlite') {
    // In WAL mode NORMAL syncs at checkpoints instead of at every commit: a power cut may lose the last
    // commits but never corrupts the file. Without it every issued token waits for an fsync.
    await dataSource.query('PRAGMA synchronous = NORMAL');
  }
  logger.debug({ dsn: redactDsn(config.dsn) }, 'connected to the database');
  if (options.migrate) {
    const applied = await migrateUp(dataSource);
    if (applied.length > 0) logger.info({ migrations: applied }, 'applied database migrations');
  }
  const stores = openStores(dataSource);
  const secrets = await ensureSystemSecrets(config, stores.settings);
  if (secrets === 'generated') {
    logger.warn('SECRETS_SYSTEM is not set (--dev): using a secret generated on first start and stored in the database. Set SECRETS_SYSTEM in production.');
  } else if (secrets === 'stale') {
    logger.error('a generated system secret is still stored beside SECRETS_SYSTEM: run `hydrant secrets migrate` to re-encrypt the keys under SECRETS_SYSTEM and delete it');
  }
  const transactions = new TransactionRunner(dataSource);
  // Signing keys exist before anything signs: generated on the first start, encrypted at rest.
  const keySets = new KeySetService(stores.jwks, new KeyEncryption(config.secretsSystem), transactions);
  await keySets.ensureSet(KEY_SETS.idToken, 'RS256');
  await keySets.ensureSet(KEY_SETS.accessToken, 'RS256');
  const outbound = OutboundHttpClient.fromConfig(config, { logger, ca: options.outboundCa });
  const remoteKeySets = new RemoteKeySetCache(outbound);
  const tokenHookClient = new OutboundHttpClient({ timeoutMs: config.oauth2TokenHookTimeout, rule: new PrivateAddressRule(false), logger, ca: options.outboundCa });
  return { config, dataSource, transactions, stores, keySets, logger, outbound, remoteKeySets, tokenHookClient };
}

export async function closeRuntime(runtime: HydrantRuntime): Promise<void> {
  runtime.outbound.close();
  runtime.tokenHookClient.close();
  if (!runtime.dataSource.isInitialized) return;
  await runtime.dataSource.destroy();
}
